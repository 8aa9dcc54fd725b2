/**
 * Feedback on answers: each participant rates an AI answer "helpful" or "still confused" (one
 * rating each, changeable, null takes it back). The host's sockets get the answer's counts at once
 * (`feedback_update`); the console lists the lesson's answers most-confused first, so the teacher
 * sees which explanation to ask for again; the export carries the counts.
 */
import type { ChatStore, FeedbackStore } from '../../ports.js'
import type { FeedbackCounts, FeedbackRating } from '../../protocol/index.js'
import { Errors } from '../../errors.js'
import type { Hub } from '../engine/hub.js'
import { feedbackUpdateFrame } from '../frames.js'

export interface Feedback {
  /** A participant's rating of an answer; refuses what is not a written AI answer. */
  rate (userId: number, messageId: number, rating: FeedbackRating | null): FeedbackCounts
  /** The rated answers of the current lesson, most "confused" first. */
  lesson (): FeedbackCounts[]
  /** The counts of every rated answer of a session, by answer. */
  countsOf (sessionId: number): Map<number, { helpful: number, confused: number }>
  /** One participant's own ratings of these answers (their page shows them after a reload). */
  ratingsOf (userId: number, messageIds: readonly number[]): Map<number, FeedbackRating>
}

export function createFeedback (o: { store: ChatStore, feedback: FeedbackStore, hub: Hub }): Feedback {
  return {
    rate (userId, messageId, rating) {
      const message = o.store.getMessage(messageId)
      if (message === null || message.hiddenAt !== null) throw Errors.messageNotFound(messageId)
      if (message.role !== 'assistant') throw Errors.validation(`Message ${messageId} is not an AI answer: only answers can be rated.`)
      if (message.status === 'streaming') throw Errors.validation('Rate an answer once it is written.')
      const counts = o.feedback.rate({ messageId, userId, rating, at: Date.now() })
      const frame = feedbackUpdateFrame(messageId, counts)
      o.hub.broadcastAdmin(frame)
      return { message_id: messageId, helpful: counts.helpful, confused: counts.confused }
    },
    lesson () {
      return o.feedback.bySession(o.store.currentSession().id).map(r => ({ message_id: r.messageId, helpful: r.helpful, confused: r.confused }))
    },
    countsOf (sessionId) {
      return new Map(o.feedback.bySession(sessionId).map(r => [r.messageId, { helpful: r.helpful, confused: r.confused }]))
    },
    ratingsOf: (userId, messageIds) => o.feedback.ratingsOf(userId, messageIds)
  }
}
