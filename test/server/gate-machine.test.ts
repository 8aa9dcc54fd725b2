import { test } from 'node:test'
import assert from 'node:assert/strict'
import { checkVote, decide, queueOrder, type Question } from '../../server/room/gate/gate.js'
import { AppError } from '../../server/errors.js'

function q (id: number, over: Partial<Question> = {}): Question {
  return { messageId: id, askerId: 1, asker: 'Kim', content: 'why?', createdAt: id, state: { status: 'pending' }, votes: 0, decidedAt: null, replyId: null, ...over }
}
const code = (fn: () => unknown): string => { try { fn() } catch (err) { return (err as AppError).code } return 'none' }

test('approve keeps the question, or takes the edit and marks it edited', () => {
  assert.deepEqual(decide(q(1), { type: 'approve', content: null }), { status: 'approved', content: 'why?', isEdited: false })
  assert.deepEqual(decide(q(1), { type: 'approve', content: ' why? ' }), { status: 'approved', content: 'why?', isEdited: false })
  assert.deepEqual(decide(q(1), { type: 'approve', content: 'Why is the sky blue?' }), { status: 'approved', content: 'Why is the sky blue?', isEdited: true })
  assert.equal(code(() => decide(q(1), { type: 'approve', content: '  ' })), 'ERR_MESSAGE_EMPTY')
})

test('reject keeps a trimmed reason (none when blank)', () => {
  assert.deepEqual(decide(q(1), { type: 'reject', reason: ' off topic ' }), { status: 'rejected', reason: 'off topic' })
  assert.deepEqual(decide(q(1), { type: 'reject', reason: ' ' }), { status: 'rejected', reason: null })
})

test('merge needs another question that is pending or approved', () => {
  assert.deepEqual(decide(q(2), { type: 'merge', into: 1 }, q(1)), { status: 'merged', mergedInto: 1 })
  assert.equal(code(() => decide(q(2), { type: 'merge', into: 2 }, q(2))), 'ERR_VALIDATION')
  assert.equal(code(() => decide(q(2), { type: 'merge', into: 9 }, null)), 'ERR_QUESTION_NOT_FOUND')
  assert.equal(code(() => decide(q(2), { type: 'merge', into: 1 }, q(1, { state: { status: 'rejected', reason: null } }))), 'ERR_QUESTION_DECIDED')
  assert.deepEqual(decide(q(2), { type: 'merge', into: 1 }, q(1, { state: { status: 'approved', content: 'x', isEdited: false } })), { status: 'merged', mergedInto: 1 })
})

test('every state but pending is final, for decisions and votes', () => {
  for (const state of [{ status: 'approved', content: 'x', isEdited: false }, { status: 'rejected', reason: null }, { status: 'merged', mergedInto: 1 }] as const) {
    assert.equal(code(() => decide(q(3, { state }), { type: 'reject', reason: null })), 'ERR_QUESTION_DECIDED')
    assert.equal(code(() => checkVote(q(3, { state }), 7)), 'ERR_QUESTION_DECIDED')
  }
  assert.equal(code(() => checkVote(q(3), 1)), 'ERR_VALIDATION', 'not for your own question')
  assert.equal(code(() => checkVote(q(3), 7)), 'none')
})

test('the queue: pending first, most votes, then oldest; decided ones newest first', () => {
  const list = [
    q(1, { votes: 1 }), q(2, { votes: 3 }), q(3, { votes: 1 }),
    q(4, { state: { status: 'rejected', reason: null }, decidedAt: 10 }), q(5, { state: { status: 'rejected', reason: null }, decidedAt: 20 })
  ]
  assert.deepEqual(list.sort(queueOrder).map(x => x.messageId), [2, 1, 3, 5, 4])
})
