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
import questionRoutes from './questions.js'
import exportRoutes from './export.js'
import projectorRoutes from './projector.js'
import wordFilterRoutes from './word-filter.js'
import summaryRoutes from './summary.js'
import retentionRoutes from './retention.js'
import reviewRoutes from './review.js'
import feedbackRoutes from './feedback.js'
import pollRoutes from './polls.js'
import signalRoutes from './signals.js'

const adminRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.addHook('onRequest', requireAdmin)
  await app.register(statusRoutes)
  await app.register(participantRoutes)
  await app.register(messageRoutes)
  await app.register(roomRoutes)
  await app.register(settingsRoutes)
  await app.register(networkRoutes)
  await app.register(auditRoutes)
  // The teacher's gate, the lesson record and the projector control.
  await app.register(questionRoutes)
  await app.register(exportRoutes)
  await app.register(projectorRoutes)
  await app.register(wordFilterRoutes)
  await app.register(summaryRoutes)
  await app.register(retentionRoutes)
  await app.register(reviewRoutes)
  await app.register(feedbackRoutes)
  await app.register(pollRoutes)
  await app.register(signalRoutes)
}
export default adminRoutes
