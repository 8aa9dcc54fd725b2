/**
 * Room controls: lock, slow mode, announcement, AI mode, a new session (lesson), the AI
 * conversation, and stopping an answer.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'
import { AiMode, ErrorResponse, IdParams, Ok, RoomPatchBody, RoomStateResponse, SessionResponse, AiModeSchema } from '../../protocol/index.js'
import { Errors } from '../../errors.js'

const AI_MODES = Object.values(AiMode)

const roomRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { room, ai, moderation, feed } = app.services

  app.put('/api/admin/room', { schema: { body: RoomPatchBody, response: { 200: RoomStateResponse, '4xx': ErrorResponse } } }, async (request) => {
    return moderation.update(request.body, { aiMode: room.aiMode(), aiAvailable: ai.isAvailable })
  })

  app.post('/api/admin/sessions', { schema: { response: { 200: SessionResponse, '4xx': ErrorResponse } } }, async (request) => {
    const s = moderation.newSession()
    request.log.info({ sessionId: s.sessionId }, 'new session started by the host')
    return { session_id: s.sessionId, started_at: s.startedAt, seq: s.seq }
  })

  // The mode is checked here rather than by the schema, so a wrong one is answered with the four valid ones.
  app.put('/api/admin/ai-mode', {
    schema: { body: Type.Object({ ai_mode: Type.String({ maxLength: 32 }) }), response: { 200: Type.Object({ ai_mode: AiModeSchema }), '4xx': ErrorResponse } }
  }, async (request) => {
    const mode = request.body.ai_mode
    if (!(AI_MODES as string[]).includes(mode)) throw Errors.settingInvalid(`ai_mode must be one of ${AI_MODES.join(', ')}; got "${mode}".`)
    if (mode !== room.aiMode()) {
      room.setAiMode(mode as AiMode)
      feed.audit('room.ai_mode', null, { ai_mode: mode })
    }
    request.log.info({ aiMode: mode }, 'AI mode changed')
    return { ai_mode: room.aiMode() }
  })

  app.post('/api/admin/conversation/reset', { schema: { response: { 200: Ok, '4xx': ErrorResponse } } }, async (request) => {
    ai.resetConversation()
    feed.audit('ai.conversation_reset', null)
    request.log.info('AI conversation reset by the host')
    return { ok: true }
  })

  app.post('/api/admin/replies/:id/stop', { schema: { params: IdParams, response: { 200: Ok, '4xx': ErrorResponse } } }, async (request) => {
    ai.stop(request.params.id, 'host')
    feed.audit('reply.stop', request.params.id)
    return { ok: true }
  })
}
export default roomRoutes
