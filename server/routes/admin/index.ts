/**
 * The host's admin API: loopback only by default, plus the per-launch admin token, for the whole
 * scope (one onRequest hook). The host console builds on these.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'
import { AiModeSchema, ErrorResponse, Room } from '../../protocol/index.js'

const Ok = Type.Object({ ok: Type.Boolean() })
const AdminStatus = Type.Object({
  room: Room,
  ai_mode: AiModeSchema,
  ai_available: Type.Boolean(),
  online_count: Type.Integer(),
  connections: Type.Integer(),
  ai: Type.Object({ active: Type.Integer(), queued: Type.Integer() }),
  last_seq: Type.Integer()
})
import { AppError, ErrorCode } from '../../errors.js'
import { bearerToken, isLoopback, safeEqual } from '../../plugins/auth.js'

const adminRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { config, room, ai, hub, ports } = app.services

  app.addHook('onRequest', async (request) => {
    if (!isLoopback(request.socket.remoteAddress)) {
      throw new AppError(ErrorCode.forbidden, 403, 'The admin API is only available on the host computer.')
    }
    const token = bearerToken(request) ?? request.headers['x-admin-token']
    if (typeof token !== 'string' || !safeEqual(token, config.adminToken)) {
      throw new AppError(ErrorCode.unauthorized, 401, 'Missing or wrong admin token.')
    }
  })

  app.get('/api/admin/status', { schema: { response: { 200: AdminStatus, '4xx': ErrorResponse } } }, async () => ({
    room: room.info(),
    ai_mode: room.aiMode(),
    ai_available: ports.ai !== null,
    online_count: hub.onlineCount(),
    connections: hub.size,
    ai: ai.counts(),
    last_seq: ports.store.lastSeq()
  }))

  app.put('/api/admin/ai-mode', {
    schema: { body: Type.Object({ ai_mode: AiModeSchema }), response: { 200: Type.Object({ ai_mode: AiModeSchema }), '4xx': ErrorResponse } }
  }, async (request) => {
    room.setAiMode(request.body.ai_mode)
    request.log.info({ aiMode: request.body.ai_mode }, 'AI mode changed')
    return { ai_mode: room.aiMode() }
  })

  app.post('/api/admin/conversation/reset', { schema: { response: { 200: Ok, '4xx': ErrorResponse } } }, async (request) => {
    ai.resetConversation()
    request.log.info('AI conversation reset by the host')
    return { ok: true }
  })

  app.post('/api/admin/replies/:id/stop', {
    schema: { params: Type.Object({ id: Type.Integer({ minimum: 1 }) }), response: { 200: Ok, '4xx': ErrorResponse } }
  }, async (request) => {
    ai.stop(request.params.id, 'host')
    return { ok: true }
  })
}
export default adminRoutes
