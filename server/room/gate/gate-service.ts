/**
 * The gate as a service: opens questions for messages that ask the AI in `approve` mode, takes
 * votes, carries out the host's decisions (room/gate.ts says which are allowed), sends each step
 * to the room as one persisted `question_update`, and asks the AI when a question is approved.
 * The room's AI budget is charged here, when a question is really sent, not when it is posted.
 */
import type { FastifyBaseLogger } from 'fastify'
import type { ChatStore, GateStore, ParticipantRecord, QuestionStep, RoomEvent, StoredMessage } from '../../ports.js'
import { AppError, Errors } from '../../errors.js'
import type { Hub } from '../engine/hub.js'
import type { AiOrchestrator } from '../ai/ai-orchestrator.js'
import { checkVote, decide, queueOrder, type Question, type QuestionDecision } from './gate.js'
import { questionFrame } from '../frames.js'

export interface Gate {
  /** Why this participant may not open another question now, or null. */
  refusal (userId: number): AppError | null
  /** Opens the question for a posted message that asks the AI. */
  open (message: StoredMessage): void
  /** A participant's vote (`isUp: false` takes it back); a repeated vote changes nothing. */
  vote (userId: number, messageId: number, isUp: boolean): void
  /** The host's decision; an approval asks the AI and returns the reply started. */
  decide (messageId: number, decision: QuestionDecision): { question: Question, replyId: number | null }
  /** The queue: pending first, most votes first. */
  list (scope?: 'current' | 'all'): Question[]
  /** The questions this participant votes for now. */
  votedBy (userId: number): number[]
  get (messageId: number): Question | null
  waitingCount (): number
}

export interface GateOptions {
  gate: GateStore
  store: ChatStore
  hub: Hub
  ai: AiOrchestrator
  /** Charges the AI budgets for a question being sent; throws 429 when they are used up. */
  chargeQuestion?: (askerId: number | null) => void
  logger: FastifyBaseLogger
  /** pending questions one participant may have at once */
  maxPendingPerUser: number
}

/** Creates the gate service. */
export function createGate (o: GateOptions): Gate {
  function broadcast (s: { step: QuestionStep, event: RoomEvent }): void {
    const frame = questionFrame(s.event, s.step, null)
    const voterId = s.step.voterId
    if (voterId === undefined) o.hub.broadcast(frame)
    else o.hub.broadcast(frame, { userId: voterId, frame: questionFrame(s.event, s.step, voterId) })
  }

  function mustGet (messageId: number): Question {
    const q = o.gate.getQuestion(messageId)
    if (q === null) throw Errors.questionNotFound(messageId)
    return q
  }

  function askerOf (q: Question): ParticipantRecord {
    const p = q.askerId === null || q.askerId === 0 ? null : o.store.getParticipant(q.askerId)
    return p ?? { id: q.askerId ?? 0, username: q.asker, emoji: '', createdAt: q.createdAt }
  }

  return {
    refusal (userId) {
      const pending = o.gate.pendingCount(userId)
      if (pending >= o.maxPendingPerUser) {
        return Errors.questionsWaitingForHost(pending)
      }
      return null
    },
    open (message) {
      broadcast(o.gate.openQuestion({ messageId: message.id, at: Date.now() }))
    },
    vote (userId, messageId, isUp) {
      checkVote(mustGet(messageId), userId)
      const step = o.gate.vote({ messageId, userId, isUp, at: Date.now() })
      if (step !== null) broadcast(step)
    },
    decide (messageId, decision) {
      const q = mustGet(messageId)
      const into = decision.type === 'merge' ? o.gate.getQuestion(decision.into) : null
      const next = decide(q, decision, into)
      const message = o.store.getMessage(messageId)
      if (message === null) throw Errors.questionNotFound(messageId)
      if (next.status === 'approved') {
        // Refuse before anything is written: the question stays pending and the host can retry.
        if (!o.ai.isAvailable) throw Errors.aiNotConfiguredFor('no question can be sent to it')
        o.chargeQuestion?.(q.askerId)
      }
      const steps = o.gate.decide({ messageId, state: next, at: Date.now() })
      for (const step of steps) broadcast(step)
      let replyId: number | null = null
      if (next.status === 'approved') {
        const reply = o.ai.ask({ ...message, content: next.content }, askerOf(q))
        replyId = reply.id
        o.gate.setReply(messageId, reply.id)
      }
      o.logger.info({ messageId, decision: decision.type }, 'question decided')
      return { question: mustGet(messageId), replyId }
    },
    list: (scope) => o.gate.listQuestions(scope).sort(queueOrder),
    votedBy: (userId) => o.gate.votedBy(userId),
    get: (messageId) => o.gate.getQuestion(messageId),
    waitingCount: () => o.gate.pendingCount(null)
  }
}
