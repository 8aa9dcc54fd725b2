/**
 * The room's live signals for the host (PROTOCOL.md "Polls and signals"): how many said "I'm
 * lost" or "got it" in the last two minutes and the raised hands, oldest first; the host lowers
 * one hand or all. The admin socket follows them as `signals` frames.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'
import { ErrorResponse, LowerHandParams, SignalsState } from '../../protocol/index.js'
import { Errors } from '../../errors.js'

const Lowered = Type.Object({ lowered: Type.Integer({ minimum: 0 }) })

const signalRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { signals, feed } = app.services
  const errors = { '4xx': ErrorResponse, '5xx': ErrorResponse }

  app.get('/api/admin/signals', { schema: { response: { 200: SignalsState, ...errors } } }, async () => signals.state())

  app.delete('/api/admin/signals/hands', { schema: { response: { 200: Lowered, ...errors } } }, async () => {
    const lowered = signals.clearHands()
    if (lowered > 0) feed.audit('hands.clear', null, { count: lowered })
    return { lowered }
  })

  app.delete('/api/admin/signals/hands/:user_id', { schema: { params: LowerHandParams, response: { 200: Lowered, ...errors } } }, async (request) => {
    if (!signals.lowerHand(request.params.user_id)) throw Errors.handNotRaised(request.params.user_id)
    return { lowered: 1 }
  })
}

export default signalRoutes
