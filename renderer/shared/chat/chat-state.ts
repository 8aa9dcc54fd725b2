/**
 * The room's messages as a pure reducer: history and socket frames go in, an ordered, deduplicated
 * list comes out (PROTOCOL.md "Sequence, ordering and resume"). Applying the same frame twice is
 * harmless, so a resume that overlaps what we already have never shows anything twice.
 */
import type { Citation, ErrorBody, HistoryMessage, MessageFile, MessageStatus } from '../../../server/protocol/index.js'
import { historyStatus, isHiddenFrame, isHiddenMessage, type RoomFrame, type RoomSettingsFields } from './frames.js'
import {
  addToOutbox, confirmOutbox, discardOutbox, failOutbox, retryOutbox, type OutboxEntry, type OutboxFailure
} from './outbox.js'

export interface UserEntry {
  kind: 'user'
  key: string
  id: number
  seq: number
  /** Sort key: the seq, or a provisional place for an entry whose seq is not known yet. */
  order: number
  content: string
  fromUser: string
  fromUserId: number | null
  emoji: string
  timestamp: number
  clientMsgId: string | null
  asksAi: boolean
  /** The host hid it: participants no longer show it, the console shows a tombstone. */
  isHidden: boolean
  /** Posted while the room hid names: participants see no author (the console does, with a tag). */
  isAnonymous: boolean
  /** its photos (thumbnails shown, a tap opens one large) */
  files: MessageFile[]
}

export interface AiEntry {
  kind: 'ai'
  key: string
  id: number
  seq: number | null
  order: number
  replyTo: number | null
  content: string
  status: MessageStatus
  /** 0 = being answered now, n = n-th in the queue. */
  queuePosition: number
  timestamp: number
  citations: Citation[]
  error: ErrorBody | null
  isHidden: boolean
  /** The answer was cut at the host's answer limit of this many characters (else null). */
  cutAtChars: number | null
  /** The AI app answered with an annotation the host taught it. */
  isTeachersAnswer: boolean
  /** Host console: the host's rating, as sent to the AI app (from history; the console tracks its own changes). */
  hostRating: 'like' | 'dislike' | null
}

export type ChatEntry = UserEntry | AiEntry

/** Someone else's message posted while the room hid names: the server sent no author for it. */
export function isNameless (entry: UserEntry): boolean {
  return entry.isAnonymous && entry.fromUserId === 0
}

/** What the host set for the room that everyone sees (from `hello` and `room_update`). */
export interface RoomSettings {
  /** Pinned for everyone; "" when there is none. */
  announcement: string
  locked: boolean
  /** 0 = off; else each participant may post once per this many seconds. */
  slowModeS: number
  /** Anonymous room: participants do not see each other's names. */
  anonymous: boolean
}

export interface ChatState {
  entries: ChatEntry[]
  /** Highest seq applied from history or persisted frames: the next resume's `since`. */
  lastSeq: number
  outbox: OutboxEntry[]
  room: RoomSettings
  /** Seq of the last `room_cleared`: history from before it (an earlier lesson) is not shown. */
  floorSeq: number
}

export type ChatAction =
  | { type: 'history', messages: HistoryMessage[] }
  | { type: 'frame', frame: RoomFrame }
  /** Frames that arrived within one animation frame, applied in order with one render. */
  | { type: 'frames', frames: RoomFrame[] }
  | { type: 'outbox/add', entry: OutboxEntry }
  | { type: 'outbox/failed', clientMsgId: string, failure: OutboxFailure }
  | { type: 'outbox/retry', clientMsgId: string }
  | { type: 'outbox/discard', clientMsgId: string }

/** Most entries kept in memory; older ones are dropped (the list renders only what is near the viewport). */
export const MAX_ENTRIES = 10_000

const TERMINAL: ReadonlySet<MessageStatus> = new Set(['complete', 'stopped', 'failed', 'interrupted'])

/** True when an AI reply will not change any more. */
export function isTerminal (status: MessageStatus): boolean {
  return TERMINAL.has(status)
}

export function createChatState (outbox: OutboxEntry[] = []): ChatState {
  return { entries: [], lastSeq: 0, outbox, room: { announcement: '', locked: false, slowModeS: 0, anonymous: false }, floorSeq: 0 }
}

export function userKey (id: number): string { return `u:${id}` }
export function aiKey (id: number): string { return `a:${id}` }

/** The reducer behind `useChatSocket`. */
export function chatReducer (state: ChatState, action: ChatAction): ChatState {
  switch (action.type) {
    case 'history': return action.messages.reduce(applyHistoryMessage, state)
    case 'frame': return applyFrame(state, action.frame)
    case 'frames': return action.frames.reduce(applyFrame, state)
    case 'outbox/add': return { ...state, outbox: addToOutbox(state.outbox, action.entry) }
    case 'outbox/failed': return { ...state, outbox: failOutbox(state.outbox, action.clientMsgId, action.failure) }
    case 'outbox/retry': return { ...state, outbox: retryOutbox(state.outbox, action.clientMsgId) }
    case 'outbox/discard': return { ...state, outbox: discardOutbox(state.outbox, action.clientMsgId) }
  }
}

function applyFrame (state: ChatState, frame: RoomFrame): ChatState {
  switch (frame.type) {
    case 'hello':
    case 'room_update':
      return withRoomSettings(state, frame)
    case 'room_cleared':
      return { ...withSeq(state, frame.seq), entries: [], floorSeq: Math.max(state.floorSeq, frame.seq) }
    case 'message_hidden':
      return updateById(withSeq(state, frame.seq), frame.id, e => e.isHidden ? e : { ...e, isHidden: true })
    case 'message_hidden_admin':
      return updateById(state, frame.id, e => ({ ...e, content: frame.content }))
    case 'message_unhidden': {
      // `message` is the frame that shows it again (participants had it without its text).
      const m = frame.message
      const kind = m.type === 'user_message' ? 'user' : 'ai'
      const key = kind === 'user' ? userKey(m.id) : aiKey(m.id)
      const next = withSeq(state, frame.seq)
      if (!findEntry(next.entries, key)) return applyFrame(next, m)
      const shown = updateById(next, frame.id, e => e.kind === kind ? { ...e, isHidden: false, content: m.content, ...(e.kind === 'user' && m.type === 'user_message' ? { files: m.files ?? e.files } : {}) } : e)
      return m.type === 'user_message' ? shown : applyFrame(shown, m)
    }
    case 'user_message': {
      const outbox = frame.client_msg_id ? confirmOutbox(state.outbox, frame.client_msg_id) : state.outbox
      const next = withSeq({ ...state, outbox }, frame.seq)
      if (findEntry(next.entries, userKey(frame.id))) return next
      return insertEntry(next, { ...newUserEntry(frame, frame.client_msg_id ?? null, frame.asks_ai ?? false), isHidden: isHiddenFrame(frame) })
    }
    case 'ai_message_start': {
      const next = withSeq(state, frame.seq)
      const existing = findAi(next.entries, frame.id)
      if (existing) {
        if (existing.seq !== null) return next
        // Seen a chunk first: now its place in the room is known.
        return insertEntry(removeEntry(next, existing.key), {
          ...existing, seq: frame.seq, order: frame.seq, replyTo: frame.reply_to, timestamp: frame.timestamp
        })
      }
      return insertEntry(next, {
        ...newAiEntry(frame.id, frame.reply_to, frame.timestamp, frame.seq, frame.seq),
        queuePosition: frame.queue_position
      })
    }
    case 'ai_message_queue':
      return updateAi(state, frame.id, e => isTerminal(e.status) ? e : { ...e, queuePosition: frame.queue_position })
    case 'ai_message_chunk': {
      const ensured = ensureAi(state, frame.id, frame.reply_to, frame.timestamp)
      return updateAi(ensured, frame.id, e => {
        if (isTerminal(e.status)) return e
        const content = frame.snapshot ? frame.content : e.content + frame.content
        return { ...e, content, queuePosition: 0, status: 'streaming' }
      })
    }
    case 'ai_message_replace':
      return updateAi(state, frame.id, e => isTerminal(e.status) ? e : { ...e, content: frame.content })
    case 'ai_message_end': {
      const ensured = ensureAi(withSeq(state, frame.seq), frame.id, frame.reply_to, frame.timestamp, frame.seq)
      // The end frame's content is the whole answer: it wins over whatever deltas arrived.
      return updateAi(ensured, frame.id, e => ({
        ...e, content: frame.content, status: frame.status, queuePosition: 0, citations: frame.citations ?? e.citations, error: null, cutAtChars: cutAt(frame), isTeachersAnswer: frame.teachers_answer === true
      }))
    }
    case 'ai_message_error': {
      const ensured = ensureAi(withSeq(state, frame.seq), frame.id, frame.reply_to, frame.timestamp, frame.seq)
      return updateAi(ensured, frame.id, e => ({
        ...e, content: frame.content, status: frame.status, queuePosition: 0, error: frame.error
      }))
    }
    default:
      return state
  }
}

function applyHistoryMessage (state: ChatState, message: HistoryMessage): ChatState {
  // A page that loads earlier history must not bring back the lesson before the last clear.
  if (message.seq <= state.floorSeq) return state
  const next = withSeq(state, message.seq)
  const isHidden = isHiddenMessage(message)
  if (message.role === 'user') {
    if (findEntry(next.entries, userKey(message.id))) return next
    return insertEntry(next, { ...newUserEntry(message, null, false), isHidden })
  }
  const existing = findAi(next.entries, message.id)
  // What the socket told us is at least as fresh, unless history already holds the final answer.
  if (existing && (isTerminal(existing.status) || !isTerminal(historyStatus(message)))) return next
  const base = existing ?? newAiEntry(message.id, message.reply_to ?? null, message.timestamp, message.seq, message.seq)
  const entry: AiEntry = {
    ...base,
    content: message.content,
    // A hidden reply is listed with status "hidden": it had ended.
    status: historyStatus(message),
    queuePosition: 0,
    citations: message.citations ?? [],
    error: message.error ?? null,
    isHidden,
    cutAtChars: cutAt(message),
    isTeachersAnswer: message.teachers_answer === true,
    hostRating: message.host_rating ?? null
  }
  return existing ? updateAi(next, message.id, () => entry) : insertEntry(next, entry)
}

/** A user entry from what a live frame and a history message both carry. */
function newUserEntry (m: Pick<HistoryMessage, 'id' | 'seq' | 'content' | 'from_user' | 'from_user_id' | 'emoji' | 'timestamp' | 'anonymous' | 'files'>, clientMsgId: string | null, asksAi: boolean): UserEntry {
  return {
    kind: 'user',
    key: userKey(m.id),
    id: m.id,
    seq: m.seq,
    order: m.seq,
    content: m.content,
    fromUser: m.from_user,
    fromUserId: m.from_user_id,
    emoji: m.emoji,
    timestamp: m.timestamp,
    clientMsgId,
    asksAi,
    isHidden: false,
    isAnonymous: m.anonymous === true,
    files: m.files ?? []
  }
}

function newAiEntry (id: number, replyTo: number | null, timestamp: number, seq: number | null, order: number): AiEntry {
  return {
    kind: 'ai',
    key: aiKey(id),
    id,
    seq,
    order,
    replyTo,
    content: '',
    status: 'streaming',
    queuePosition: 0,
    timestamp,
    citations: [],
    error: null,
    isHidden: false,
    cutAtChars: null,
    isTeachersAnswer: false,
    hostRating: null
  }
}

/** The answer limit an answer was cut at, from its end frame or its history entry. */
function cutAt (m: { stop_reason?: 'length', cut_at_chars?: number }): number | null {
  return m.stop_reason === 'length' && m.cut_at_chars !== undefined ? m.cut_at_chars : null
}

/** Makes sure reply `id` exists; one first seen mid-stream goes after everything known so far. */
function ensureAi (state: ChatState, id: number, replyTo: number, timestamp: number, seqHint?: number): ChatState {
  if (findAi(state.entries, id)) return state
  const order = seqHint ?? state.lastSeq + 0.5
  return insertEntry(state, newAiEntry(id, replyTo, timestamp, null, order))
}

function withSeq (state: ChatState, seq: number): ChatState {
  return seq > state.lastSeq ? { ...state, lastSeq: seq } : state
}

function findEntry (entries: ChatEntry[], key: string): ChatEntry | undefined {
  // Updates almost always touch the newest entries: search from the end.
  for (let i = entries.length - 1; i >= 0; i--) {
    if (entries[i]!.key === key) return entries[i]
  }
  return undefined
}

function findAi (entries: ChatEntry[], id: number): AiEntry | undefined {
  const entry = findEntry(entries, aiKey(id))
  return entry?.kind === 'ai' ? entry : undefined
}

function updateAi (state: ChatState, id: number, update: (entry: AiEntry) => AiEntry): ChatState {
  const key = aiKey(id)
  const entries = state.entries
  for (let i = entries.length - 1; i >= 0; i--) {
    const entry = entries[i]!
    if (entry.key !== key || entry.kind !== 'ai') continue
    const updated = update(entry)
    if (updated === entry) return state
    const copy = entries.slice()
    copy[i] = updated
    return { ...state, entries: copy }
  }
  return state
}

/** Updates the message `id` whichever kind it is (user messages and replies share one id space). */
function updateById (state: ChatState, id: number, update: (entry: ChatEntry) => ChatEntry): ChatState {
  const entries = state.entries
  let copy: ChatEntry[] | null = null
  for (let i = entries.length - 1; i >= 0; i--) {
    const entry = entries[i]!
    if (entry.id !== id) continue
    const updated = update(entry)
    if (updated === entry) continue
    copy ??= entries.slice()
    copy[i] = updated
  }
  return copy ? { ...state, entries: copy } : state
}

function withRoomSettings (state: ChatState, fields: RoomSettingsFields): ChatState {
  const room = state.room
  const next: RoomSettings = {
    announcement: typeof fields.announcement === 'string' ? fields.announcement : room.announcement,
    locked: typeof fields.locked === 'boolean' ? fields.locked : room.locked,
    slowModeS: typeof fields.slow_mode_s === 'number' ? fields.slow_mode_s : room.slowModeS,
    anonymous: typeof fields.anonymous === 'boolean' ? fields.anonymous : room.anonymous
  }
  return next.announcement === room.announcement && next.locked === room.locked && next.slowModeS === room.slowModeS && next.anonymous === room.anonymous
    ? state
    : { ...state, room: next }
}

function removeEntry (state: ChatState, key: string): ChatState {
  return { ...state, entries: state.entries.filter(e => e.key !== key) }
}

/** Inserts keeping `order` ascending (stable: equal orders keep arrival order). */
function insertEntry (state: ChatState, entry: ChatEntry): ChatState {
  const entries = state.entries
  let i = entries.length
  while (i > 0 && entries[i - 1]!.order > entry.order) i--
  const copy = entries.slice(Math.max(0, entries.length + 1 - MAX_ENTRIES), i)
  copy.push(entry)
  for (let j = i; j < entries.length; j++) copy.push(entries[j]!)
  return { ...state, entries: copy }
}
