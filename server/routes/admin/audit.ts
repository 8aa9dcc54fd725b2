/** `GET /api/admin/audit`: what the host did, newest first. */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { AuditQuery, AuditResponse, ErrorResponse } from '../../protocol/index.js'

const auditRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { feed } = app.services
  app.get('/api/admin/audit', { schema: { querystring: AuditQuery, response: { 200: AuditResponse, '4xx': ErrorResponse } } }, async (request) => ({
    entries: feed.entries(request.query.limit ?? 100)
  }))
}
export default auditRoutes
