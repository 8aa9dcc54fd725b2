/**
 * Runs the room's AI replies: a global cap on concurrent streams with a fair queue (round-robin
 * across askers), one shared conversation per room, stop, checkpoints of streaming text, and the
 * reply lifecycle in the store (streaming → complete / stopped / failed / interrupted). An answer
 * that reaches the host's answer limit (answer-cap.ts) is cut there and stopped at the AI service.
 */
import type { FastifyBaseLogger } from 'fastify'
import type { AiGateway, AgentStep, ChatStore, ParticipantRecord, StoredMessage } from '../../ports.js'
import { ANSWER_LIMIT, withoutAiMention, type AiMessageEndFrame, type AiMessageErrorFrame, type Citation } from '../../protocol/index.js'
import { AppError, ErrorCode, Errors, toAppError } from '../../errors.js'
import type { AnswerWrite, Hub } from '../engine/hub.js'
import { persistedFrame, queueFrame, replyStartFrame, reviewFrame } from '../frames.js'
import { createAnswerCap } from './answer-cap.js'

export type ReplyListener = (event:
| { type: 'delta', text: string, conversationId: string }
| { type: 'replace', text: string, conversationId: string }
| { type: 'done', frame: AiMessageEndFrame | AiMessageErrorFrame }) => void

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

interface Reply {
  id: number
  seq: number
  replyTo: number
  askerId: number
  query: string
  text: string
  state: 'queued' | 'active' | 'done'
  position: number
  controller: AbortController | null
  taskId: string | null
  conversationId: string
  citations: Citation[]
  usage: Record<string, unknown> | null
  steps: Map<string, AgentStep>
  stopReason: 'stopped' | 'shutdown' | 'length' | null
  /** the answer limit it was cut at (stopReason 'length') */
  cutAtChars: number | null
  /** text the asker's HTTP stream was given (only saved text, as the sockets) */
  listenerText: string
  listener: ReplyListener | undefined
  startedAt: number
  /** held for the host's review: streams to admin sockets only, never saved before release */
  isHeld: boolean
}

const CONVERSATION_KEY = 'ai_conversation_id'
const MAX_QUEUED = 2000
/** How much of an answer's end is checked again with each delta (a listed word split across deltas). */
const WORD_WINDOW = 200

/** Creates the orchestrator; it owns one checkpoint timer for the whole room. */
export function createAiOrchestrator (o: OrchestratorOptions): AiOrchestrator {
  const replies = new Map<number, Reply>()
  const userQueues = new Map<number, Reply[]>()
  const rotation: number[] = []
  let activeCount = 0
  let queuedCount = 0
  let conversationId: string | null = o.store.getSetting(CONVERSATION_KEY)
  let isShuttingDown = false
  const unfinished = new Map<number, { status: 'complete' | 'stopped' | 'failed' | 'interrupted', error: AppError | null }>()
  /** answers complete and waiting for the host to release or discard them */
  const held = new Map<number, Reply>()

  const checkpointTimer = setInterval(checkpoint, o.checkpointMs)
  checkpointTimer.unref()
  o.hub.setWriteAhead(saveAnswers)

  function setConversation (id: string | null): void {
    if (id === conversationId) return
    conversationId = id
    try { o.store.setSetting(CONVERSATION_KEY, id) } catch (err) { o.logger.error({ err }, 'could not save the AI conversation id') }
  }

  /** Retries the ends of replies that could not be saved (streaming text is saved by saveAnswers). */
  function checkpoint (): void {
    for (const [id, f] of unfinished) {
      const r = replies.get(id)
      if (r !== undefined) persistFinish(r, f.status, f.error)
    }
  }

  /**
   * Write before you show: the hub calls this right before it writes sockets, with the text every
   * answer gained since its last flush, and one transaction appends it all. When it throws, nothing
   * was saved and the hub shows nothing and tries again. The asker's HTTP stream gets the same text,
   * after it is saved.
   */
  function saveAnswers (writes: readonly AnswerWrite[]): void {
    const updates: Array<{ id: number, content: string, append: boolean }> = []
    // An ended reply was saved whole by finishReply.
    // A held answer is not saved before release: the room's history must not show it.
    for (const w of writes) if (replies.has(w.id) && replies.get(w.id)?.isHeld !== true) updates.push({ id: w.id, content: w.text, append: !w.isReplace })
    if (updates.length === 0) return
    const startedAt = performance.now()
    o.store.checkpointReplies(updates)
    o.onFlushWrite?.(performance.now() - startedAt, updates.length)
    for (const w of writes) {
      const r = replies.get(w.id)
      if (r !== undefined && r.state !== 'done' && !r.isHeld) tellListener(r, w.text, w.isReplace)
    }
  }

  function tellListener (r: Reply, text: string, isReplace: boolean): void {
    if (r.listener === undefined) return
    r.listenerText = isReplace ? text : r.listenerText + text
    r.listener({ type: isReplace ? 'replace' : 'delta', text, conversationId: r.conversationId })
  }

  function enqueue (r: Reply): void {
    let q = userQueues.get(r.askerId)
    if (q === undefined) { q = []; userQueues.set(r.askerId, q); rotation.push(r.askerId) }
    q.push(r)
    queuedCount++
  }

  function dequeue (): Reply | undefined {
    const userId = rotation.shift()
    if (userId === undefined) return undefined
    const q = userQueues.get(userId)!
    const r = q.shift()!
    queuedCount--
    if (q.length > 0) rotation.push(userId)
    else userQueues.delete(userId)
    return r
  }

  function removeQueued (r: Reply): void {
    const q = userQueues.get(r.askerId)
    if (q === undefined) return
    const i = q.indexOf(r)
    if (i < 0) return
    q.splice(i, 1)
    queuedCount--
    if (q.length === 0) {
      userQueues.delete(r.askerId)
      rotation.splice(rotation.indexOf(r.askerId), 1)
    }
  }

  /** Positions in the order the fair queue will serve them; announces the ones that moved. */
  function announcePositions (): void {
    const cursors = rotation.map(u => ({ q: userQueues.get(u)!, i: 0 }))
    let position = 1
    let remaining = queuedCount
    while (remaining > 0) {
      for (const c of cursors) {
        const r = c.q[c.i]
        if (r === undefined) continue
        c.i++
        remaining--
        if (r.position !== position) {
          r.position = position
          o.hub.broadcast(queueFrame(r.id, position))
        }
        position++
      }
    }
  }

  function pump (): void {
    if (isShuttingDown) return
    let hasStarted = false
    while (activeCount < o.concurrency && queuedCount > 0) {
      const r = dequeue()!
      hasStarted = true
      run(r).catch((err: unknown) => o.logger.error({ err, replyId: r.id }, 'AI reply crashed'))
    }
    if (hasStarted || queuedCount > 0) announcePositions()
  }

  async function run (r: Reply): Promise<void> {
    r.state = 'active'
    activeCount++
    r.startedAt = Date.now()
    if (r.position !== 0) {
      r.position = 0
      o.hub.broadcast(queueFrame(r.id, 0))
    }
    const controller = new AbortController()
    r.controller = controller
    const ai = o.ai
    // The host removed the AI service while this question waited.
    if (ai === null) { finish(r, 'failed', Errors.aiNotConfigured()); return }
    let conversation = conversationId
    let isFirstToken = true
    const cap = createAnswerCap(o.maxAnswerChars?.() ?? ANSWER_LIMIT.default)
    for (let attempt = 0; attempt < 2; attempt++) {
      try {
        for await (const ev of ai.streamReply({ query: r.query, user: o.aiUser, conversationId: conversation, inputs: o.inputs?.() ?? {} }, controller.signal)) {
          if (isDone(r)) return
          switch (ev.type) {
            case 'meta':
              if (ev.taskId !== null) r.taskId = ev.taskId
              if (ev.conversationId !== null && ev.conversationId !== '') {
                r.conversationId = ev.conversationId
                setConversation(ev.conversationId)
              }
              break
            case 'delta': {
              const text = cap.append(ev.text)
              if (text === '') break
              if (isFirstToken) { isFirstToken = false; o.onFirstToken?.(Date.now() - r.startedAt) }
              // The word list: from the delta that completes a listed word on, the answer is held for the host.
              if (!r.isHeld && o.holdsAnswer !== undefined) holdIfListed(r, r.text.length > WORD_WINDOW ? r.text.slice(-WORD_WINDOW) : r.text, text)
              r.text += text
              // Saved, then shown (sockets and the asker's stream) at the hub's next flush: saveAnswers.
              o.hub.appendDelta(r.id, r.replyTo, r.conversationId, text, r.isHeld ? { adminOnly: true } : undefined)
              break
            }
            case 'replace': {
              const text = cap.replace(ev.text)
              if (!r.isHeld && o.holdsAnswer !== undefined) holdIfListed(r, '', text)
              r.text = text
              o.hub.replaceText(r.id, text, r.isHeld ? { adminOnly: true } : undefined)
              break
            }
            case 'step':
              r.steps.set(ev.step.id, ev.step)
              break
            case 'end':
              r.citations = ev.citations
              r.usage = ev.usage
              break
            case 'file':
            case 'progress':
              break
          }
          // Leaving the loop ends the gateway's stream (its HTTP body is destroyed) before Dify is told to stop.
          if (cap.isCut) break
        }
        if (cap.isCut) {
          stopAtLimit(r, ai, cap.limit)
          if (o.hub.pendingDelta(r.id) !== '') await new Promise(resolve => setImmediate(resolve))
          finish(r, 'stopped', null)
          return
        }
        // The last deltas go out before the end is written to disk: in one turn with that SQLite
        // write (several, when answers end together) they would wait for it.
        if (o.hub.pendingDelta(r.id) !== '') await new Promise(resolve => setImmediate(resolve))
        finish(r, 'complete', null)
        return
      } catch (err) {
        if (isDone(r)) return
        if (controller.signal.aborted) {
          finish(r, r.stopReason === 'shutdown' ? 'interrupted' : 'stopped', r.stopReason === 'shutdown' ? interruptedError() : null)
          return
        }
        const e = toAppError(err)
        if (e.code === ErrorCode.aiConversationGone && attempt === 0 && r.text === '' && conversation !== null) {
          o.logger.warn({ replyId: r.id }, 'AI conversation no longer exists; starting a new one')
          if (conversationId === conversation) setConversation(null)
          conversation = null
          continue
        }
        if (e.statusCode >= 500 && !e.code.startsWith('ERR_AI_')) o.logger.error({ err, replyId: r.id }, 'AI reply failed')
        else o.logger.warn({ code: e.code, replyId: r.id, cause: e.cause instanceof Error ? e.cause.message : undefined }, 'AI reply failed')
        finish(r, 'failed', e)
        return
      }
    }
  }

  /** The answer reached the limit: the AI service stops generating it, as when its asker stops it. */
  function stopAtLimit (r: Reply, ai: AiGateway, limit: number): void {
    r.stopReason = 'length'
    r.cutAtChars = limit
    o.logger.info({ replyId: r.id, limit }, 'an AI answer reached the answer limit: cut there and stopped')
    if (r.taskId !== null) ai.stop(r.taskId, o.aiUser).catch((err: unknown) => o.logger.warn({ err }, 'AI stop request failed'))
    r.controller?.abort()
  }

  /** Read through a function: the state changes while the stream is awaited. */
  function isDone (r: Reply): boolean { return r.state === 'done' }

  function interruptedError (): AppError {
    return Errors.aiInterrupted()
  }

  function finish (r: Reply, status: 'complete' | 'stopped' | 'failed' | 'interrupted', error: AppError | null): void {
    if (r.state === 'done') return
    if (r.state === 'active') activeCount--
    else if (r.state === 'queued') removeQueued(r)
    r.state = 'done'
    r.controller?.abort()
    o.onFinished?.(Date.now() - r.startedAt, status)
    // An answer cut at the limit is an answer too: the host reads what was kept.
    if (r.isHeld && (status === 'complete' || r.stopReason === 'length') && !isShuttingDown) {
      // Review answers first: the host sees the whole answer and decides; the room waits.
      held.set(r.id, r)
      o.hub.broadcastAdmin(reviewFrame(r, { status: 'ready', content: r.text }))
      pump()
      return
    }
    // A held answer that failed or was stopped never reaches the room: only its end does.
    if (r.isHeld) r.text = ''
    persistFinish(r, status, error)
    pump()
  }

  function holdIfListed (r: Reply, before: string, delta: string): void {
    const word = o.holdsAnswer?.(before, delta) ?? null
    if (word === null) return
    r.isHeld = true
    o.logger.info({ replyId: r.id }, 'an AI answer contains a word of the host\'s list: held for the host')
    o.hub.broadcast(reviewFrame(r, { status: 'reviewing' }))
  }

  /** Ends a held answer for the room: released (the whole answer) or discarded (empty). */
  function endReview (replyId: number, text: string | null, review: { status: 'released' | 'discarded', note?: string, isEdited?: boolean }): boolean {
    const r = held.get(replyId)
    if (r === undefined) return false
    held.delete(replyId)
    r.isHeld = false
    if (text !== null) r.text = text
    // Released as written, a cut answer still says it was cut; the host's own edit or a discard does not.
    const isCut = r.cutAtChars !== null && review.status === 'released' && review.isEdited !== true
    if (!isCut) r.cutAtChars = null
    persistFinish(r, review.status === 'released' && !isCut ? 'complete' : 'stopped', null, review.isEdited === true)
    o.hub.broadcast(reviewFrame(r, review.status === 'released' ? { status: 'released', isEdited: review.isEdited === true } : { status: 'discarded', note: review.note ?? null }))
    return true
  }

  function persistFinish (r: Reply, status: 'complete' | 'stopped' | 'failed' | 'interrupted', error: AppError | null, isEditedByHost = false): void {
    let frame: AiMessageEndFrame | AiMessageErrorFrame
    try {
      const { event, message } = o.store.finishReply({
        id: r.id,
        content: r.text,
        status,
        at: Date.now(),
        citations: r.citations.length > 0 ? r.citations : null,
        error: error === null ? null : { code: error.code, message: error.message },
        conversationId: r.conversationId === '' ? null : r.conversationId,
        usage: r.usage,
        steps: [...r.steps.values()].sort((x, y) => x.position - y.position),
        cutAtChars: status === 'stopped' ? r.cutAtChars : null
      })
      if (isEditedByHost) {
        o.markEditedByHost?.(event.seq)
        event.data = { ...event.data, edited_by_host: true }
      }
      frame = persistedFrame(event, message, null) as AiMessageEndFrame | AiMessageErrorFrame
    } catch (err) {
      // Keep the reply in memory and try again at the next checkpoint: nothing accepted is lost.
      unfinished.set(r.id, { status, error })
      o.logger.error({ err, replyId: r.id }, 'could not save the end of an AI reply; will retry')
      return
    }
    unfinished.delete(r.id)
    replies.delete(r.id)
    o.hub.broadcast(frame)
    // The asker's stream gets the last text (finishReply saved it just now), then the end.
    if (r.listenerText !== r.text) {
      if (r.text.startsWith(r.listenerText)) tellListener(r, r.text.slice(r.listenerText.length), false)
      else tellListener(r, r.text, true)
    }
    r.listener?.({ type: 'done', frame })
  }

  return {
    get isAvailable () { return o.ai !== null },
    refusal (userId) {
      if (o.ai === null) return Errors.aiNotConfigured()
      if (queuedCount >= MAX_QUEUED) return Errors.aiQueueFull()
      if (!o.isLimited) return null
      let mine = 0
      for (const r of replies.values()) if (r.askerId === userId && r.state !== 'done') mine++
      if (mine >= o.perUserQueue) {
        return Errors.aiQueueFullForAsker(mine)
      }
      return null
    },
    ask (question, asker, listener) {
      const { message, event } = o.store.createReply({ replyTo: question.id, askerId: asker.id, at: Date.now() })
      const r: Reply = {
        id: message.id,
        seq: event.seq,
        replyTo: question.id,
        askerId: asker.id,
        query: `${asker.username}: ${withoutAiMention(question.content)}`,
        text: '',
        state: 'queued',
        position: 0,
        controller: null,
        taskId: null,
        conversationId: conversationId ?? '',
        citations: [],
        usage: null,
        steps: new Map(),
        stopReason: null,
        cutAtChars: null,
        listenerText: '',
        listener,
        startedAt: Date.now(),
        isHeld: o.isReviewed?.() === true
      }
      replies.set(r.id, r)
      enqueue(r)
      const willStart = activeCount < o.concurrency
      o.hub.broadcast(replyStartFrame(event, r.id, question.id, willStart ? 0 : queuedCount))
      if (!willStart) r.position = queuedCount
      // Participants are told the host reviews this answer before they see it.
      if (r.isHeld) o.hub.broadcast(reviewFrame(r, { status: 'reviewing' }))
      pump()
      return { id: r.id, seq: event.seq }
    },
    stop (replyId, by) {
      const r = replies.get(replyId)
      if (r === undefined || r.state === 'done') throw Errors.replyNotStreaming()
      if (by !== 'host' && r.askerId !== by) throw Errors.notAsker()
      if (r.state === 'queued') { finish(r, 'stopped', null); return }
      r.stopReason = 'stopped'
      if (r.taskId !== null) o.ai?.stop(r.taskId, o.aiUser).catch((err: unknown) => o.logger.warn({ err }, 'AI stop request failed'))
      r.controller?.abort()
    },
    snapshots () {
      const out: ReplySnapshot[] = []
      for (const r of replies.values()) if (r.state === 'active' && !r.isHeld) out.push({ id: r.id, replyTo: r.replyTo, text: r.text, conversationId: r.conversationId })
      return out
    },
    counts: () => ({ active: activeCount, queued: queuedCount }),
    resetConversation () { setConversation(null) },
    setGateway (ai) { o.ai = ai },
    gateway: () => o.ai,
    heldAnswers: () => [...held.values()].map(r => ({ id: r.id, replyTo: r.replyTo, text: r.text })),
    isUnderReview: replyId => held.has(replyId) || replies.get(replyId)?.isHeld === true,
    release: (replyId, content) => endReview(replyId, content, { status: 'released', isEdited: content !== null && content !== held.get(replyId)?.text }),
    discard: (replyId, note) => endReview(replyId, '', { status: 'discarded', ...(note !== null ? { note } : {}) }),
    setConcurrency (n) {
      o.concurrency = n
      pump()
    },
    shutdown () {
      clearInterval(checkpointTimer)
      isShuttingDown = true
      for (const r of [...replies.values()]) {
        if (r.state === 'done') continue
        r.stopReason = 'shutdown'
        finish(r, 'interrupted', interruptedError())
      }
      // Held answers were never shown: they end empty, as interrupted.
      for (const r of [...held.values()]) {
        held.delete(r.id)
        r.text = ''
        persistFinish(r, 'interrupted', interruptedError())
      }
      checkpoint()
    }
  }
}
