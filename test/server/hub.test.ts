/**
 * Unit tests of the hub with in-memory sockets: audiences (participants, admin sockets), closing
 * after the queued frames, slow consumers, and write-ahead (answer text saved before it is written).
 */
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { createHub, SLOW_CONSUMER_CLOSE, type AnswerWrite, type HubOptions } from '../../server/room/engine/hub.js'
import type { ConnectionRole } from '../../server/room/engine/fan-out.js'

type Frame = Record<string, unknown> & { type: string }

/** Server frames in a written buffer (unmasked text frames). */
function decode (buf: Buffer): Frame[] {
  const out: Frame[] = []
  let i = 0
  while (i < buf.length) {
    let len = buf[i + 1]! & 0x7f
    let at = i + 2
    if (len === 126) { len = buf.readUInt16BE(at); at += 2 } else if (len === 127) { len = Number(buf.readBigUInt64BE(at)); at += 8 }
    out.push(JSON.parse(buf.subarray(at, at + len).toString('utf8')) as Frame)
    i = at + len
  }
  return out
}

function setup (options: Partial<HubOptions> = {}) {
  const events: string[] = []
  const hub = createHub({ maxBufferedBytes: 16 * 1024, presenceDelayMs: () => 1, ...options })
  let nextId = 1
  const connect = (userId: number, role: ConnectionRole = 'participant') => {
    const id = nextId++
    const frames: Frame[] = []
    const socket = {
      destroyed: false,
      writableLength: 0,
      write (buf: Buffer) { for (const f of decode(buf)) { frames.push(f); events.push(`${id}:${f.type}`) } return true }
    }
    const ws = {
      closed: null as { code: number, reason: string } | null,
      isTerminated: false,
      close (code: number, reason: string) { this.closed = { code, reason }; events.push(`${id}:close ${code}`) },
      terminate () { this.isTerminated = true }
    }
    const conn = { id, userId, role, address: '127.0.0.1', ws, socket, isAlive: true, isClosed: false, from: 0 }
    const isFirst = hub.add(conn as never)
    return { conn, frames, socket, ws, isFirst, types: () => frames.map(f => f.type) }
  }
  return { hub, events, connect }
}

test('admin sockets get every room frame and the admin-only ones; they are not participants', () => {
  const { hub, connect } = setup()
  const alice = connect(1)
  const admin = connect(0, 'admin')
  assert.equal(alice.isFirst, true)
  assert.equal(admin.isFirst, false)
  assert.equal(hub.size, 1)
  assert.equal(hub.adminSize, 1)
  assert.equal(hub.onlineCount(), 1)
  assert.equal(hub.isOnline(0), false)
  hub.broadcast({ type: 'pong' })
  hub.broadcastAdmin({ type: 'admin_stats', online_count: 1 } as never)
  hub.broadcast({ type: 'user_message', id: 1, seq: 1, content: 'hi', from_user: 'Alice', from_user_id: 1, emoji: '', timestamp: 1 },
    { userId: 1, frame: { type: 'user_message', id: 1, seq: 1, content: 'hi', from_user: 'Alice', from_user_id: 1, emoji: '', timestamp: 1, client_msg_id: 'm1' } })
  hub.sendTo(admin.conn as never, { type: 'pong' })
  hub.flush()
  assert.deepEqual(alice.types(), ['pong', 'user_message'])
  assert.equal(alice.frames[1]!.client_msg_id, 'm1')
  assert.deepEqual(admin.types(), ['pong', 'admin_stats', 'user_message', 'pong'])
  assert.equal(admin.frames[2]!.client_msg_id, undefined)
  assert.equal(hub.remove(admin.conn as never), false)
  assert.equal(hub.adminSize, 0)
  assert.equal(hub.remove(alice.conn as never), true)
  hub.close()
})

test('an answer held for review streams to admin sockets only, marked review', () => {
  const { hub, connect } = setup()
  const alice = connect(1)
  const admin = connect(0, 'admin')
  hub.appendDelta(5, 4, 'c', 'Draft ', { adminOnly: true })
  hub.appendDelta(6, 3, 'c', 'Public')
  hub.appendDelta(5, 4, 'c', 'answer', { adminOnly: true })
  hub.replaceText(5, 'Checked answer', { adminOnly: true })
  hub.flush()
  assert.deepEqual(alice.frames.map(f => [f.type, f.id, f.content]), [['ai_message_chunk', 6, 'Public']])
  assert.deepEqual(admin.frames.map(f => [f.type, f.id, f.content, f.review]), [
    ['ai_message_chunk', 5, 'Draft answer', true], ['ai_message_chunk', 6, 'Public', undefined], ['ai_message_replace', 5, 'Checked answer', true]
  ])
  hub.close()
})

test('presence counts participants only, batched', async () => {
  const { hub, connect } = setup()
  const alice = connect(1)
  const admin = connect(0, 'admin')
  hub.presenceJoined({ user_id: 1, username: 'Alice', emoji: '' })
  await new Promise(resolve => setTimeout(resolve, 20))
  hub.flush()
  assert.deepEqual(alice.frames.at(-1), { type: 'presence', joined: [{ user_id: 1, username: 'Alice', emoji: '' }], left: [], online_count: 1 })
  assert.deepEqual(admin.frames.at(-1), alice.frames.at(-1))
  hub.close()
})

test('closeAfterFlush writes the queued frames, then the close frame, and nothing after it', () => {
  const { hub, events, connect } = setup()
  const alice = connect(1)
  const bob = connect(2)
  hub.flush()
  hub.broadcast({ type: 'pong' })
  hub.sendTo(alice.conn as never, { type: 'error', code: 'ERR_REMOVED', message: 'The host removed you from the room.' })
  hub.appendDelta(9, 8, 'c', 'tok')
  hub.closeAfterFlush(alice.conn as never, 4001, 'Removed by the host')
  hub.broadcast({ type: 'pong' })
  hub.flush()
  assert.deepEqual(events.filter(e => e.startsWith('1:')), ['1:pong', '1:error', '1:ai_message_chunk', '1:close 4001'])
  assert.deepEqual(alice.ws.closed, { code: 4001, reason: 'Removed by the host' })
  assert.deepEqual(bob.types(), ['pong', 'ai_message_chunk', 'pong'])
  assert.equal(hub.isOnline(1), true, 'online until the socket has closed')
  hub.closeAfterFlush(alice.conn as never, 4001, 'again')
  assert.equal(events.filter(e => e === '1:close 4001').length, 1, 'a second close is a no-op')
  hub.close()
})

test('a socket that stops reading gets a close frame after what it already has, and no more frames', () => {
  const dropped: number[] = []
  const { hub, connect } = setup({ onSlowConsumer: (conn) => dropped.push(conn.userId), closeGraceMs: 5 })
  const reader = connect(1)
  const stalled = connect(2)
  for (let i = 0; i < 5; i++) {
    hub.broadcast({ type: 'pong' })
    hub.flush()
    stalled.socket.writableLength += 10 * 1024
  }
  assert.deepEqual(dropped, [2])
  assert.equal(hub.stats.slowConsumersDropped, 1)
  assert.equal(stalled.ws.closed?.code, SLOW_CONSUMER_CLOSE)
  assert.equal(stalled.types().length, 2)
  assert.equal(reader.types().length, 5)
  hub.close()
})

test('write before you show: every moved answer is saved in one call before any socket is written', async () => {
  const { hub, events, connect } = setup()
  const alice = connect(1)
  const saves: AnswerWrite[][] = []
  hub.setWriteAhead((writes) => { events.push(`save ${writes.map(w => `${w.id}+${w.text}`).join(' ')}`); saves.push(writes.map(w => ({ ...w }))) })
  hub.flush()
  hub.appendDelta(1, 0, 'c', 'Hel')
  hub.appendDelta(2, 0, 'c', 'Bon')
  hub.appendDelta(1, 0, 'c', 'lo')
  await new Promise(resolve => setTimeout(resolve, 20))
  assert.deepEqual(events.slice(-3), ['save 1+Hello 2+Bon', '1:ai_message_chunk', '1:ai_message_chunk'])
  assert.equal(saves.length, 1)
  assert.deepEqual(alice.frames.map(f => f.content), ['Hello', 'Bon'])
  hub.close()
})

test('when the save fails nothing is written; the next try saves it all and then writes', async () => {
  const { hub, connect } = setup({ writeAheadRetryMs: 10 })
  const alice = connect(1)
  hub.flush()
  let isFailing = true
  const saved: string[] = []
  hub.setWriteAhead((writes) => {
    if (isFailing) throw new Error('SQLITE_FULL')
    for (const w of writes) saved.push(w.text)
  })
  hub.appendDelta(1, 0, 'c', 'Hel')
  hub.broadcast({ type: 'pong' })
  await new Promise(resolve => setTimeout(resolve, 30))
  assert.equal(alice.frames.length, 0, 'nothing shown while unsaved (the pong waits too: it came after the delta)')
  assert.ok(hub.stats.writeAheadFailures >= 1)
  hub.appendDelta(1, 0, 'c', 'lo')
  isFailing = false
  await new Promise(resolve => setTimeout(resolve, 40))
  assert.deepEqual(saved, ['Hello'])
  assert.deepEqual(alice.frames.map(f => f.type === 'ai_message_chunk' ? f.content : f.type), ['Hel', 'pong', 'lo'])
  hub.close()
})
