import { describe, expect, it } from 'vitest'
import { chatReducer, createChatState, isNameless, type ChatState, type UserEntry } from '../../renderer/shared/chat/chat-state.js'
import type { RoomFrame } from '../../renderer/shared/chat/frames.js'
import { aiEnd, aiStart, history, userMessage } from './frames.js'

function apply (state: ChatState, ...frames: RoomFrame[]): ChatState {
  return frames.reduce((s, frame) => chatReducer(s, { type: 'frame', frame }), state)
}

describe('chat state: what the host does to the room', () => {
  it('marks a hidden message (user or AI) and brings it back on unhide', () => {
    let state = apply(createChatState(), userMessage(1, 1, 'rude'), userMessage(2, 2, '@ai hi'), aiStart(3, 3, 2), aiEnd(3, 4, 'Hello'))
    state = apply(state, { type: 'message_hidden', id: 1, seq: 5 }, { type: 'message_hidden', id: 3, seq: 6 })
    expect(state.entries.filter(e => e.isHidden).map(e => e.key)).toEqual(['u:1', 'a:3'])
    expect(state.lastSeq).toBe(6)
    state = apply(state, { type: 'message_unhidden', id: 1, seq: 7, message: userMessage(1, 1, 'rude') })
    expect(state.entries.find(e => e.key === 'u:1')).toMatchObject({ isHidden: false, content: 'rude' })
  })

  it('reads hidden messages from history (participants get status hidden and no text)', () => {
    const state = chatReducer(createChatState(), {
      type: 'history',
      messages: [history(1, 1), { ...history(2, 2), status: 'hidden' as never, content: '' }]
    })
    expect(state.entries.map(e => [e.key, e.isHidden])).toEqual([['u:1', false], ['u:2', true]])
  })

  it('restores an unhidden message whose text the participant never had', () => {
    let state = chatReducer(createChatState(), { type: 'history', messages: [{ ...history(2, 2), status: 'hidden' as never, content: '' }] })
    state = apply(state, { type: 'message_unhidden', id: 2, seq: 9, message: userMessage(2, 2, 'back again') })
    expect(state.entries).toHaveLength(1)
    expect(state.entries[0]).toMatchObject({ key: 'u:2', isHidden: false, content: 'back again' })
  })

  it('clears the room on a new session and ignores older history afterwards', () => {
    let state = apply(createChatState(), userMessage(1, 1), userMessage(2, 2))
    state = apply(state, { type: 'room_cleared', seq: 3, session_id: 2 }, userMessage(4, 4, 'new lesson'))
    expect(state.entries.map(e => e.key)).toEqual(['u:4'])
    state = chatReducer(state, { type: 'history', messages: [history(1, 1), history(2, 2)] })
    expect(state.entries.map(e => e.key)).toEqual(['u:4'])
  })

  it('keeps the pinned announcement, lock and slow mode from hello and partial updates', () => {
    const hello = { type: 'hello', protocol: 1, room: { id: 'r', name: 'R' }, user_id: 1, last_seq: 0, online_count: 1, ai_mode: 'mention', announcement: 'Quiz at 10', slow_mode_s: 0 } as const
    let state = apply(createChatState(), hello)
    expect(state.room).toEqual({ announcement: 'Quiz at 10', locked: false, slowModeS: 0, anonymous: false })
    state = apply(state, { type: 'room_update', ai_mode: 'mention', ai_available: true, slow_mode_s: 30 })
    expect(state.room).toEqual({ announcement: 'Quiz at 10', locked: false, slowModeS: 30, anonymous: false })
    state = apply(state, { type: 'room_update', ai_mode: 'mention', ai_available: true, announcement: '' })
    expect(state.room.announcement).toBe('')
    state = apply(state, { type: 'room_update', ai_mode: 'mention', ai_available: true, anonymous: true })
    expect(state.room).toMatchObject({ anonymous: true, slowModeS: 30 })
  })

  it('keeps who wrote a message posted in an anonymous room, or that nobody is named', () => {
    const base = { type: 'user_message', seq: 1, content: 'hi', emoji: '👤', timestamp: 1, anonymous: true } as const
    let state = apply(createChatState(), { ...base, id: 1, from_user: 'Anonymous', from_user_id: 0 })
    state = apply(state, { ...base, id: 2, seq: 2, from_user: 'Kim', from_user_id: 5 })
    const [other, named] = state.entries as [UserEntry, UserEntry]
    expect([other.isAnonymous, isNameless(other)]).toEqual([true, true])
    expect([named.isAnonymous, isNameless(named)]).toEqual([true, false])
  })
})
