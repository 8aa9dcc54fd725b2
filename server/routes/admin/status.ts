/** `GET /api/admin/status`: the room at a glance, with this session's live figures. */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { AdminStatus, ErrorResponse } from '../../protocol/index.js'

const statusRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { settings, room, ai, hub, store, feed, moderation } = app.services

  app.get('/api/admin/status', { schema: { response: { 200: AdminStatus, '4xx': ErrorResponse } } }, async () => {
    const session = store.currentSession()
    return {
      room: room.info(),
      ai_mode: room.aiMode(),
      ai_available: ai.isAvailable,
      online_count: hub.onlineCount(),
      connections: hub.size,
      ai: ai.counts(),
      last_seq: store.lastSeq(),
      peak_online: feed.peakOnline(),
      ...moderation.state(),
      session_id: session.id,
      session_started_at: session.startedAt,
      pin_required: settings.pin() !== null,
      stats: feed.stats()
    }
  })
}
export default statusRoutes
