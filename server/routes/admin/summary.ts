/**
 * `GET /api/admin/summary` (the current lesson's summary, if made) and `POST /api/admin/summary`
 * (asks the AI app for one, in a conversation of its own; it is kept and goes into the export).
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { ErrorResponse, SummaryResponse } from '../../protocol/index.js'

const summaryRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { summary, feed } = app.services
  const errors = { '4xx': ErrorResponse, '5xx': ErrorResponse }

  app.get('/api/admin/summary', { schema: { response: { 200: SummaryResponse, ...errors } } }, async () => {
    const s = summary.current()
    return { session_id: s.sessionId, summary: s.summary, at: s.at }
  })

  app.post('/api/admin/summary', { schema: { response: { 200: SummaryResponse, ...errors } } }, async (request) => {
    const controller = new AbortController()
    request.raw.on('close', () => { if (!request.raw.complete) controller.abort() })
    const s = await summary.summarise(AbortSignal.any([controller.signal, AbortSignal.timeout(120_000)]))
    feed.audit('lesson.summarise', s.sessionId, { length: s.summary.length })
    return { session_id: s.sessionId, summary: s.summary, at: s.at }
  })
}
export default summaryRoutes
