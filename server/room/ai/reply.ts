/**
 * One AI reply's life, written down in one place (as gate.ts does for a question).
 *
 *   queued ──start──▶ streaming ──end──────────────────────────────▶ ending ──saved──▶ ended
 *     │                 │ hold: from here it streams to the host only   ▲  (a failed save stays
 *     │                 └──end(complete, or cut at the limit) if held─┐ │   ending and is tried
 *     │                                                  in_review ◀──┘ │   again at the next
 *     │                                  release / discard ─────────────┘   checkpoint)
 *     └──end(stopped: its asker or the host stopped it while it waited)──▶ ending
 *
 * `transition` is the one function that moves a reply; anything else it is asked is a bug and
 * throws. The orchestrator (ai-orchestrator.ts) turns each step into frames and store writes.
 */
import type { AgentStep } from '../../ports.js'
import type { AiMessageEndFrame, AiMessageErrorFrame, Citation } from '../../protocol/index.js'
import type { AppError } from '../../errors.js'

/** How a reply ends in the store and on the wire. */
export type ReplyStatus = 'complete' | 'stopped' | 'failed' | 'interrupted'
/** Why a streaming reply is being stopped: its asker or the host, the host shutting down, the answer limit. */
export type StopReason = 'stopped' | 'shutdown' | 'length'

export interface ReplyEnd {
  status: ReplyStatus
  error: AppError | null
  /** the host released it with their own edit */
  isEditedByHost: boolean
}

export type ReplyState =
  /** waiting in the fair queue; `isHeld` when the room reviews answers first */
  | { phase: 'queued', isHeld: boolean }
  /** asking the AI; held replies stream to the host's sockets only and are not saved */
  | { phase: 'streaming', isHeld: boolean, stopping: StopReason | null }
  /** written and held: the host releases or discards it */
  | { phase: 'in_review' }
  /** its end is decided and is being saved (again at each checkpoint while the save fails) */
  | { phase: 'ending', end: ReplyEnd, isHeld: boolean }
  | { phase: 'ended' }

export type ReplyChange =
  | { type: 'start' }
  /** the host's word list matched, or it reviews answers first */
  | { type: 'hold' }
  | { type: 'stop', reason: StopReason }
  /** the stream is over (or never ran); `isShuttingDown` sends a held answer to its end, not to review */
  | { type: 'end', status: ReplyStatus, error: AppError | null, isShuttingDown: boolean }
  | { type: 'review', verdict: 'released' | 'discarded', isEdited: boolean, isCut: boolean }
  | { type: 'saved' }

/** The one transition function: the state an event leads to; an event a state cannot take throws. */
export function transition (s: ReplyState, e: ReplyChange): ReplyState {
  switch (e.type) {
    case 'start':
      if (s.phase === 'queued') return { phase: 'streaming', isHeld: s.isHeld, stopping: null }
      break
    case 'hold':
      if (s.phase === 'queued' || s.phase === 'streaming') return { ...s, isHeld: true }
      break
    case 'stop':
      if (s.phase === 'streaming') return { ...s, stopping: e.reason }
      break
    case 'end':
      if (s.phase === 'queued' || s.phase === 'streaming') {
        // An answer cut at the limit is an answer too: the host reads what was kept.
        const isAnswer = e.status === 'complete' || (s.phase === 'streaming' && s.stopping === 'length')
        if (s.isHeld && isAnswer && !e.isShuttingDown) return { phase: 'in_review' }
        return { phase: 'ending', end: { status: e.status, error: e.error, isEditedByHost: false }, isHeld: s.isHeld }
      }
      // Held answers were never shown: at shutdown they end empty, as interrupted.
      if (s.phase === 'in_review' && e.isShuttingDown) return { phase: 'ending', end: { status: e.status, error: e.error, isEditedByHost: false }, isHeld: true }
      break
    case 'review':
      if (s.phase === 'in_review') {
        // Released as written, a cut answer still says it was stopped; the host's own edit is whole.
        const status = e.verdict === 'released' && !e.isCut ? 'complete' : 'stopped'
        return { phase: 'ending', end: { status, error: null, isEditedByHost: e.verdict === 'released' && e.isEdited }, isHeld: false }
      }
      break
    case 'saved':
      if (s.phase === 'ending') return { phase: 'ended' }
      break
  }
  throw new Error(`an AI reply in phase "${s.phase}" cannot take "${e.type}"`)
}

/** Whether the reply's stream is still to come or running (it counts against its asker's queue). */
export function isLive (s: ReplyState): s is Extract<ReplyState, { phase: 'queued' | 'streaming' }> {
  return s.phase === 'queued' || s.phase === 'streaming'
}

/** Whether the room must not see the reply's text (yet): held for the host. */
export function isHeld (s: ReplyState): boolean {
  return s.phase === 'in_review' || ((s.phase === 'queued' || s.phase === 'streaming' || s.phase === 'ending') && s.isHeld)
}

/** The stream's status when it was aborted: by a stop, or by the shutdown (interrupted). */
export function abortedStatus (s: ReplyState): ReplyStatus {
  return s.phase === 'streaming' && s.stopping === 'shutdown' ? 'interrupted' : 'stopped'
}

/** The asker's HTTP stream: the saved text as it grows, then the end frame. */
export type ReplyListener = (event:
| { type: 'delta', text: string, conversationId: string }
| { type: 'replace', text: string, conversationId: string }
| { type: 'done', frame: AiMessageEndFrame | AiMessageErrorFrame }) => void

/** One reply as the orchestrator keeps it while it lives. */
export interface Reply {
  readonly id: number
  readonly seq: number
  readonly replyTo: number
  readonly askerId: number
  /** what the AI is asked ("name: question") */
  readonly query: string
  /** the question's photos (ids), uploaded to the AI service before it is asked */
  readonly photoIds: readonly string[]
  state: ReplyState
  text: string
  /** place in the fair queue as last announced (0: streaming or never announced) */
  position: number
  controller: AbortController | null
  taskId: string | null
  /** the AI service's id of this answer (its follow-up questions are asked by it) */
  difyMessageId: string | null
  /** the annotation the AI app answered from (the host taught it this answer) */
  annotationId: string | null
  conversationId: string
  citations: Citation[]
  usage: Record<string, unknown> | null
  steps: Map<string, AgentStep>
  /** the answer limit it was cut at */
  cutAtChars: number | null
  /** text the asker's HTTP stream was given (only saved text, as the sockets) */
  listenerText: string
  readonly listener: ReplyListener | undefined
  startedAt: number
}

export function createReply (o: { id: number, seq: number, replyTo: number, askerId: number, query: string, photoIds?: readonly string[], conversationId: string, isHeld: boolean, listener: ReplyListener | undefined }): Reply {
  return {
    id: o.id,
    seq: o.seq,
    replyTo: o.replyTo,
    askerId: o.askerId,
    query: o.query,
    photoIds: o.photoIds ?? [],
    state: { phase: 'queued', isHeld: o.isHeld },
    text: '',
    position: 0,
    controller: null,
    taskId: null,
    difyMessageId: null,
    annotationId: null,
    conversationId: o.conversationId,
    citations: [],
    usage: null,
    steps: new Map(),
    cutAtChars: null,
    listenerText: '',
    listener: o.listener,
    startedAt: Date.now()
  }
}
