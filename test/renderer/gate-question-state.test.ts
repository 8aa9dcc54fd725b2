import { describe, expect, it } from 'vitest'
import { NO_QUESTIONS, questionsReducer, sameQuestion } from '../../renderer/participant/components/question-state.js'
import type { ChatEntry } from '../../renderer/shared/chat/chat-state.js'

const update = (over: Record<string, unknown>) => ({ type: 'frame' as const, frame: { type: 'question_update', message_id: 1, seq: 2, status: 'pending', votes: 0, waiting_count: 1, ...over } as never })

describe('question state on a participant page', () => {
  it('follows the frames and keeps my vote when others vote', () => {
    let s = questionsReducer(NO_QUESTIONS, update({}))
    expect(s.byId.get(1)).toMatchObject({ status: 'pending', votes: 0, myVote: false })
    expect(s.waiting).toBe(1)
    s = questionsReducer(s, { type: 'vote', messageId: 1, up: true })
    expect(s.byId.get(1)).toMatchObject({ votes: 1, myVote: true })
    s = questionsReducer(s, update({ votes: 1, my_vote: true }))
    s = questionsReducer(s, update({ votes: 2 }))
    expect(s.byId.get(1)).toMatchObject({ votes: 2, myVote: true })
    s = questionsReducer(s, update({ status: 'rejected', votes: 2, reason: 'later', waiting_count: 0 }))
    expect(s.byId.get(1)).toMatchObject({ status: 'rejected', reason: 'later' })
    expect(s.waiting).toBe(0)
    expect(questionsReducer(s, { type: 'frame', frame: { type: 'room_cleared' } })).toBe(NO_QUESTIONS)
  })

  it('loads the states after a reload, with the edited text the AI was asked', () => {
    const s = questionsReducer(NO_QUESTIONS, {
      type: 'load',
      response: { questions: [{ message_id: 5, status: 'approved', votes: 3, my_vote: true, edited: true, content: 'Why?' }], waiting_count: 0 }
    })
    expect(s.byId.get(5)).toEqual({ status: 'approved', votes: 3, myVote: true, reason: null, asked: 'Why?', mergedInto: null })
  })
})

describe('answers held for the host', () => {
  it('are marked while the host checks them, and say so when discarded', () => {
    const frame = (status: string, note?: string) => ({ type: 'frame' as const, frame: { type: 'ai_review', id: 7, reply_to: 6, status, ...(note !== undefined ? { note } : {}) } as never })
    let s = questionsReducer(NO_QUESTIONS, frame('reviewing'))
    expect(s.reviewing.has(7)).toBe(true)
    s = questionsReducer(s, frame('released'))
    expect(s.reviewing.has(7)).toBe(false)
    expect(s.discarded.size).toBe(0)
    s = questionsReducer(questionsReducer(s, frame('reviewing')), frame('discarded', 'Not now'))
    expect(s.reviewing.has(7)).toBe(false)
    expect(s.discarded.get(7)).toBe('Not now')
  })
})

describe('answers the host edited', () => {
  it('are remembered from their end frame', () => {
    const end = (edited: boolean) => ({ type: 'frame' as const, frame: { type: 'ai_message_end', id: 8, seq: 9, reply_to: 6, content: 'x', status: 'complete', conversation_id: '', timestamp: 1, ...(edited ? { edited_by_host: true } : {}) } as never })
    expect(questionsReducer(NO_QUESTIONS, end(false))).toBe(NO_QUESTIONS)
    expect(questionsReducer(NO_QUESTIONS, end(true)).edited.has(8)).toBe(true)
  })

  it('reads from a reloaded history which answers the host edited and which it is checking', () => {
    const answer = (id: number, extra: Record<string, unknown>) => ({ id, seq: id, role: 'assistant', content: '', status: 'streaming', from_user: 'Kim', from_user_id: null, emoji: '🤖', timestamp: 1, ...extra }) as never
    const s = questionsReducer(NO_QUESTIONS, { type: 'history', messages: [answer(7, { reviewing: true }), answer(8, { status: 'complete', content: 'Edited.', edited_by_host: true }), answer(9, {})] })
    expect([...s.reviewing]).toEqual([7])
    expect([...s.edited]).toEqual([8])
    expect(questionsReducer(s, { type: 'history', messages: [answer(9, {})] })).toBe(s)
  })

  it('finds the follow-up someone already asked: a vote for theirs, nothing for my own, a new one once it was declined', () => {
    const entry = (id: number, from: number, content: string) => ({ kind: 'user', id, fromUserId: from, content, isHidden: false }) as unknown as ChatEntry
    const entries = [entry(1, 5, '@ai Why does ice float?'), entry(2, 6, 'unrelated')]
    let s = questionsReducer(NO_QUESTIONS, update({ message_id: 1 }))
    expect(sameQuestion('why does ice float', entries, s, 6)).toEqual({ messageId: 1, canVote: true })
    expect(sameQuestion('Why does ice float?', entries, s, 5)).toEqual({ messageId: 1, canVote: false })
    expect(sameQuestion('What is ice?', entries, s, 6)).toBeNull()
    s = questionsReducer(s, { type: 'vote', messageId: 1, up: true })
    expect(sameQuestion('Why does ice float?', entries, s, 6)).toEqual({ messageId: 1, canVote: false })
    s = questionsReducer(s, update({ message_id: 1, status: 'rejected', waiting_count: 0 }))
    expect(sameQuestion('Why does ice float?', entries, s, 6)).toBeNull()
  })
})
