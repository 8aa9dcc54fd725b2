/** What a page needs before joining: room, AI mode and greeting (additive to PROTOCOL.md). */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { HealthResponse, MAX_MESSAGE_CODE_POINTS, RoomInfoResponse } from '../../protocol/index.js'
import type { AppInfo } from '../../ports.js'

const APP_INFO_TTL_MS = 5 * 60_000

const roomInfoRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { room, ai: orchestrator, settings } = app.services
  // keyed by the gateway: the host may switch the AI app while the room runs (live settings)
  let cached: { at: number, info: AppInfo, ai: unknown } | null = null
  let pending: Promise<AppInfo> | null = null

  /** Dify's opening statement and suggested questions, cached; failures leave the greeting empty. */
  async function appInfo (): Promise<AppInfo> {
    const empty: AppInfo = { openingStatement: null, suggestedQuestions: [] }
    const ai = orchestrator.gateway()
    if (ai === null) return empty
    if (cached !== null && cached.ai === ai && Date.now() - cached.at < APP_INFO_TTL_MS) return cached.info
    pending ??= ai.appInfo(AbortSignal.timeout(5000))
      .then(info => { cached = { at: Date.now(), info, ai }; return info })
      .catch((err: unknown) => { app.log.warn({ err: (err as Error).message }, 'could not fetch the AI app parameters'); cached = { at: Date.now() - APP_INFO_TTL_MS + 30_000, info: empty, ai }; return empty })
      .finally(() => { pending = null })
    return await pending
  }

  app.get('/healthz', { schema: { response: { 200: HealthResponse } } }, async () => ({ ok: true }))

  app.get('/api/room', { schema: { response: { 200: RoomInfoResponse } } }, async () => {
    const info = await appInfo()
    return {
      room: room.info(),
      ai_mode: room.aiMode(),
      ai_available: orchestrator.isAvailable,
      pin_required: settings.pin() !== null,
      locked: app.services.moderation.state().locked,
      anonymous: app.services.moderation.hidesNames(),
      photos: app.services.photos.mode(),
      opening_statement: info.openingStatement,
      suggested_questions: info.suggestedQuestions,
      limits: { max_message_length: MAX_MESSAGE_CODE_POINTS }
    }
  })
}
export default roomInfoRoutes
