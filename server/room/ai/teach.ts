/**
 * "Teach this answer": the question and the host's answer become an annotation of the Dify app, so
 * that the app answers that question with the host's words next time (Dify's annotation reply).
 * By default the asker's text without its `@ai` mention, and the answer as the room saw it last
 * (as the host edited it, if they did).
 */
import type { AiGateway, ChatStore } from '../../ports.js'
import { codePointLength, normalizeChatText, withoutAiMention } from '../../protocol/index.js'
import { Errors } from '../../errors.js'

/** Longest question and answer taught (Dify keeps both as text; a lesson's answer fits easily). */
export const TEACH_LIMITS = { question: 2_000, answer: 20_000 } as const

export interface Teaching {
  /** Saves it in the AI app; throws ERR_MESSAGE_NOT_FOUND, ERR_NOT_FINISHED, ERR_VALIDATION or the AI's errors. */
  teach (replyId: number, patch: { question?: string, answer?: string }): Promise<{ annotationId: string, question: string, answer: string }>
}

export function createTeaching (o: { store: ChatStore, gateway: () => AiGateway | null }): Teaching {
  return {
    async teach (replyId, patch) {
      const reply = o.store.getMessage(replyId)
      if (reply === null || reply.role !== 'assistant') throw Errors.messageNotFound(replyId)
      if (reply.status === 'streaming') throw Errors.replyNotFinished()
      const asked = reply.replyTo === null ? null : o.store.getMessage(reply.replyTo)
      const question = clean(patch.question ?? (asked === null ? '' : withoutAiMention(asked.content)), 'question', TEACH_LIMITS.question)
      const answer = clean(patch.answer ?? reply.content, 'answer', TEACH_LIMITS.answer)
      const ai = o.gateway()
      if (ai?.createAnnotation === undefined) throw Errors.aiNotConfiguredFor('it cannot teach the AI app an answer')
      const annotationId = await ai.createAnnotation(question, answer, AbortSignal.timeout(30_000))
      return { annotationId, question, answer }
    }
  }
}

function clean (text: string, field: 'question' | 'answer', max: number): string {
  const out = normalizeChatText(text).trim()
  if (out === '') throw Errors.validation(`The ${field} to teach is empty.`)
  const length = codePointLength(out)
  if (length > max) throw Errors.validation(`The ${field} to teach can be at most ${max} characters long (this one has ${length}).`)
  return out
}
