import { describe, expect, it } from 'vitest'
import { createProjectorState, projectorReducer, shownView } from '../../renderer/projector/projector-state.js'

const q = (id: number, content: string, from = 'Kim') => ({ type: 'user_message', id, seq: id, content, from_user: from, asks_ai: true })

describe('projector state', () => {
  it('shows the join code until an answer starts, then follows the newest answer as it streams', () => {
    let s = createProjectorState()
    expect(shownView(s, false)).toBe('qr')
    s = projectorReducer(s, [q(1, '@ai first?'), { type: 'ai_message_start', id: 2, seq: 2, reply_to: 1 }])
    expect(shownView(s, false)).toBe('answer')
    s = projectorReducer(s, [{ type: 'ai_message_chunk', id: 2, reply_to: 1, content: 'Hel' }, { type: 'ai_message_chunk', id: 2, reply_to: 1, content: 'lo' }])
    expect(s.answer).toMatchObject({ id: 2, text: 'Hello', status: 'streaming' })
    s = projectorReducer(s, [q(3, '@ai second?', 'Lee'), { type: 'ai_message_start', id: 4, seq: 4, reply_to: 3 }])
    expect(s.answer?.id).toBe(4)
    // the end of the older answer does not take the screen back
    s = projectorReducer(s, [{ type: 'ai_message_end', id: 2, seq: 5, reply_to: 1, content: 'Hello!', status: 'complete' }])
    expect(s.answer?.id).toBe(4)
    s = projectorReducer(s, [{ type: 'ai_message_end', id: 4, seq: 6, reply_to: 3, content: 'Second answer', status: 'complete' }])
    expect(s.answer).toMatchObject({ id: 4, text: 'Second answer', status: 'complete' })
    expect(s.questions.get(3)?.from).toBe('Lee')
    expect(s.lastSeq).toBe(6)
    expect(shownView(s, true)).toBe('qr')
  })

  it('never shows an answer held for review, keeps the host edit, obeys the host switch and a new lesson', () => {
    let s = projectorReducer(createProjectorState(), [
      q(1, '@ai waht?'),
      { type: 'question_update', message_id: 1, seq: 2, status: 'approved', waiting_count: 3, edited: true, content: 'What?' },
      { type: 'ai_message_start', id: 3, seq: 3, reply_to: 1 },
      { type: 'ai_message_chunk', id: 3, reply_to: 1, content: 'secret draft', review: true }
    ])
    expect(s.answer?.text).toBe('')
    s = projectorReducer(s, [{ type: 'ai_review', id: 3, reply_to: 1, status: 'reviewing' }])
    expect(s.answer?.isReviewing).toBe(true)
    s = projectorReducer(s, [{ type: 'ai_message_end', id: 3, seq: 4, reply_to: 1, content: 'Released.', status: 'complete', edited_by_host: true }])
    expect(s.answer).toMatchObject({ text: 'Released.', isReviewing: false, isEditedByHost: true })
    expect(s.questions.get(1)?.asked).toBe('What?')
    expect(s.waiting).toBe(3)
    s = projectorReducer(s, [{ type: 'projector_update', view: 'qr', hide_names: true }])
    expect(shownView(s, false)).toBe('qr')
    expect(s.hideNames).toBe(true)
    s = projectorReducer(s, [{ type: 'message_hidden', id: 3, seq: 5 }])
    expect(s.answer?.isHidden).toBe(true)
    s = projectorReducer(s, [{ type: 'room_cleared', seq: 6 }])
    expect(s.answer).toBeNull()
    expect(s.view).toBe('qr')
  })

  it('takes a snapshot of an answer already streaming when it connects', () => {
    const s = projectorReducer(createProjectorState(), [{ type: 'ai_message_chunk', id: 9, reply_to: 8, content: 'so far', snapshot: true }])
    expect(s.answer).toMatchObject({ id: 9, replyTo: 8, text: 'so far', status: 'streaming' })
  })
})

describe('the projector and polls', () => {
  const opened = { type: 'poll_update', poll_id: 4, seq: 10, status: 'open', kind: 'single', question: 'Which gas?', options: ['O2', 'CO2'], show_results: false, counts: [0, 0], total: 0 }

  it('turns to an open poll, follows its counts, and back to an answer that starts after it', () => {
    let s = projectorReducer(createProjectorState(), [opened])
    expect(shownView(s, false)).toBe('poll')
    s = projectorReducer(s, [{ type: 'poll_results', poll_id: 4, counts: [1, 2], total: 3 }])
    expect(s.poll).toMatchObject({ counts: [1, 2], total: 3, showResults: false })
    s = projectorReducer(s, [{ type: 'poll_results', poll_id: 3, counts: [9, 9], total: 18 }])
    expect(s.poll?.total).toBe(3)
    s = projectorReducer(s, [{ type: 'ai_message_start', id: 12, seq: 11, reply_to: 11 }])
    expect(shownView(s, false)).toBe('answer')
    // Closing with the results hidden is no news for the class; showing them is.
    s = projectorReducer(s, [{ ...opened, seq: 13, status: 'closed' }])
    expect(shownView(s, false)).toBe('answer')
    s = projectorReducer(s, [{ ...opened, seq: 14, status: 'closed', show_results: true, counts: [1, 2], total: 3 }])
    expect(shownView(s, false)).toBe('poll')
    expect(shownView(s, true)).toBe('qr')
    expect(shownView({ ...s, view: 'answer' }, false)).toBe('answer')
  })

  it('shows an open poll\'s groups when the teacher puts them on the screen, and takes them off', () => {
    const open = { ...opened, poll_id: 5, kind: 'open', options: [], counts: [] }
    let s = projectorReducer(createProjectorState(), [{ ...open, seq: 20, status: 'closed' }])
    expect(shownView(s, false)).toBe('qr')
    s = projectorReducer(s, [{ type: 'poll_groups', poll_id: 5, groups: [{ theme: 'Light', answers: ['sun'], is_misconception: false }] }])
    expect(shownView(s, false)).toBe('poll')
    expect(s.poll?.groups?.[0]?.theme).toBe('Light')
    s = projectorReducer(s, [{ type: 'poll_groups', poll_id: 5, groups: [] }])
    expect(s.poll?.groups).toBeNull()
  })
})
