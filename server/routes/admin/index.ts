/**
 * The host's admin API (PROTOCOL.md "Host console additions", docs/PROTOCOL.md): one onRequest hook
 * for the whole scope (loopback and the admin token), then one plugin per area.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { requireAdmin } from '../../plugins/auth.js'
import statusRoutes from './status.js'
import participantRoutes from './participants.js'
import messageRoutes from './messages.js'
import roomRoutes from './room.js'
import settingsRoutes from './settings.js'
import networkRoutes from './network.js'
import auditRoutes from './audit.js'

const adminRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.addHook('onRequest', requireAdmin)
  await app.register(statusRoutes)
  await app.register(participantRoutes)
  await app.register(messageRoutes)
  await app.register(roomRoutes)
  await app.register(settingsRoutes)
  await app.register(networkRoutes)
  await app.register(auditRoutes)
}
export default adminRoutes
