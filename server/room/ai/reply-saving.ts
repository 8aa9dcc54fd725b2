/**
 * Write before you show: a reply's streaming text is saved right before the hub writes it to
 * sockets (one transaction for every answer that grew since the last flush), and a reply's end is
 * saved whole before its end frame goes out. An end that cannot be saved (a full disk) stays in
 * memory and is tried again at each checkpoint: nothing accepted is lost.
 */
import type { ChatStore } from '../../ports.js'
import type { AiMessageEndFrame, AiMessageErrorFrame } from '../../protocol/index.js'
import type { AnswerWrite } from '../engine/hub.js'
import { persistedFrame } from '../frames.js'
import { isHeld, isLive, transition, type Reply, type ReplyStatus } from './reply.js'

export interface ReplySaving {
  /** The hub's write-ahead hook: saves the text every answer gained; throws when nothing was saved. */
  saveStreamingText (writes: readonly AnswerWrite[]): void
  /** Saves an ending reply's end, broadcasts it and tells its asker; kept for the next checkpoint when the save fails. */
  saveEnd (r: Reply): void
  /** Tries again the ends that could not be saved. */
  retryEnds (): void
}

export function createReplySaving (o: {
  store: ChatStore
  /** every reply still in memory, by id; a saved end removes it */
  replies: Map<number, Reply>
  broadcast: (frame: AiMessageEndFrame | AiMessageErrorFrame) => void
  logger: { error (obj: object, msg: string): void }
  onFlushWrite?: ((ms: number, answers: number) => void) | undefined
  markEditedByHost?: ((seq: number) => void) | undefined
  /** A reply's end was saved and sent (the follow-up questions of a complete answer start here). */
  onEnded?: ((r: Reply, status: ReplyStatus) => void) | undefined
}): ReplySaving {
  function tellListener (r: Reply, text: string, isReplace: boolean): void {
    if (r.listener === undefined) return
    r.listenerText = isReplace ? text : r.listenerText + text
    r.listener({ type: isReplace ? 'replace' : 'delta', text, conversationId: r.conversationId })
  }

  function saveEnd (r: Reply): void {
    if (r.state.phase !== 'ending') return
    const { status, error, isEditedByHost } = r.state.end
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
        cutAtChars: status === 'stopped' ? r.cutAtChars : null,
        isTeachersAnswer: r.annotationId !== null,
        difyMessageId: r.difyMessageId
      })
      if (isEditedByHost) {
        o.markEditedByHost?.(event.seq)
        event.data = { ...event.data, edited_by_host: true }
      }
      frame = persistedFrame(event, message, null) as AiMessageEndFrame | AiMessageErrorFrame
    } catch (err) {
      // The reply stays ending, in memory, until a checkpoint saves it.
      o.logger.error({ err, replyId: r.id }, 'could not save the end of an AI reply; will retry')
      return
    }
    r.state = transition(r.state, { type: 'saved' })
    o.replies.delete(r.id)
    o.broadcast(frame)
    // The asker's stream gets the last text (finishReply saved it just now), then the end.
    if (r.listenerText !== r.text) {
      if (r.text.startsWith(r.listenerText)) tellListener(r, r.text.slice(r.listenerText.length), false)
      else tellListener(r, r.text, true)
    }
    r.listener?.({ type: 'done', frame })
    o.onEnded?.(r, status)
  }

  return {
    saveStreamingText (writes) {
      const updates: Array<{ id: number, content: string, append: boolean }> = []
      // An ended reply was saved whole by finishReply; a held answer is not saved before release:
      // the room's history must not show it.
      for (const w of writes) {
        const r = o.replies.get(w.id)
        if (r !== undefined && !isHeld(r.state)) updates.push({ id: w.id, content: w.text, append: !w.isReplace })
      }
      if (updates.length === 0) return
      const startedAt = performance.now()
      o.store.checkpointReplies(updates)
      o.onFlushWrite?.(performance.now() - startedAt, updates.length)
      for (const w of writes) {
        const r = o.replies.get(w.id)
        if (r !== undefined && isLive(r.state) && !isHeld(r.state)) tellListener(r, w.text, w.isReplace)
      }
    },
    saveEnd,
    retryEnds () {
      for (const r of o.replies.values()) if (r.state.phase === 'ending') saveEnd(r)
    }
  }
}
