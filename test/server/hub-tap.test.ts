/** The hub's cluster hooks: the tap that sees every saved entry once, and sockets held elsewhere. */
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { createHub, type OutboxEntry } from '../../server/room/engine/hub.js'
import type { ServerFrame } from '../../server/protocol/index.js'

const json = (buf: Buffer): Record<string, unknown> => JSON.parse(buf.subarray(buf[1]! < 126 ? 2 : 4).toString('utf8')) as Record<string, unknown>
const tick = async (): Promise<void> => { await new Promise(resolve => setTimeout(resolve, 5)) }

test('the tap sees every broadcast once, in order, with its variant, even with no socket connected', async () => {
  const hub = createHub({ maxBufferedBytes: 1 << 20 })
  const seen: OutboxEntry[] = []
  hub.setTap(entries => { seen.push(...entries) })
  hub.broadcast({ type: 'room_update', locked: true } as ServerFrame)
  hub.broadcast({ type: 'room_update', slow_mode_s: 5 } as ServerFrame, { userId: 7, frame: { type: 'room_update', slow_mode_s: 6 } as ServerFrame })
  await tick()
  hub.broadcast({ type: 'room_update', announcement: 'hi' } as ServerFrame)
  await tick()
  hub.flush()
  assert.deepEqual(seen.map(e => json(e.buf)), [{ type: 'room_update', locked: true }, { type: 'room_update', slow_mode_s: 5 }, { type: 'room_update', announcement: 'hi' }])
  assert.equal(seen[1]!.variantUser, 7)
  assert.deepEqual(json(seen[1]!.variantBuf!), { type: 'room_update', slow_mode_s: 6 })
  hub.close()
})

test('answer text reaches the tap only after the write-ahead save succeeded', async () => {
  const hub = createHub({ maxBufferedBytes: 1 << 20, writeAheadRetryMs: 10 })
  const seen: string[] = []
  let isFailing = true
  const saved: string[] = []
  hub.setWriteAhead(writes => { if (isFailing) throw new Error('disk busy'); for (const w of writes) saved.push(w.text) })
  hub.setTap(entries => { for (const e of entries) seen.push(String(json(e.buf).content)) })
  hub.appendDelta(5, 4, 'c', 'Hel')
  hub.appendDelta(5, 4, 'c', 'lo')
  await tick()
  assert.deepEqual(seen, [], 'nothing unsaved is streamed')
  isFailing = false
  await new Promise(resolve => setTimeout(resolve, 40))
  assert.deepEqual(seen, ['Hello'])
  assert.deepEqual(saved, ['Hello'], 'saved before it was streamed')
  hub.close()
})

test('sockets held elsewhere count as online, and closeRemote reaches them', () => {
  const hub = createHub({ maxBufferedBytes: 1 << 20 })
  const closed: Array<[number, number]> = []
  assert.equal(hub.onlineCount(), 0)
  hub.closeRemote(3, { type: 'pong' }, 4001, 'x') // no remote sockets: nothing happens
  hub.setRemoteSockets({
    isOnline: (id) => id === 3 || id === 4,
    onlineCount: (local) => 2 + [...local].filter(id => id !== 3 && id !== 4).length,
    close: (userId, _frame, code) => { closed.push([userId, code]) }
  })
  assert.equal(hub.onlineCount(), 2)
  assert.equal(hub.isOnline(3), true)
  assert.equal(hub.isOnline(5), false)
  hub.closeRemote(3, { type: 'pong' }, 4001, 'Removed by the host')
  assert.deepEqual(closed, [[3, 4001]])
  hub.close()
})
