/**
 * What the host tells the AI app about its answers. "Teach this answer": the question and the
 * host's answer become an annotation of the Dify app, so that the app answers that question with
 * the host's words next time (Dify's annotation reply); by default the asker's text without its
 * `@ai` mention, and the answer as the room saw it last (as the host edited it, if they did). And
 * the host's rating of an answer, sent to the app's feedback (Dify `/messages/{id}/feedbacks`,
 * which names the answer by Dify's own id, kept with the answer).
 */
import type { AiGateway, ChatStore } from '../../ports.js'
import { codePointLength, normalizeChatText, withoutAiMention } from '../../protocol/index.js'
import { Errors } from '../../errors.js'

/** Longest question and answer taught (Dify keeps both as text; a lesson's answer fits easily). */
export const TEACH_LIMITS = { question: 2_000, answer: 20_000 } as const

export interface Teaching {
  /** Saves it in the AI app; throws ERR_MESSAGE_NOT_FOUND, ERR_NOT_FINISHED, ERR_VALIDATION or the AI's errors. */
  teach (replyId: number, patch: { question?: string, answer?: string }): Promise<{ annotationId: string, question: string, answer: string }>
  /** Sends the host's rating to the AI app and keeps it; throws ERR_MESSAGE_NOT_FOUND, ERR_NOT_FINISHED or the AI's errors. */
  rate (replyId: number, rating: 'like' | 'dislike' | null): Promise<void>
}

export function createTeaching (o: { store: ChatStore, gateway: () => AiGateway | null, aiUser: string }): Teaching {
  return {
    async rate (replyId, rating) {
      const reply = o.store.getMessage(replyId)
      if (reply === null || reply.role !== 'assistant') throw Errors.messageNotFound(replyId)
      if (reply.status === 'streaming') throw Errors.replyNotFinished()
      // An answer the AI service never named (it failed before its first word) has nothing to rate there.
      if (reply.difyMessageId === null) throw Errors.messageNotFound(replyId)
      const ai = o.gateway()
      if (ai?.rateAnswer === undefined) throw Errors.aiNotConfiguredFor('it cannot pass your rating to the AI app')
      await ai.rateAnswer(reply.difyMessageId, rating, o.aiUser, AbortSignal.timeout(30_000))
      o.store.setHostRating(replyId, rating)
    },
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
