/**
 * The word filter in the room: its settings (kept in SQLite), the check every post passes before it
 * is stored or sent to the AI, and the messages held for the host. A held message is not in the
 * room's log and never reaches the AI; the host releases it (then it is posted as the sender wrote
 * it, with its client_msg_id, so the sender's page sees its own message arrive) or discards it.
 */
import type { ChatStore, HeldMessage, HeldMessageStore, ParticipantRecord } from '../../ports.js'
import { Errors } from '../../errors.js'
import { cleanList, createWordFilter, DEFAULT_FILTER, FILTER_ACTIONS, type FilterAction, type WordFilter, type WordFilterSettings } from './word-filter.js'

export type { HeldMessage } from '../../ports.js'

export interface HeldMessages {
  settings (): WordFilterSettings
  update (next: { isEnabled?: boolean, action?: string, words?: readonly string[] }): WordFilterSettings
  /** Throws ERR_MESSAGE_FILTERED (refused) or ERR_MESSAGE_HELD (kept for the host) when the text matches. */
  check (author: ParticipantRecord, input: HeldInput): void
  /**
   * Holds a message for the host whatever it says (its photos wait for the host first); throws
   * ERR_MESSAGE_HELD once held.
   */
  holdForHost (author: ParticipantRecord, input: HeldInput): never
  /** The listed word `before + delta` of an AI answer contains (null: none, or the list is off): such an answer is held for the host. */
  matchAnswer (before: string, delta: string): string | null
  list (): HeldMessage[]
  /** Removes a held message and returns it (null: none). */
  take (id: number): HeldMessage | null
  /** Drops every held message of a participant (erasure); returns how many. */
  forgetUser (userId: number): number
}

/** What a post would hold: its text, its photos (ids) and whether it asks the AI. */
export interface HeldInput { content: string, clientMsgId: string | null, askAi: boolean, files?: readonly string[] }

const SETTINGS_KEY = 'word_filter'

/** Creates the service; `onHeld` tells the console (admin sockets) that something waits. */
export function createHeldMessages (o: { store: ChatStore, held: HeldMessageStore, onHeld?: (held: HeldMessage) => void }): HeldMessages {
  let current = read()
  let filter: WordFilter = createWordFilter(current.words)

  function read (): WordFilterSettings {
    try {
      const saved = JSON.parse(o.store.getSetting(SETTINGS_KEY) ?? 'null') as Partial<WordFilterSettings> | null
      if (saved === null) return DEFAULT_FILTER
      return {
        isEnabled: saved.isEnabled === true,
        action: saved.action === 'refuse' ? 'refuse' : 'hold',
        words: cleanList(Array.isArray(saved.words) ? saved.words.filter((w): w is string => typeof w === 'string') : [])
      }
    } catch {
      return DEFAULT_FILTER
    }
  }

  /** Keeps the message for the host and tells the console once (a resend is the same message). */
  function hold (author: ParticipantRecord, input: HeldInput, matched: string): void {
    const { held, isNew } = o.held.hold({
      userId: author.id,
      username: author.username,
      emoji: author.emoji,
      content: input.content,
      clientMsgId: input.clientMsgId,
      askAi: input.askAi,
      matched,
      at: Date.now(),
      files: [...(input.files ?? [])]
    })
    if (isNew) o.onHeld?.(held)
  }

  return {
    settings: () => current,
    update (next) {
      if (next.action !== undefined && !(FILTER_ACTIONS as readonly string[]).includes(next.action)) throw Errors.validation(`action must be one of ${FILTER_ACTIONS.join(', ')} (got ${JSON.stringify(next.action)}).`)
      current = {
        isEnabled: next.isEnabled ?? current.isEnabled,
        action: (next.action as FilterAction | undefined) ?? current.action,
        words: next.words === undefined ? current.words : cleanList(next.words)
      }
      o.store.setSetting(SETTINGS_KEY, JSON.stringify(current))
      filter = createWordFilter(current.words)
      return current
    },
    check (author, input) {
      if (!current.isEnabled) return
      const word = filter.match(input.content)
      const hasPhotos = (input.files?.length ?? 0) > 0
      if (word === null) {
        // The list cannot read a photo: with the list on, photos wait for the host.
        if (hasPhotos) { hold(author, input, ''); throw Errors.photoHeld() }
        return
      }
      if (current.action === 'refuse') throw Errors.messageFiltered(word)
      // A resend of a held message is the same message: it is held once, and told once.
      hold(author, input, word)
      throw Errors.messageHeld(word)
    },
    holdForHost (author, input) {
      hold(author, input, '')
      throw Errors.photoHeld()
    },
    matchAnswer: (before, delta) => current.isEnabled ? filter.match(before + delta) : null,
    list: () => o.held.list(),
    take: id => o.held.take(id),
    forgetUser: userId => o.held.forgetUser(userId)
  }
}
