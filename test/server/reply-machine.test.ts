import { test } from 'node:test'
import assert from 'node:assert/strict'
import { abortedStatus, isHeld, isLive, transition, type ReplyChange, type ReplyState } from '../../server/room/ai/reply.js'
import { createFairQueue } from '../../server/room/ai/fair-queue.js'

const end = (status: 'complete' | 'stopped' | 'failed' | 'interrupted', isShuttingDown = false): ReplyChange => ({ type: 'end', status, error: null, isShuttingDown })

test('a reply walks queued → streaming → ending → ended, and only forward', () => {
  let s: ReplyState = { phase: 'queued', isHeld: false }
  s = transition(s, { type: 'start' })
  assert.deepEqual(s, { phase: 'streaming', isHeld: false, stopping: null })
  assert.ok(isLive(s))
  s = transition(s, end('complete'))
  assert.deepEqual(s, { phase: 'ending', end: { status: 'complete', error: null, isEditedByHost: false }, isHeld: false })
  assert.ok(!isLive(s))
  s = transition(s, { type: 'saved' })
  assert.deepEqual(s, { phase: 'ended' })
  // Every change an ended reply is offered is refused, naming the phase.
  for (const change of [{ type: 'start' }, { type: 'hold' }, { type: 'stop', reason: 'stopped' }, end('complete'), { type: 'saved' }] as ReplyChange[]) {
    assert.throws(() => transition(s, change), /phase "ended" cannot take/)
  }
  assert.throws(() => transition({ phase: 'queued', isHeld: false }, { type: 'stop', reason: 'stopped' }), /queued/)
  assert.throws(() => transition({ phase: 'queued', isHeld: false }, { type: 'saved' }), /queued/)
})

test('a held answer goes to review when written or cut, and to its end when it fails, is stopped or the host shuts down', () => {
  const held: ReplyState = transition(transition({ phase: 'queued', isHeld: false }, { type: 'start' }), { type: 'hold' })
  assert.ok(isHeld(held))
  assert.deepEqual(transition(held, end('complete')), { phase: 'in_review' })
  const cut = transition(held, { type: 'stop', reason: 'length' })
  assert.deepEqual(transition(cut, end('stopped')), { phase: 'in_review' })
  const stopped = transition(held, { type: 'stop', reason: 'stopped' })
  assert.equal(transition(stopped, end('stopped')).phase, 'ending')
  assert.equal(transition(held, end('failed')).phase, 'ending')
  assert.equal(transition(held, end('complete', true)).phase, 'ending')
  // Waiting for the host at shutdown: it ends, still held (its text never reached the room).
  const shut = transition({ phase: 'in_review' }, end('interrupted', true))
  assert.ok(shut.phase === 'ending' && shut.isHeld && shut.end.status === 'interrupted')
  assert.throws(() => transition({ phase: 'in_review' }, end('complete')), /in_review/)
})

test('a review ends as complete, stopped when released cut, edited when the host wrote it', () => {
  const released = transition({ phase: 'in_review' }, { type: 'review', verdict: 'released', isEdited: false, isCut: false })
  assert.deepEqual(released, { phase: 'ending', end: { status: 'complete', error: null, isEditedByHost: false }, isHeld: false })
  const cut = transition({ phase: 'in_review' }, { type: 'review', verdict: 'released', isEdited: false, isCut: true })
  assert.ok(cut.phase === 'ending' && cut.end.status === 'stopped')
  const edited = transition({ phase: 'in_review' }, { type: 'review', verdict: 'released', isEdited: true, isCut: false })
  assert.ok(edited.phase === 'ending' && edited.end.isEditedByHost && edited.end.status === 'complete')
  const discarded = transition({ phase: 'in_review' }, { type: 'review', verdict: 'discarded', isEdited: false, isCut: false })
  assert.ok(discarded.phase === 'ending' && discarded.end.status === 'stopped' && !discarded.end.isEditedByHost)
})

test('an aborted stream is stopped, or interrupted when the host shut down', () => {
  const streaming: ReplyState = { phase: 'streaming', isHeld: false, stopping: null }
  assert.equal(abortedStatus(transition(streaming, { type: 'stop', reason: 'stopped' })), 'stopped')
  assert.equal(abortedStatus(transition(streaming, { type: 'stop', reason: 'shutdown' })), 'interrupted')
})

test('the fair queue serves askers in turn, removes a stopped question and lists the serving order', () => {
  const q = createFairQueue<{ asker: number, n: number }>(x => x.asker)
  const a1 = { asker: 1, n: 1 }
  const a2 = { asker: 1, n: 2 }
  const a3 = { asker: 1, n: 3 }
  const b1 = { asker: 2, n: 1 }
  const c1 = { asker: 3, n: 1 }
  for (const x of [a1, a2, a3, b1, c1]) q.push(x)
  assert.equal(q.size, 5)
  assert.deepEqual(q.order(), [a1, b1, c1, a2, a3])
  assert.ok(q.remove(b1))
  assert.ok(!q.remove(b1))
  assert.deepEqual(q.order(), [a1, c1, a2, a3])
  assert.equal(q.shift(), a1)
  assert.equal(q.shift(), c1)
  assert.equal(q.shift(), a2)
  q.push(b1)
  assert.deepEqual(q.order(), [a3, b1])
  assert.equal(q.shift(), a3)
  assert.equal(q.shift(), b1)
  assert.equal(q.shift(), undefined)
  assert.equal(q.size, 0)
})
