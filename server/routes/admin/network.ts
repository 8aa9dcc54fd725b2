/** `GET /api/admin/network`: the join URLs of this computer, best first, and what may stop people joining. */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { ErrorResponse, NetworkResponse } from '../../protocol/index.js'
import { joinAddresses, type NetworkReaders } from '../../network/addresses.js'

const networkRoutes: FastifyPluginAsyncTypebox<{ readers?: NetworkReaders }> = async (app, options) => {
  const { config, settings } = app.services
  app.get('/api/admin/network', { schema: { response: { 200: NetworkResponse, '4xx': ErrorResponse } } }, async () => {
    const address = app.server.address()
    const port = typeof address === 'object' && address !== null ? address.port : config.port
    const pin = settings.pin()
    const { addresses, diagnostics } = await joinAddresses({ port, bindHost: config.host, pin, ...(options.readers !== undefined ? { readers: options.readers } : {}) })
    return { port, pin, addresses, diagnostics }
  })
}
export default networkRoutes
