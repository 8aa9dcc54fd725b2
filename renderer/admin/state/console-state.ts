/**
 * Everything the console shows live, as one pure reducer fed by the admin socket and the first
 * HTTP reads: the room's messages (the shared chat reducer, which also keeps hidden ones for the
 * host's tombstones), the people of this session, live stats with a short history for the chart,
 * the audit log and the room's switches. Applying the same frame twice is harmless.
 */
import { chatReducer, createChatState, type ChatState } from '../../shared/chat/chat-state.js'
import type { RoomFrame } from '../../shared/chat/frames.js'
import type {
  AdminMessage, AdminParticipant, AdminStats, AdminStatus, AiMode, AuditEntry, ConsoleFrame
} from '../types.js'
import type { FeedbackCounts, PhotosMode } from '../../../server/protocol/index.js'

export interface StatsPoint {
  at: number
  online: number
  messages: number
  answered: number
}

export interface RoomSwitches {
  name: string
  aiMode: AiMode
  aiAvailable: boolean
  locked: boolean
  slowModeS: number
  announcement: string
  anonymous: boolean
  photos: PhotosMode
}

export interface ConsoleState {
  chat: ChatState
  participants: ReadonlyMap<number, AdminParticipant>
  online: number
  peak: number
  stats: AdminStats | null
  history: StatsPoint[]
  audit: AuditEntry[]
  room: RoomSwitches | null
  /** Bumped when the room is cleared for a new session (lists are read again). */
  sessionEpoch: number
  /** The newest session the console has read or seen start (0 before the first status). */
  sessionId: number
  /** Participants' ratings of answers, by answer. */
  feedback: ReadonlyMap<number, { helpful: number, confused: number }>
}

export type ConsoleAction =
  | { type: 'status', status: AdminStatus, at: number }
  | { type: 'history', messages: AdminMessage[] }
  | { type: 'participants', participants: AdminParticipant[] }
  | { type: 'audit', entries: AuditEntry[] }
  | { type: 'feedback', answers: FeedbackCounts[] }
  | { type: 'frames', frames: ConsoleFrame[] }

/** Points kept for the live chart: 10 minutes of 2-second updates. */
export const HISTORY_POINTS = 300
export const AUDIT_KEEP = 500

/** An empty console; `history` carries chart points kept from before a reload. */
export function createConsoleState (history: StatsPoint[] = []): ConsoleState {
  return {
    chat: createChatState(),
    participants: new Map(),
    online: 0,
    peak: 0,
    stats: null,
    history,
    audit: [],
    room: null,
    sessionEpoch: 0,
    sessionId: 0,
    feedback: new Map()
  }
}

export function consoleReducer (state: ConsoleState, action: ConsoleAction): ConsoleState {
  switch (action.type) {
    case 'status': return applyStatus(state, action.status, action.at)
    case 'history': return { ...state, chat: chatReducer(state.chat, { type: 'history', messages: action.messages }) }
    case 'participants': {
      const map = new Map<number, AdminParticipant>()
      for (const p of action.participants) map.set(p.user_id, p)
      return { ...state, participants: map }
    }
    case 'audit': return { ...state, audit: mergeAudit(state.audit, action.entries) }
    case 'feedback': return { ...state, feedback: new Map(action.answers.map(a => [a.message_id, { helpful: a.helpful, confused: a.confused }])) }
    case 'frames': {
      // Room frames go to the chat reducer in one call; the console's own fields follow each frame.
      const roomFrames = action.frames.filter(isRoomFrame)
      let next = roomFrames.length > 0 ? { ...state, chat: chatReducer(state.chat, { type: 'frames', frames: roomFrames }) } : state
      // A busy room sends many participant updates per batch: copy the people map once, not per frame.
      let people: Map<number, AdminParticipant> | null = null
      for (const frame of action.frames) {
        if (frame.type === 'admin_participant') {
          people ??= new Map(next.participants)
          people.set(frame.participant.user_id, frame.participant)
          continue
        }
        if (people !== null) {
          next = { ...next, participants: people }
          people = null
        }
        next = applyConsoleFrame(next, frame)
      }
      return people === null ? next : { ...next, participants: people }
    }
  }
}

/** Chart points read back from storage: well-formed, in order, and recent enough to draw. */
export function reviveHistory (raw: unknown, now: number, maxAgeMs: number): StatsPoint[] {
  if (!Array.isArray(raw)) return []
  const out: StatsPoint[] = []
  for (const p of raw as unknown[]) {
    if (typeof p !== 'object' || p === null) continue
    const { at, online, messages, answered } = p as Record<string, unknown>
    if (typeof at !== 'number' || typeof online !== 'number' || typeof messages !== 'number' || typeof answered !== 'number') continue
    if (at < now - maxAgeMs || at > now || (out.length > 0 && at <= out.at(-1)!.at)) continue
    out.push({ at, online, messages, answered })
  }
  return out.slice(-HISTORY_POINTS)
}

/** Sorted for the People list: online first, then by name. */
export function sortedParticipants (participants: ReadonlyMap<number, AdminParticipant>): AdminParticipant[] {
  return [...participants.values()].sort((a, b) =>
    Number(b.online) - Number(a.online) || a.username.localeCompare(b.username) || a.user_id - b.user_id)
}

/** People whose name contains `query` (case- and accent-insensitive). */
export function filterParticipants (list: AdminParticipant[], query: string): AdminParticipant[] {
  const q = fold(query.trim())
  if (q === '') return list
  return list.filter(p => fold(p.username).includes(q))
}

function fold (text: string): string {
  return text.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase()
}

const ADMIN_ONLY = new Set(['admin_stats', 'admin_participant', 'admin_audit', 'admin_settings', 'feedback_update'])

function isRoomFrame (frame: ConsoleFrame): frame is RoomFrame {
  return !ADMIN_ONLY.has(frame.type)
}

function applyConsoleFrame (state: ConsoleState, frame: ConsoleFrame): ConsoleState {
  switch (frame.type) {
    case 'hello':
      return {
        ...state,
        online: frame.online_count,
        peak: Math.max(state.peak, frame.online_count),
        room: {
          ...(state.room ?? emptyRoom()),
          name: frame.room.name,
          aiMode: frame.ai_mode,
          aiAvailable: frame.ai_available ?? state.room?.aiAvailable ?? true,
          ...switchesOf(frame)
        }
      }
    case 'presence':
      return { ...state, online: frame.online_count, peak: Math.max(state.peak, frame.online_count) }
    case 'admin_stats': {
      const point: StatsPoint = { at: frame.at, online: frame.online_count, messages: frame.stats.messages, answered: frame.stats.ai_answered }
      return { ...state, stats: frame.stats, online: frame.online_count, peak: Math.max(frame.peak_online, state.peak), history: addPoint(state.history, point) }
    }
    case 'admin_audit':
      return { ...state, audit: mergeAudit(state.audit, [frame.entry]) }
    case 'feedback_update': {
      const feedback = new Map(state.feedback)
      if (frame.helpful === 0 && frame.confused === 0) feedback.delete(frame.message_id)
      else feedback.set(frame.message_id, { helpful: frame.helpful, confused: frame.confused })
      return { ...state, feedback }
    }
    case 'room_cleared': {
      // A replayed start of the lesson the console already read (the socket's `since` was older
      // than the status it loaded) changes nothing: its people list is already this lesson's.
      if (frame.session_id > 0 && frame.session_id <= state.sessionId) return state
      // A new lesson: only the people still here belong to it; counters start again.
      const participants = new Map([...state.participants].filter(([, p]) => p.online))
      return { ...state, participants, history: [], stats: null, feedback: new Map(), sessionEpoch: state.sessionEpoch + 1, sessionId: Math.max(state.sessionId, frame.session_id) }
    }
    case 'room_update': {
      const room = state.room ?? emptyRoom()
      return {
        ...state,
        room: {
          ...room,
          aiMode: frame.ai_mode,
          aiAvailable: frame.ai_available,
          ...(frame.room !== undefined ? { name: frame.room.name } : {}),
          ...switchesOf(frame)
        }
      }
    }
    default:
      return state
  }
}

function applyStatus (state: ConsoleState, status: AdminStatus, at: number): ConsoleState {
  const room: RoomSwitches = {
    name: status.room.name,
    aiMode: status.ai_mode,
    aiAvailable: status.ai_available,
    locked: status.locked,
    slowModeS: status.slow_mode_s,
    announcement: status.announcement,
    anonymous: status.anonymous ?? false,
    photos: status.photos ?? 'off'
  }
  const peak = Math.max(state.peak, status.peak_online, status.online_count)
  const point = { at, online: status.online_count, messages: status.stats.messages, answered: status.stats.ai_answered }
  return { ...state, room, stats: status.stats, online: status.online_count, peak, history: addPoint(state.history, point), sessionId: Math.max(state.sessionId, status.session_id) }
}

function switchesOf (frame: { locked?: boolean | undefined, slow_mode_s?: number | undefined, announcement?: string | undefined, anonymous?: boolean | undefined, photos?: PhotosMode | undefined }): Partial<RoomSwitches> {
  const out: Partial<RoomSwitches> = {}
  if (typeof frame.anonymous === 'boolean') out.anonymous = frame.anonymous
  if (typeof frame.locked === 'boolean') out.locked = frame.locked
  if (typeof frame.slow_mode_s === 'number') out.slowModeS = frame.slow_mode_s
  if (typeof frame.announcement === 'string') out.announcement = frame.announcement
  if (frame.photos !== undefined) out.photos = frame.photos
  return out
}

function emptyRoom (): RoomSwitches {
  return { name: '', aiMode: 'mention', aiAvailable: false, locked: false, slowModeS: 0, announcement: '', anonymous: false, photos: 'off' }
}

function addPoint (history: StatsPoint[], point: StatsPoint): StatsPoint[] {
  const last = history.at(-1)
  if (last && point.at <= last.at) return history
  const next = history.length >= HISTORY_POINTS ? history.slice(history.length - HISTORY_POINTS + 1) : history.slice()
  next.push(point)
  return next
}

function mergeAudit (current: AuditEntry[], incoming: AuditEntry[]): AuditEntry[] {
  const byId = new Map<number, AuditEntry>()
  for (const e of current) byId.set(e.id, e)
  for (const e of incoming) byId.set(e.id, e)
  return [...byId.values()].sort((a, b) => b.at - a.at || b.id - a.id).slice(0, AUDIT_KEEP)
}
