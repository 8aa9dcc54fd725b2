/**
 * The HTTP edge: raw TCP connections are capped per address (with the limits on), a request whose
 * headers never finish is closed after the headers timeout, one that never sends a byte after the
 * idle timeout, and none of them cuts a socket or an AI answer that streams for longer.
 */
import { after, test } from 'node:test'
import assert from 'node:assert/strict'
import net from 'node:net'
import { setTimeout as sleep } from 'node:timers/promises'
import { startHost, type TestHost } from '../helpers/host.js'
import { closeAgents } from '../helpers/net.js'
import { LIMIT_DEFAULTS } from '../../server/config.js'
import type { AiGateway } from '../../server/ports.js'

after(closeAgents)

interface IdleSocket { socket: net.Socket, isClosed: boolean }

/**
 * `n` idle TCP connections from 127.0.0.1 (opened one after another), each noting when the host
 * closed it; `use` runs with them and they are dropped after it, before the host closes (closing
 * waits for connections that never sent a request).
 */
async function withIdleSockets (host: TestHost, n: number, use: (sockets: IdleSocket[]) => Promise<void>): Promise<void> {
  const port = Number(new URL(host.url).port)
  const sockets: IdleSocket[] = []
  try {
    for (let i = 0; i < n; i++) {
      sockets.push(await new Promise<IdleSocket>((resolve) => {
        const entry = { socket: net.connect({ host: '127.0.0.1', port }), isClosed: false }
        entry.socket.on('close', () => { entry.isClosed = true })
        entry.socket.on('error', () => {})
        entry.socket.once('connect', () => resolve(entry))
        entry.socket.once('close', () => resolve(entry))
      }))
    }
    await use(sockets)
  } finally {
    for (const s of sockets) s.socket.destroy()
  }
}

async function until (what: string, check: () => boolean, timeoutMs = 3000): Promise<void> {
  const end = Date.now() + timeoutMs
  while (!check()) {
    if (Date.now() > end) throw new Error(`timed out: ${what}`)
    await sleep(10)
  }
}

test('with the limits on, TCP connections over the per-address cap are closed at once; closing frees them', async (t) => {
  const cap = LIMIT_DEFAULTS.maxHttpConnectionsPerAddress
  assert.equal(cap, 64)
  const host = await startHost(t, { config: { maxHttpConnectionsPerAddress: cap } })
  await withIdleSockets(host, 100, async (sockets) => {
    await until('the ones over the cap are closed', () => sockets.filter(s => s.isClosed).length === 100 - cap)
    await sleep(200)
    assert.deepEqual(sockets.map(s => s.isClosed), [...Array(cap).fill(false), ...Array(100 - cap).fill(true)])
    // another address is not affected; 127.0.0.1 itself is full
    assert.equal((await host.api('GET', '/healthz', { localAddress: '127.0.0.2' })).status, 200)
    await assert.rejects(fetch(`${host.url}/healthz`, { headers: { connection: 'close' } }))
    // a freed slot is usable again
    for (const s of sockets.slice(0, 10)) s.socket.destroy()
    await sleep(100)
    assert.equal((await fetch(`${host.url}/healthz`, { headers: { connection: 'close' } })).status, 200)
  })
})

test('with --limits off there is no per-address cap on TCP connections', async (t) => {
  const host = await startHost(t, { config: { limitsEnabled: false, maxHttpConnectionsPerAddress: 4 } })
  await withIdleSockets(host, 100, async (sockets) => {
    await sleep(300)
    assert.equal(sockets.filter(s => s.isClosed).length, 0)
    assert.equal((await host.api('GET', '/healthz')).status, 200)
  })
})

test('a request whose headers never finish is answered 408 and closed after the headers timeout', async (t) => {
  const host = await startHost(t, { config: { httpHeadersTimeoutMs: 300, httpRequestTimeoutMs: 2000 } })
  const port = Number(new URL(host.url).port)
  const started = Date.now()
  const { raw, ms } = await new Promise<{ raw: string, ms: number }>((resolve, reject) => {
    const socket = net.connect({ host: '127.0.0.1', port }, () => { socket.write('GET /api/room HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ') })
    let data = ''
    socket.on('data', d => { data += d.toString() })
    socket.on('close', () => resolve({ raw: data, ms: Date.now() - started }))
    socket.on('error', reject)
    setTimeout(() => { socket.destroy(); reject(new Error('still open after 3 s')) }, 3000).unref()
  })
  assert.ok(ms >= 250 && ms < 1500, `closed after ${ms} ms`)
  assert.match(raw, /^HTTP\/1\.1 408 /)
  assert.equal(JSON.parse(raw.slice(raw.indexOf('\r\n\r\n') + 4)).error.code, 'ERR_BAD_REQUEST')
})

test('a connection that never sends a request is closed after the idle timeout', async (t) => {
  const host = await startHost(t, { config: { httpIdleTimeoutMs: 50, aiIdleTimeoutMs: 100 } })
  const started = Date.now()
  await withIdleSockets(host, 1, async ([idle]) => {
    await until('the silent connection is closed', () => idle!.isClosed, 15_000)
  })
  const ms = Date.now() - started
  // never less than the AI's idle timeout plus a margin (5 s): an SSE answer may be silent that long
  assert.ok(ms >= 5000 && ms < 8000, `closed after ${ms} ms`)
})

/** An AI that writes one word every 100 ms, `words` in all. */
function slowAi (words: number): AiGateway {
  return {
    async * streamReply () {
      yield { type: 'meta' as const, conversationId: 'conv-1', taskId: 'task-1', messageId: 'msg-1' }
      for (let i = 0; i < words; i++) {
        await sleep(100)
        yield { type: 'delta' as const, text: `w${i} ` }
      }
      yield { type: 'end' as const, citations: [], usage: null, hasEndEvent: true }
    },
    async stop () {},
    async appInfo () { return { openingStatement: null, suggestedQuestions: [] } },
    async close () {}
  }
}

test('the request timeout covers receiving a request only: an SSE answer and a socket outlive it', async (t) => {
  const host = await startHost(t, { ai: () => slowAi(12), config: { httpHeadersTimeoutMs: 200, httpRequestTimeoutMs: 300, httpKeepAliveTimeoutMs: 200, httpIdleTimeoutMs: 50, aiIdleTimeoutMs: 100 } })
  const alice = await host.join('Alice')
  const socket = await host.connect(alice.token)
  await socket.waitType('hello')
  const started = Date.now()
  const res = await fetch(`${host.url}/api/chat/stream`, {
    method: 'POST',
    headers: { authorization: `Bearer ${alice.token}`, 'content-type': 'application/json' },
    body: JSON.stringify({ message: 'take your time' })
  })
  assert.equal(res.status, 200)
  const text = await res.text()
  assert.ok(Date.now() - started > 1000, 'the answer took longer than the request timeout')
  const events = text.split('\n\n').filter(l => l.startsWith('data: ')).map(l => JSON.parse(l.slice(6)))
  assert.equal(events.at(-1).event, 'message_end')
  assert.equal(events.at(-1).answer.trim().split(' ').length, 12)
  // the room socket, open all along, still answers
  socket.send({ type: 'ping' })
  await socket.waitType('pong')
  assert.equal(socket.closeCode, null)
})
