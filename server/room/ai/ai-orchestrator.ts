/**
 * Runs the room's AI replies: a global cap on concurrent streams over a fair queue, one shared
 * conversation per room, stop, and each reply's life (reply.ts) turned into frames and store
 * writes. The jobs live beside it: the queue (fair-queue.ts), the stream loop (stream-reply.ts),
 * answers the host reads first (review-hold.ts) and write-ahead saving (reply-saving.ts).
 */
import type { FastifyBaseLogger } from 'fastify'
import type { AiGateway, AiUpload, ChatStore, ParticipantRecord, StoredMessage } from '../../ports.js'
import { ANSWER_LIMIT, withoutAiMention } from '../../protocol/index.js'
import { AppError, Errors } from '../../errors.js'
import type { Hub } from '../engine/hub.js'
import { queueFrame, replyStartFrame, reviewFrame } from '../frames.js'
import { createFairQueue } from './fair-queue.js'
import { createFollowUps } from './follow-ups.js'
import { abortedStatus, createReply, isHeld, isLive, transition, type Reply, type ReplyListener, type ReplyStatus } from './reply.js'
import { createReplySaving } from './reply-saving.js'
import { createReviewHold, type ReviewHold } from './review-hold.js'
import { streamReply } from './stream-reply.js'

export type { ReplyListener } from './reply.js'

export interface ReplySnapshot { id: number, replyTo: number, text: string, conversationId: string }

export interface AiOrchestrator {
  readonly isAvailable: boolean
  /** Why this participant may not ask now, or null. */
  refusal (userId: number): AppError | null
  /** Creates the reply (`ai_message_start`) and queues or starts it. */
  ask (question: StoredMessage, asker: ParticipantRecord, listener?: ReplyListener): { id: number, seq: number }
  /** Stops a queued or streaming reply; `by` is the asker's id or 'host'. */
  stop (replyId: number, by: number | 'host'): void
  /** Replies still streaming, with their text so far (for snapshots on connect). */
  snapshots (): ReplySnapshot[]
  counts (): { active: number, queued: number }
  /** Forgets the room's conversation: the next question starts a fresh one. */
  resetConversation (): void
  /** Live settings: replies from now on use this gateway (running ones finish on theirs); null turns the AI off. */
  setGateway (ai: AiGateway | null): void
  /** The gateway in use now (the lesson summary asks it in a conversation of its own). */
  gateway (): AiGateway | null
  /** Review answers first: answers written and waiting for the host, with their text. */
  heldAnswers (): Array<{ id: number, replyTo: number, text: string }>
  /** Whether the host is checking this answer now (held while it streams, or written and waiting). */
  isUnderReview (replyId: number): boolean
  /** Releases a held answer to the room (the host's edit when given); false when none is held. */
  release (replyId: number, content: string | null): boolean
  /** Discards a held answer: the room gets an empty stopped answer and the host's note. */
  discard (replyId: number, note: string | null): boolean
  /** Live settings: how many replies stream at once. */
  setConcurrency (n: number): void
  /** Ends every reply as interrupted (graceful shutdown). */
  shutdown (): void
}

export interface OrchestratorOptions {
  store: ChatStore
  hub: Hub
  ai: AiGateway | null
  logger: FastifyBaseLogger
  concurrency: number
  perUserQueue: number
  isLimited: boolean
  checkpointMs: number
  /** the one AI-side user of this room */
  aiUser: string
  /** a question's photo as the AI service is given it (null: gone, e.g. erased) */
  photoForAi?: (id: string) => Promise<AiUpload | null>
  /** the values the host set for the AI app's input form, sent with every question */
  inputs?: () => Record<string, unknown>
  /** observers for metrics */
  onFirstToken?: (ms: number) => void
  onFinished?: (ms: number, status: string) => void
  /** one write-ahead save of streaming text: its SQLite time and how many answers moved */
  onFlushWrite?: (ms: number, answers: number) => void
  /** Review answers first (a room setting): answers stream to the host's sockets only until released. */
  isReviewed?: () => boolean
  /**
   * The host's word list on answers: the listed word that `before + delta` contains (null: none, or
   * the list is off). From that delta on the answer is held for the host. Two parts, so nothing is
   * concatenated per delta while the list is off.
   */
  holdsAnswer?: (before: string, delta: string) => string | null
  /** Records that the host edited a released answer, on its end event. */
  markEditedByHost?: (seq: number) => void
  /** The answer limit in characters (a live setting), read as each answer starts. */
  maxAnswerChars?: () => number
}

const CONVERSATION_KEY = 'ai_conversation_id'
const MAX_QUEUED = 2000

/** Creates the orchestrator; it owns one checkpoint timer for the whole room. */
export function createAiOrchestrator (o: OrchestratorOptions): AiOrchestrator {
  const replies = new Map<number, Reply>()
  const queue = createFairQueue<Reply>(r => r.askerId)
  let gateway = o.ai
  let concurrency = o.concurrency
  let activeCount = 0
  let conversationId: string | null = o.store.getSetting(CONVERSATION_KEY)
  let isShuttingDown = false
  const review = createReviewHold({ hub: o.hub, logger: o.logger, holdsAnswer: o.holdsAnswer })
  const followUps = createFollowUps({ store: o.store, hub: o.hub, aiUser: o.aiUser, logger: o.logger })
  const saving = createReplySaving({
    store: o.store,
    replies,
    broadcast: frame => o.hub.broadcast(frame),
    logger: o.logger,
    onFlushWrite: o.onFlushWrite,
    markEditedByHost: o.markEditedByHost,
    onEnded (r, status) {
      // A written answer the room sees: the AI app's follow-up questions, if it has them on.
      if (status !== 'complete' || r.difyMessageId === null || gateway === null) return
      followUps.afterAnswer(gateway, r.id, r.difyMessageId).catch(() => {})
    }
  })
  const conversation = { get: () => conversationId, set: setConversation }

  const checkpointTimer = setInterval(saving.retryEnds, o.checkpointMs)
  checkpointTimer.unref()
  o.hub.setWriteAhead(saving.saveStreamingText)

  function setConversation (id: string | null): void {
    if (id === conversationId) return
    conversationId = id
    try { o.store.setSetting(CONVERSATION_KEY, id) } catch (err) { o.logger.error({ err }, 'could not save the AI conversation id') }
  }

  /** Positions in the order the fair queue will serve them; announces the ones that moved. */
  function announcePositions (): void {
    let position = 1
    for (const r of queue.order()) {
      if (r.position !== position) {
        r.position = position
        o.hub.broadcast(queueFrame(r.id, position))
      }
      position++
    }
  }

  function pump (): void {
    if (isShuttingDown) return
    let hasStarted = false
    while (activeCount < concurrency && queue.size > 0) {
      const r = queue.shift()!
      hasStarted = true
      run(r).catch((err: unknown) => o.logger.error({ err, replyId: r.id }, 'AI reply crashed'))
    }
    if (hasStarted || queue.size > 0) announcePositions()
  }

  async function run (r: Reply): Promise<void> {
    r.state = transition(r.state, { type: 'start' })
    activeCount++
    r.startedAt = Date.now()
    if (r.position !== 0) {
      r.position = 0
      o.hub.broadcast(queueFrame(r.id, 0))
    }
    const controller = new AbortController()
    r.controller = controller
    const ai = gateway
    // The host removed the AI service while this question waited.
    if (ai === null) { end(r, 'failed', Errors.aiNotConfigured()); return }
    const outcome = await streamReply(r, controller.signal, {
      gateway: ai,
      hub: o.hub,
      aiUser: o.aiUser,
      inputs: o.inputs?.() ?? {},
      limit: o.maxAnswerChars?.() ?? ANSWER_LIMIT.default,
      conversation,
      logger: o.logger,
      onFirstToken: o.onFirstToken,
      checkHold: review.checkHold,
      ...(o.photoForAi !== undefined ? { photoForAi: o.photoForAi } : {})
    })
    switch (outcome.type) {
      case 'abandoned':
        return
      case 'aborted':
        end(r, abortedStatus(r.state), abortedStatus(r.state) === 'interrupted' ? Errors.aiInterrupted() : null)
        return
      case 'failed': {
        const e = outcome.error
        if (e.statusCode >= 500 && !e.code.startsWith('ERR_AI_')) o.logger.error({ err: outcome.cause, replyId: r.id }, 'AI reply failed')
        else o.logger.warn({ code: e.code, replyId: r.id, cause: e.cause instanceof Error ? e.cause.message : undefined }, 'AI reply failed')
        end(r, 'failed', e)
        return
      }
      case 'cut':
        stopAtLimit(r, ai, outcome.limit)
        await flushed(r)
        end(r, 'stopped', null)
        return
      case 'complete':
        await flushed(r)
        end(r, 'complete', null)
    }
  }

  /**
   * The last deltas go out before the end is written to disk: in one turn with that SQLite write
   * (several, when answers end together) they would wait for it.
   */
  async function flushed (r: Reply): Promise<void> {
    if (o.hub.pendingDelta(r.id) !== '') await new Promise(resolve => setImmediate(resolve))
  }

  /** The answer reached the limit: the AI service stops generating it, as when its asker stops it. */
  function stopAtLimit (r: Reply, ai: AiGateway, limit: number): void {
    r.state = transition(r.state, { type: 'stop', reason: 'length' })
    r.cutAtChars = limit
    o.logger.info({ replyId: r.id, limit }, 'an AI answer reached the answer limit: cut there and stopped')
    if (r.taskId !== null) ai.stop(r.taskId, o.aiUser).catch((err: unknown) => o.logger.warn({ err }, 'AI stop request failed'))
    r.controller?.abort()
  }

  /** The reply's stream is over (or never ran): to review, or to its end in the store. */
  function end (r: Reply, status: ReplyStatus, error: AppError | null): void {
    if (!isLive(r.state)) return
    if (r.state.phase === 'streaming') activeCount--
    else queue.remove(r)
    const wasHeld = isHeld(r.state)
    r.state = transition(r.state, { type: 'end', status, error, isShuttingDown })
    r.controller?.abort()
    o.onFinished?.(Date.now() - r.startedAt, status)
    if (r.state.phase === 'in_review') review.toReview(r)
    else {
      // A held answer that failed or was stopped never reaches the room: only its end does.
      if (wasHeld) r.text = ''
      saving.saveEnd(r)
    }
    pump()
  }

  function endReview (replyId: number, verdict: Parameters<ReviewHold['endReview']>[1]): boolean {
    const r = review.endReview(replyId, verdict)
    if (r === null || r.state.phase !== 'ending') return false
    const isEdited = r.state.end.isEditedByHost
    saving.saveEnd(r)
    o.hub.broadcast(reviewFrame(r, verdict.type === 'released' ? { status: 'released', isEdited } : { status: 'discarded', note: verdict.note }))
    return true
  }

  return {
    get isAvailable () { return gateway !== null },
    refusal (userId) {
      if (gateway === null) return Errors.aiNotConfigured()
      if (queue.size >= MAX_QUEUED) return Errors.aiQueueFull()
      if (!o.isLimited) return null
      let mine = 0
      for (const r of replies.values()) if (r.askerId === userId && isLive(r.state)) mine++
      if (mine >= o.perUserQueue) return Errors.aiQueueFullForAsker(mine)
      return null
    },
    ask (question, asker, listener) {
      const { message, event } = o.store.createReply({ replyTo: question.id, askerId: asker.id, at: Date.now() })
      const r = createReply({
        id: message.id,
        seq: event.seq,
        replyTo: question.id,
        askerId: asker.id,
        query: `${asker.username}: ${withoutAiMention(question.content)}`,
        photoIds: question.files?.map(f => f.id) ?? [],
        conversationId: conversationId ?? '',
        isHeld: false,
        listener
      })
      replies.set(r.id, r)
      queue.push(r)
      const willStart = activeCount < concurrency
      o.hub.broadcast(replyStartFrame(event, r.id, question.id, willStart ? 0 : queue.size))
      if (!willStart) r.position = queue.size
      if (o.isReviewed?.() === true) review.hold(r)
      pump()
      return { id: r.id, seq: event.seq }
    },
    stop (replyId, by) {
      const r = replies.get(replyId)
      if (r === undefined || !isLive(r.state)) throw Errors.replyNotStreaming()
      if (by !== 'host' && r.askerId !== by) throw Errors.notAsker()
      if (r.state.phase === 'queued') { end(r, 'stopped', null); return }
      r.state = transition(r.state, { type: 'stop', reason: 'stopped' })
      if (r.taskId !== null) gateway?.stop(r.taskId, o.aiUser).catch((err: unknown) => o.logger.warn({ err }, 'AI stop request failed'))
      r.controller?.abort()
    },
    snapshots () {
      const out: ReplySnapshot[] = []
      for (const r of replies.values()) if (r.state.phase === 'streaming' && !r.state.isHeld) out.push({ id: r.id, replyTo: r.replyTo, text: r.text, conversationId: r.conversationId })
      return out
    },
    counts: () => ({ active: activeCount, queued: queue.size }),
    resetConversation () { setConversation(null) },
    setGateway (ai) { gateway = ai },
    gateway: () => gateway,
    heldAnswers: () => review.waiting().map(r => ({ id: r.id, replyTo: r.replyTo, text: r.text })),
    isUnderReview (replyId) {
      const r = replies.get(replyId)
      return r !== undefined && r.state.phase !== 'ending' && isHeld(r.state)
    },
    release: (replyId, content) => endReview(replyId, { type: 'released', content }),
    discard: (replyId, note) => endReview(replyId, { type: 'discarded', note }),
    setConcurrency (n) {
      concurrency = n
      pump()
    },
    shutdown () {
      clearInterval(checkpointTimer)
      isShuttingDown = true
      for (const r of [...replies.values()]) {
        if (!isLive(r.state)) continue
        if (r.state.phase === 'streaming') r.state = transition(r.state, { type: 'stop', reason: 'shutdown' })
        end(r, 'interrupted', Errors.aiInterrupted())
      }
      // Held answers were never shown: they end empty, as interrupted.
      for (const r of review.drain()) {
        r.text = ''
        r.state = transition(r.state, { type: 'end', status: 'interrupted', error: Errors.aiInterrupted(), isShuttingDown: true })
        saving.saveEnd(r)
      }
      saving.retryEnds()
    }
  }
}
