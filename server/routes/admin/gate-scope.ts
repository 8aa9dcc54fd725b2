/**
 * The teacher's gate, the lesson record and the projector control: the admin routes in one scope
 * behind the admin rule (loopback and the admin token), as the rest of /api/admin/*, and the
 * participants' read of the question states beside it.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { requireAdmin } from '../../plugins/auth.js'
import questionRoutes from './questions.js'
import participantQuestionRoutes from '../participant/questions.js'
import exportRoutes from './export.js'
import projectorRoutes from './projector.js'
import wordFilterRoutes from './word-filter.js'
import summaryRoutes from './summary.js'
import retentionRoutes from './retention.js'
import reviewRoutes from './review.js'

const gateScope: FastifyPluginAsyncTypebox = async (app) => {
  await app.register(participantQuestionRoutes)
  await app.register(adminScope)
}

const adminScope: FastifyPluginAsyncTypebox = async (app) => {
  // The one admin rule of /api/admin/* (loopback and the admin token).
  app.addHook('onRequest', requireAdmin)
  await app.register(questionRoutes)
  await app.register(exportRoutes)
  await app.register(projectorRoutes)
  await app.register(wordFilterRoutes)
  await app.register(summaryRoutes)
  await app.register(retentionRoutes)
  await app.register(reviewRoutes)
}
export default gateScope
