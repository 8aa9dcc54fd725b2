/** Fast unit tests of the hub's pure parts: delta coalescing, write-ahead ledger, presence batching, audiences. */
import { test, mock } from 'node:test'
import assert from 'node:assert/strict'
import { createDeltaCoalescer, encodeChunk, mergeChunkRun, type PendingChunk } from '../../server/room/engine/delta-coalescer.js'
import { createWriteAheadLedger, type AnswerWrite } from '../../server/room/engine/write-ahead.js'
import { createPresenceBatcher, presenceFrame } from '../../server/room/engine/presence.js'
import { isSharedWith, reaches, type HubConnection, type OutboxEntry } from '../../server/room/engine/fan-out.js'
import type { ServerFrame } from '../../server/protocol/index.js'

const chunk = (id: number, text: string, isAdminOnly = false): PendingChunk => ({ id, replyTo: id - 1, conversationId: 'c', text, isAdminOnly })
const json = (buf: Buffer): Record<string, unknown> => JSON.parse(buf.subarray(buf[1]! < 126 ? 2 : 4).toString('utf8')) as Record<string, unknown>

test('the coalescer keeps one chunk per answer and audience, in the order answers first moved', () => {
  const c = createDeltaCoalescer()
  c.append(chunk(7, 'Hel'))
  c.append(chunk(9, 'A'))
  c.append(chunk(7, 'lo'))
  c.append(chunk(7, ' (held)', true))
  assert.equal(c.size, 3)
  assert.equal(c.pendingText(7), 'Hello (held)')
  assert.deepEqual(c.drain().map(x => [x.id, x.text, x.isAdminOnly]), [[7, 'Hello', false], [9, 'A', false], [7, ' (held)', true]])
  assert.equal(c.size, 0)
  assert.equal(c.pendingText(7), '')
})

test('a run of chunk frames merges into one frame per answer; a lone chunk keeps its bytes', () => {
  const a = { buf: encodeChunk(chunk(1, 'x'), 1), chunk: chunk(1, 'x') }
  assert.equal(mergeChunkRun([a], 2)[0], a.buf)
  const run = [chunk(1, 'a'), chunk(2, 'b'), chunk(1, 'c'), chunk(2, 'd', true)].map(c => ({ buf: encodeChunk(c, 1), chunk: c }))
  const merged = mergeChunkRun(run, 2).map(json)
  assert.deepEqual(merged.map(f => [f.id, f.content, f.review]), [[1, 'ac', undefined], [2, 'b', undefined], [2, 'd', true]])
})

test('the ledger saves every moved answer at once, and keeps the text when the save fails', () => {
  const ledger = createWriteAheadLedger()
  assert.equal(ledger.stamp, -1, 'nothing unsaved: entries are writable at once')
  ledger.append(1, 'Hel')
  ledger.append(2, 'Hi')
  ledger.append(1, 'lo')
  assert.equal(ledger.stamp, 0)
  const saved: AnswerWrite[][] = []
  assert.equal(ledger.save(() => { throw new Error('disk full') }), false)
  assert.equal(ledger.savedThrough, -1)
  ledger.append(1, '!')
  ledger.replace(2, 'Moderated')
  ledger.append(2, '.')
  assert.equal(ledger.save(w => { saved.push(w.map(x => ({ ...x }))) }), true)
  assert.deepEqual(saved, [[{ id: 1, text: 'Hello!', isReplace: false }, { id: 2, text: 'Moderated.', isReplace: true }]])
  assert.equal(ledger.savedThrough, 0)
  assert.equal(ledger.size, 0)
  assert.equal(ledger.stamp, -1)
  ledger.append(3, 'x')
  assert.equal(ledger.stamp, 1, 'text after a save belongs to the next one')
})

test('presence: changes in one window become one frame; a join and leave cancel; large rooms send counts', () => {
  mock.timers.enable({ apis: ['setTimeout'] })
  try {
    const frames: ServerFrame[] = []
    let online = 2
    const p = createPresenceBatcher({ delayMs: () => 30, listMax: 3, onlineCount: () => online, emit: f => frames.push(f) })
    p.joined({ user_id: 1, username: 'A', emoji: '' })
    p.joined({ user_id: 2, username: 'B', emoji: '' })
    p.left(5)
    p.joined({ user_id: 3, username: 'C', emoji: '' })
    p.left(3)
    mock.timers.tick(29)
    assert.equal(frames.length, 0)
    mock.timers.tick(1)
    assert.deepEqual(frames, [{ type: 'presence', joined: [{ user_id: 1, username: 'A', emoji: '' }, { user_id: 2, username: 'B', emoji: '' }], left: [5], online_count: 2 }])
    online = 4
    p.left(1)
    p.flush()
    assert.deepEqual(frames[1], { type: 'presence', joined: [], left: [], online_count: 4, changes_omitted: 1 })
    p.close()
  } finally {
    mock.timers.reset()
  }
  assert.deepEqual(presenceFrame([], [9], 1, 300), { type: 'presence', joined: [], left: [9], online_count: 1 })
})

test('audiences: everyone, admin sockets only, one connection', () => {
  const participant = { role: 'participant' } as HubConnection
  const admin = { role: 'admin' } as HubConnection
  const all: OutboxEntry = { buf: Buffer.alloc(0), epoch: -1 }
  const adminOnly: OutboxEntry = { buf: Buffer.alloc(0), epoch: -1, isAdminOnly: true }
  const toAdmin: OutboxEntry = { buf: Buffer.alloc(0), epoch: -1, target: admin }
  assert.deepEqual([reaches(all, participant), reaches(all, admin)], [true, true])
  assert.deepEqual([reaches(adminOnly, participant), reaches(adminOnly, admin)], [false, true])
  assert.deepEqual([reaches(toAdmin, participant), reaches(toAdmin, admin)], [false, true])
  assert.deepEqual([isSharedWith(all, 'participant'), isSharedWith(adminOnly, 'participant'), isSharedWith(adminOnly, 'admin'), isSharedWith(toAdmin, 'admin')], [true, false, true, false])
})
