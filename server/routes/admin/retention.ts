/**
 * Privacy controls: `GET/PUT /api/admin/retention {days}` (delete lessons older than N days; null
 * keeps everything) and `POST /api/admin/participants/:user_id/erase` (their text removed from
 * storage and exports, their messages shown as removed in the room, their name replaced).
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'
import { EraseResponse, ErrorResponse, RetentionBody, RetentionResponse } from '../../protocol/index.js'

const SWEEP_MS = 6 * 3_600_000

const retentionRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { privacy, moderation, heldMessages, feed } = app.services
  const errors = { '4xx': ErrorResponse, '5xx': ErrorResponse }

  const sweep = (): void => {
    try {
      const n = privacy.applyRetention()
      if (n > 0) app.log.info({ sessions: n, days: privacy.retentionDays() }, 'deleted lessons older than the retention')
    } catch (err) {
      app.log.warn({ err: (err as Error).message }, 'could not apply the retention')
    }
    sweepPhotos()
  }
  // Their lessons' rows are gone by now: the files follow.
  const sweepPhotos = (): void => {
    privacy.applyPhotoRetention().then(
      n => { if (n > 0) app.log.info({ photos: n, days: privacy.retentionDays() }, 'deleted photos older than the retention') },
      (err: unknown) => { app.log.warn({ err: (err as Error).message }, 'could not delete old photos') })
  }
  app.addHook('onReady', async () => { sweep() })
  const timer = setInterval(sweep, SWEEP_MS)
  timer.unref()
  app.addHook('onClose', async () => { clearInterval(timer) })

  app.get('/api/admin/retention', { schema: { response: { 200: RetentionResponse, ...errors } } }, async () => ({ days: privacy.retentionDays(), deleted_sessions: 0 }))

  app.put('/api/admin/retention', { schema: { body: RetentionBody, response: { 200: RetentionResponse, ...errors } } }, async (request) => {
    const deleted = privacy.setRetention(request.body.days)
    await privacy.applyPhotoRetention()
    feed.audit('retention.update', null, { days: request.body.days, deleted_sessions: deleted })
    return { days: privacy.retentionDays(), deleted_sessions: deleted }
  })

  app.post('/api/admin/participants/:user_id/erase', {
    schema: { params: Type.Object({ user_id: Type.Integer({ minimum: 1 }) }), response: { 200: EraseResponse, ...errors } }
  }, async (request) => {
    const userId = request.params.user_id
    const ids = await privacy.erase(userId)
    // Shown as removed in the room: each message leaves every screen (a persisted message_hidden).
    for (const id of ids) moderation.setHidden(id, true)
    heldMessages.forgetUser(userId)
    try { moderation.kick(userId) } catch { /* already gone */ }
    feed.audit('participant.erase', userId, { messages: ids.length })
    return { user_id: userId, messages_erased: ids.length }
  })
}
export default retentionRoutes
