/**
 * Emoji reactions to messages and answers: six fixed emoji, at most one of each per participant
 * per message (a second is no change). Stored (they are part of the lesson's history), and sent to
 * everyone as the message's counts, coalesced per message: a burst of taps on one answer costs a
 * few `reactions` frames, not one per tap.
 */
import { Errors } from '../../errors.js'
import type { ChatStore, ReactionStore } from '../../ports.js'
import type { ReactionEmoji } from '../../protocol/index.js'
import type { Hub } from '../engine/hub.js'

export interface Reactions {
  react (userId: number, messageId: number, emoji: ReactionEmoji, on: boolean): void
  /** For history: each message's counts, and the reader's own reactions. */
  countsOf (messageIds: readonly number[]): Map<number, Record<string, number>>
  mineOf (userId: number, messageIds: readonly number[]): Map<number, string[]>
  close (): void
}

export function createReactions (o: { store: ChatStore, reactions: ReactionStore, hub: Hub, coalesceMs?: number }): Reactions {
  const coalesceMs = o.coalesceMs ?? 250
  const pending = new Map<number, Record<string, number>>()
  let timer: ReturnType<typeof setTimeout> | null = null

  function flush (): void {
    timer = null
    for (const [messageId, counts] of pending) o.hub.broadcast({ type: 'reactions', message_id: messageId, counts })
    pending.clear()
  }

  return {
    react (userId, messageId, emoji, on) {
      const message = o.store.getMessage(messageId)
      if (message === null || message.hiddenAt !== null) throw Errors.messageNotFound(messageId)
      const counts = o.reactions.react({ messageId, userId, emoji, on, at: Date.now() })
      pending.set(messageId, counts)
      if (timer === null) {
        timer = setTimeout(flush, coalesceMs)
        timer.unref?.()
      }
    },
    countsOf: messageIds => o.reactions.countsOf(messageIds),
    mineOf: (userId, messageIds) => o.reactions.mineOf(userId, messageIds),
    close () {
      if (timer !== null) clearTimeout(timer)
    }
  }
}
