/**
 * The teacher's gate: the life of a question in `approve` mode, written down in one place.
 *
 *   pending ──approve(content?)──▶ approved   (the AI is asked the approved text)
 *      │   ──reject(reason?)────▶ rejected   (no reply)
 *      └───merge(into)──────────▶ merged     (answered by the question it points to)
 *
 * Every state but `pending` is final: deciding again is a 409. Votes count only while pending.
 * The service (gate-service.ts) persists each step and turns it into one `question_update` frame.
 */
import { Errors } from '../../errors.js'
import type { Question, QuestionState } from '../../ports.js'

export type { Question, QuestionState } from '../../ports.js'

export const QuestionStatus = { pending: 'pending', approved: 'approved', rejected: 'rejected', merged: 'merged' } as const
export type QuestionStatus = typeof QuestionStatus[keyof typeof QuestionStatus]

/** What the host may do with a pending question. */
export type QuestionDecision =
  | { type: 'approve', content: string | null }
  | { type: 'reject', reason: string | null }
  | { type: 'merge', into: number }

/** Longest reason a host may give when rejecting, in characters. */
export const MAX_REASON_LENGTH = 500

/**
 * The one transition function: the state a decision leads to, or the refusal. `into` is the
 * merge target when the decision is a merge.
 */
export function decide (q: Question, d: QuestionDecision, into?: Question | null): QuestionState {
  if (q.state.status !== 'pending') throw Errors.questionDecided(q.state.status)
  switch (d.type) {
    case 'approve': {
      const edited = d.content === null ? null : d.content.trim()
      if (edited === '') throw Errors.emptyEdit()
      const isEdited = edited !== null && edited !== q.content.trim()
      return { status: 'approved', content: isEdited ? edited : q.content, isEdited }
    }
    case 'reject': {
      const reason = d.reason === null ? null : d.reason.trim().slice(0, MAX_REASON_LENGTH)
      return { status: 'rejected', reason: reason === '' ? null : reason }
    }
    case 'merge': {
      if (d.into === q.messageId) throw Errors.mergeSelf()
      if (into == null) throw Errors.questionNotFound(d.into)
      if (into.state.status !== 'pending' && into.state.status !== 'approved') throw Errors.mergeTarget(into.messageId, into.state.status)
      // A chain is followed to its end so every merged question points to one that is answered.
      return { status: 'merged', mergedInto: into.messageId }
    }
  }
}

/** Whether a participant may (un)vote on this question now. */
export function checkVote (q: Question, voterId: number): void {
  if (q.state.status !== 'pending') throw Errors.questionDecided(q.state.status)
  if (q.askerId === voterId) throw Errors.ownVote()
}

/** The queue as the host sees it: pending first, most votes first, then oldest first. */
export function queueOrder (a: Question, b: Question): number {
  const pa = a.state.status === 'pending' ? 0 : 1
  const pb = b.state.status === 'pending' ? 0 : 1
  if (pa !== pb) return pa - pb
  if (pa === 0 && a.votes !== b.votes) return b.votes - a.votes
  if (pa === 0) return a.createdAt - b.createdAt
  return (b.decidedAt ?? 0) - (a.decidedAt ?? 0)
}
