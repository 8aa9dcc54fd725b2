/**
 * Follow-up questions: once an answer is written, the host asks the AI app for its suggested next
 * questions (Dify's /messages/{id}/suggested) once for the whole room, not once per phone, keeps
 * them on the answer (GET /api/messages lists them) and sends them to everyone (`ai_suggestions`).
 * An app with the feature off answers 400: the host stops asking that gateway. A failure costs the
 * room nothing but the suggestions.
 */
import type { AiGateway, ChatStore } from '../../ports.js'
import { ErrorCode, toAppError } from '../../errors.js'
import { codePointLength } from '../../protocol/index.js'
import type { Hub } from '../engine/hub.js'
import { aiSuggestionsFrame } from '../frames.js'

/** At most this many suggestions, each at most this many characters, reach the room. */
export const MAX_SUGGESTIONS = 5
export const MAX_SUGGESTION_CHARS = 200
const ASK_TIMEOUT_MS = 10_000

export interface FollowUps {
  /** Asks for the suggestions of a written answer (Dify's message id) and sends them; never rejects. */
  afterAnswer (gateway: AiGateway, replyId: number, difyMessageId: string): Promise<void>
}

export function createFollowUps (o: { store: ChatStore, hub: Hub, aiUser: string, logger: { warn (obj: object, msg: string): void } }): FollowUps {
  /** gateways whose app has suggested questions off */
  const off = new WeakSet<AiGateway>()
  return {
    async afterAnswer (gateway, replyId, difyMessageId) {
      if (gateway.suggestedQuestions === undefined || off.has(gateway)) return
      let asked: string[]
      try {
        asked = await gateway.suggestedQuestions(difyMessageId, o.aiUser, AbortSignal.timeout(ASK_TIMEOUT_MS))
      } catch (err) {
        const e = toAppError(err)
        if (e.code === ErrorCode.aiBadRequest) off.add(gateway)
        else o.logger.warn({ code: e.code, replyId }, 'could not get the suggested follow-up questions')
        return
      }
      const suggestions = [...new Set(asked.map(q => q.trim()).filter(q => q !== '' && codePointLength(q) <= MAX_SUGGESTION_CHARS))].slice(0, MAX_SUGGESTIONS)
      if (suggestions.length === 0) return
      try { o.store.setSuggestions(replyId, suggestions) } catch (err) {
        o.logger.warn({ err, replyId }, 'could not keep the suggested follow-up questions')
        return
      }
      o.hub.broadcast(aiSuggestionsFrame(replyId, suggestions))
    }
  }
}
