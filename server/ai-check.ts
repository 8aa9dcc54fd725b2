/**
 * At launch, one request to the AI service (`GET /parameters`): the host learns in its first second
 * whether the URL and key work, instead of at the first question in front of a class. It also opens
 * the first keep-alive connection. Never throws; the room works either way.
 */
import { ErrorCode, toAppError } from './errors.js'
import type { AiGateway } from './ports.js'

export interface AiCheckLogger {
  info (obj: object, msg: string): void
  warn (obj: object, msg: string): void
}

export type AiCheckResult = { ok: true } | { ok: false, code: string, message: string }

/** Asks the AI service for its app settings and logs what happened. */
export async function checkAiService (ai: AiGateway, log: AiCheckLogger): Promise<AiCheckResult> {
  try {
    await ai.appInfo() // bounded by the gateway's own limit, with its retries
    log.info({}, 'the AI service answered: questions will reach it')
    return { ok: true }
  } catch (err) {
    const e = toAppError(err)
    if (e.code === ErrorCode.shuttingDown) return { ok: false, code: e.code, message: e.message }
    log.warn({ code: e.code }, `the AI service check at launch failed: ${e.message} Questions to the AI will fail until this is fixed.`)
    return { ok: false, code: e.code, message: e.message }
  }
}
