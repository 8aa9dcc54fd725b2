import { test } from 'node:test'
import assert from 'node:assert/strict'
import { startHost } from '../helpers/host.js'
import type { AiGateway, ReplyEvent } from '../../server/ports.js'

/** An AI that answers every question with the same few deltas, at once. */
function scriptedAi (deltas: string[]): AiGateway {
  return {
    async * streamReply (): AsyncGenerator<ReplyEvent> {
      yield { type: 'meta', conversationId: 'conv-1', taskId: 'task-1', messageId: 'm-1' }
      for (const text of deltas) yield { type: 'delta', text }
      yield { type: 'end', citations: [], usage: null, hasEndEvent: true }
    },
    async stop () {},
    async appInfo () { return { openingStatement: null, suggestedQuestions: [] } },
    async close () {}
  }
}

function sample (text: string, name: string): number {
  const line = text.split('\n').find(l => l.startsWith(name + ' ') || l.startsWith(name + '{'))
  assert.ok(line !== undefined, `${name} is exposed`)
  return Number(line.slice(line.lastIndexOf(' ') + 1))
}

test('metrics expose connections, fan-out counters, AI timings and SQLite write latency', async (t) => {
  const host = await startHost(t, { ai: () => scriptedAi(['Hel', 'lo ', 'there']) })
  const alice = await host.join('Alice')
  const bob = await host.join('Bob')
  const a = await host.connect(alice.token)
  const b = await host.connect(bob.token)
  a.chat('@ai hello', 'q1')
  await b.waitFor(f => f.type === 'ai_message_end')

  const res = await host.api('GET', '/metrics')
  assert.equal(res.status, 200)
  assert.match(res.headers.get('content-type') ?? '', /^text\/plain/)
  const text = res.body as string
  assert.equal(sample(text, 'mindweb_ws_connections'), 2)
  assert.equal(sample(text, 'mindweb_participants_online'), 2)
  assert.ok(sample(text, 'mindweb_ws_frames_broadcast_total') >= 3)
  assert.ok(sample(text, 'mindweb_ws_writes_total') >= 4)
  assert.ok(sample(text, 'mindweb_ws_bytes_written_total') > 0)
  assert.equal(sample(text, 'mindweb_ai_deltas_in_total'), 3)
  assert.ok(sample(text, 'mindweb_ai_chunks_out_total') >= 1)
  assert.ok(sample(text, 'mindweb_ai_coalescing_ratio') >= 1)
  assert.equal(sample(text, 'mindweb_ai_streams_active'), 0)
  assert.equal(sample(text, 'mindweb_ai_streams_queued'), 0)
  assert.equal(sample(text, 'mindweb_ws_slow_consumers_dropped_total'), 0)
  assert.equal(sample(text, 'mindweb_dify_first_token_seconds_count'), 1)
  assert.equal(sample(text, 'mindweb_dify_reply_duration_seconds_count{status="complete"}'), 1)
  assert.equal(sample(text, 'mindweb_sqlite_write_seconds_count{op="postUserMessage"}'), 1)
  assert.equal(sample(text, 'mindweb_sqlite_write_seconds_count{op="finishReply"}'), 1)
  assert.ok(sample(text, 'mindweb_event_loop_delay_seconds{quantile="0.99"}') >= 0)
  assert.ok(sample(text, 'mindweb_process_memory_bytes{kind="rss"}') > 0)
})

test('metrics need the admin token unless asked from the host computer', async (t) => {
  const host = await startHost(t)
  const remote = await host.app.inject({ method: 'GET', url: '/metrics', remoteAddress: '192.168.1.20' })
  assert.equal(remote.statusCode, 401)
  assert.equal(remote.json().error.code, 'ERR_UNAUTHORIZED')
  const wrong = await host.app.inject({ method: 'GET', url: '/metrics', remoteAddress: '192.168.1.20', headers: { authorization: 'Bearer not-the-token-at-all' } })
  assert.equal(wrong.statusCode, 401)
  const withToken = await host.app.inject({ method: 'GET', url: '/metrics', remoteAddress: '192.168.1.20', headers: { authorization: `Bearer ${host.config.adminToken}` } })
  assert.equal(withToken.statusCode, 200)
  assert.match(withToken.body, /mindweb_ws_connections 0/)
  const local = await host.app.inject({ method: 'GET', url: '/metrics' })
  assert.equal(local.statusCode, 200)
})

test('two apps in one process keep separate metrics', async (t) => {
  const one = await startHost(t)
  const two = await startHost(t)
  const p = await one.join('Solo')
  await one.connect(p.token)
  const a = await one.api('GET', '/metrics')
  const b = await two.api('GET', '/metrics')
  assert.match(a.body as string, /mindweb_ws_connections 1/)
  assert.match(b.body as string, /mindweb_ws_connections 0/)
})

test('a connection that stops reading is dropped and counted; the others keep getting every frame', async () => {
  const { createHub } = await import('../../server/room/engine/hub.js')
  const dropped: number[] = []
  const hub = createHub({ maxBufferedBytes: 16 * 1024, onSlowConsumer: (conn) => dropped.push(conn.userId) })
  const make = (id: number) => {
    const socket = { destroyed: false, writableLength: 0, bytes: 0, write (buf: Buffer) { this.bytes += buf.length; return true } }
    const ws = { isTerminated: false, closeCode: 0, terminate () { this.isTerminated = true }, close (code: number) { this.closeCode = code } }
    const conn = { id, userId: id, role: 'participant', address: '127.0.0.1', ws, socket, isAlive: true, isClosed: false, from: 0 }
    hub.add(conn as never)
    return { conn, socket, ws }
  }
  const reader = make(1)
  const stalled = make(2)
  for (let i = 0; i < 5; i++) {
    hub.broadcast({ type: 'pong' })
    hub.flush()
    // The stalled peer's unsent bytes pile up; the reader's drain.
    stalled.socket.writableLength += 10 * 1024
  }
  assert.deepEqual(dropped, [2])
  // A close frame after what it already has (1013: try again later, with since=); cut if it never reads.
  assert.equal(stalled.ws.closeCode, 1013)
  assert.equal(reader.ws.closeCode, 0)
  assert.equal(hub.stats.slowConsumersDropped, 1)
  assert.equal(reader.socket.bytes, 5 * 17) // each pong frame: 2 header bytes + 15 bytes of JSON
  hub.close()
})
