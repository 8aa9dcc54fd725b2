/** The console's live state: room frames through the shared chat reducer, plus people, stats, audit and switches. */
import { describe, expect, it } from 'vitest'
import type { AdminParticipant, AdminStatus, AuditEntry } from '../../server/protocol/index.js'
import {
  AUDIT_KEEP, consoleReducer, createConsoleState, filterParticipants, HISTORY_POINTS, reviveHistory, sortedParticipants, type ConsoleState
} from '../../renderer/admin/state/console-state.js'
import type { ConsoleFrame } from '../../renderer/admin/types.js'
import { history, userMessage } from './frames.js'

function person (id: number, username: string, extra: Partial<AdminParticipant> = {}): AdminParticipant {
  return {
    user_id: id,
    username,
    emoji: '🦊',
    online: true,
    message_count: 0,
    muted_until: null,
    banned: false,
    removed: false,
    address: '192.168.1.20',
    joined_at: 1,
    last_seen: null,
    ...extra
  }
}

function status (extra: Partial<AdminStatus> = {}): AdminStatus {
  return {
    room: { id: 'r1', name: 'Class 7B' },
    ai_mode: 'mention',
    ai_available: true,
    online_count: 3,
    connections: 3,
    ai: { active: 0, queued: 0 },
    last_seq: 0,
    peak_online: 5,
    locked: false,
    slow_mode_s: 0,
    announcement: '',
    session_id: 1,
    session_started_at: 1,
    pin_required: false,
    stats: { messages: 4, ai_answered: 1, ai_failed: 0, ai_waiting: 0, tokens_used: 120, ttft_median_ms: 800 },
    ...extra
  }
}

const frames = (state: ConsoleState, ...list: ConsoleFrame[]): ConsoleState => consoleReducer(state, { type: 'frames', frames: list })

describe('console state', () => {
  it('takes the room switches, counts and stats from the status answer', () => {
    const s = consoleReducer(createConsoleState(), { type: 'status', status: status({ locked: true, slow_mode_s: 30, announcement: 'Chapter 4' }), at: 1000 })
    expect(s.room).toEqual({ name: 'Class 7B', aiMode: 'mention', aiAvailable: true, locked: true, slowModeS: 30, announcement: 'Chapter 4', anonymous: false, photos: 'off' })
    expect(s.online).toBe(3)
    expect(s.peak).toBe(5)
    expect(s.stats?.tokens_used).toBe(120)
    expect(s.history).toEqual([{ at: 1000, online: 3, messages: 4, answered: 1 }])
  })

  it('keeps a hidden message with its text for the host, and shows it again on unhide', () => {
    let s = frames(createConsoleState(), userMessage(1, 1, 'rude words'))
    s = frames(s, { type: 'message_hidden', id: 1, seq: 2 }, { type: 'message_hidden_admin', id: 1, content: 'rude words' })
    expect(s.chat.entries[0]).toMatchObject({ id: 1, isHidden: true, content: 'rude words' })
    expect(s.chat.lastSeq).toBe(2)
    s = frames(s, { type: 'message_unhidden', id: 1, seq: 3, message: userMessage(1, 1, 'rude words') })
    expect(s.chat.entries[0]).toMatchObject({ id: 1, isHidden: false })
    expect(s.chat.lastSeq).toBe(3)
  })

  it('reads hidden messages from the admin history with their text', () => {
    const s = consoleReducer(createConsoleState(), { type: 'history', messages: [history(5, 5, { content: 'kept', hidden: true } as never)] })
    expect(s.chat.entries[0]).toMatchObject({ id: 5, isHidden: true, content: 'kept' })
  })

  it('follows people live: a join, a mute, and a new session keeps only who is online', () => {
    let s = consoleReducer(createConsoleState(), { type: 'participants', participants: [person(1, 'Kim'), person(2, 'Lily', { online: false })] })
    s = frames(s, { type: 'admin_participant', participant: person(3, 'Ana') })
    s = frames(s, { type: 'admin_participant', participant: person(1, 'Kim', { muted_until: 99 }) })
    expect(s.participants.size).toBe(3)
    expect(s.participants.get(1)?.muted_until).toBe(99)
    s = frames(s, { type: 'room_cleared', seq: 10, session_id: 2 })
    expect([...s.participants.keys()].sort()).toEqual([1, 3])
    expect(s.sessionEpoch).toBe(1)
    expect(s.chat.entries).toEqual([])
  })

  it('a replayed start of the lesson it already read keeps the people list', () => {
    let s = consoleReducer(createConsoleState(), { type: 'status', status: status({ session_id: 2 }), at: 1 })
    s = consoleReducer(s, { type: 'participants', participants: [person(1, 'Kim', { online: false }), person(2, 'Lily', { online: false })] })
    s = frames(s, { type: 'room_cleared', seq: 10, session_id: 2 })
    expect(s.participants.size).toBe(2)
    expect(s.sessionEpoch).toBe(0)
    s = frames(s, { type: 'room_cleared', seq: 20, session_id: 3 })
    expect(s.participants.size).toBe(0)
    expect(s.sessionEpoch).toBe(1)
  })

  it('applies many participant updates in one batch, in order with the other frames, without touching the old map', () => {
    const before = consoleReducer(createConsoleState(), { type: 'participants', participants: [person(1, 'Kim', { online: false })] })
    const after = frames(before,
      { type: 'admin_participant', participant: person(2, 'Ana') },
      { type: 'admin_participant', participant: person(3, 'Bo', { online: false }) },
      { type: 'room_cleared', seq: 5, session_id: 2 },
      { type: 'admin_participant', participant: person(4, 'Cy') })
    expect([...after.participants.keys()].sort()).toEqual([2, 4])
    expect([...before.participants.keys()]).toEqual([1])
  })

  it('records stats frames as chart points, keeping a bounded history and the highest peak', () => {
    let s = createConsoleState()
    for (let i = 1; i <= HISTORY_POINTS + 20; i++) {
      s = frames(s, { type: 'admin_stats', stats: { messages: i, ai_answered: 0, ai_failed: 0, ai_waiting: 0, tokens_used: 0, ttft_median_ms: null }, online_count: 2, peak_online: i % 7, at: i * 2000 })
    }
    expect(s.history).toHaveLength(HISTORY_POINTS)
    expect(s.history.at(-1)?.messages).toBe(HISTORY_POINTS + 20)
    expect(s.peak).toBe(6)
    // A point out of order is ignored.
    const same = frames(s, { type: 'admin_stats', stats: s.stats!, online_count: 9, peak_online: 0, at: 10 })
    expect(same.history).toBe(s.history)
  })

  it('keeps only well-formed, ordered, recent chart points from storage', () => {
    const p = (at: number): unknown => ({ at, online: 1, messages: 2, answered: 0 })
    expect(reviveHistory([p(100), p(50), { at: 'x' }, p(900), p(2000), null], 1000, 950)).toEqual([p(100), p(900)])
    expect(reviveHistory('junk', 1000, 1000)).toEqual([])
    expect(createConsoleState([{ at: 1, online: 1, messages: 1, answered: 1 }]).history).toHaveLength(1)
  })

  it('applies room_update and hello to the switches', () => {
    let s = consoleReducer(createConsoleState(), { type: 'status', status: status(), at: 1 })
    s = frames(s, { type: 'room_update', ai_mode: 'approve', ai_available: true, locked: true })
    expect(s.room).toMatchObject({ aiMode: 'approve', locked: true, slowModeS: 0 })
    s = frames(s, { type: 'hello', protocol: 1, room: { id: 'r1', name: 'Renamed' }, user_id: 0, last_seq: 0, online_count: 8, ai_mode: 'off', slow_mode_s: 15 })
    expect(s.room).toMatchObject({ name: 'Renamed', aiMode: 'off', locked: true, slowModeS: 15 })
    expect(s.online).toBe(8)
    expect(s.peak).toBe(8)
  })

  it('merges audit entries newest first without duplicates, bounded', () => {
    const entry = (id: number): AuditEntry => ({ id, at: id * 10, action: 'participant.mute', target: 'Kim', detail: { minutes: 5 } })
    let s = consoleReducer(createConsoleState(), { type: 'audit', entries: [entry(1), entry(2)] })
    s = frames(s, { type: 'admin_audit', entry: entry(3) }, { type: 'admin_audit', entry: entry(2) })
    expect(s.audit.map(e => e.id)).toEqual([3, 2, 1])
    s = consoleReducer(s, { type: 'audit', entries: Array.from({ length: AUDIT_KEEP + 5 }, (_, i) => entry(i + 10)) })
    expect(s.audit).toHaveLength(AUDIT_KEEP)
  })
})

describe('people list', () => {
  const list = [person(1, 'Zoë', { online: false }), person(2, 'adam'), person(3, 'Émile'), person(4, 'Bea', { online: false })]

  it('puts online people first, then sorts by name', () => {
    expect(sortedParticipants(new Map(list.map(p => [p.user_id, p]))).map(p => p.username)).toEqual(['adam', 'Émile', 'Bea', 'Zoë'])
  })

  it('searches names ignoring case and accents', () => {
    expect(filterParticipants(list, 'emi').map(p => p.user_id)).toEqual([3])
    expect(filterParticipants(list, 'ZOE').map(p => p.user_id)).toEqual([1])
    expect(filterParticipants(list, '  ')).toHaveLength(4)
  })
})
