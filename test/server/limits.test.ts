import { after, test } from 'node:test'
import assert from 'node:assert/strict'
import http from 'node:http'
import { startHost, type TestHost } from '../helpers/host.js'
import { closeAgents } from '../helpers/net.js'
import { instantAi } from '../helpers/instant-ai.js'
import { take, refund } from '../../server/limits/gcra.js'
import { ConfigError, loadConfig } from '../../server/config.js'
import type { JoinResponse } from '../../server/protocol/index.js'

after(closeAgents)

async function joinFrom (host: TestHost, username: string, localAddress: string, pin?: string): Promise<JoinResponse> {
  const res = await host.api('POST', '/api/users/join', { body: pin === undefined ? { username } : { username, pin }, localAddress })
  assert.equal(res.status, 200, JSON.stringify(res.body))
  return res.body as JoinResponse
}

/** A bare WebSocket upgrade request, to read a refusal's status, headers and body. */
async function rawUpgrade (url: string, localAddress: string): Promise<{ status: number, headers: http.IncomingHttpHeaders, body: string }> {
  return await new Promise((resolve, reject) => {
    const req = http.get(url, { localAddress, headers: { connection: 'Upgrade', upgrade: 'websocket', 'sec-websocket-version': '13', 'sec-websocket-key': 'dGhlIHNhbXBsZSBub25jZQ==' } })
    req.on('response', (res) => {
      let body = ''
      res.setEncoding('utf8')
      res.on('data', (d: string) => { body += d })
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }))
    })
    req.on('upgrade', (res, socket) => { socket.destroy(); resolve({ status: res.statusCode ?? 0, headers: res.headers, body: '' }) })
    req.on('error', reject)
  })
}

const sleep = async (ms: number): Promise<void> => await new Promise(resolve => setTimeout(resolve, ms))
const contents = async (host: TestHost, token: string): Promise<string[]> =>
  (await host.api('GET', '/api/messages?limit=500', { token })).body.messages.map((m: { content: string }) => m.content)

test('GCRA: a burst of `limit`, then one per interval; all buckets or none; refunds give back', () => {
  const rate = { limit: 3, windowMs: 3000 }
  let tats = new Map<string, number>()
  const at = (now: number, key = 'k') => {
    const r = take([{ key, rate }], tats, now)
    for (const [k, v] of r.writes) tats.set(k, v)
    return r.result
  }
  assert.deepEqual([at(0), at(0), at(0)].map(v => v.isAllowed), [true, true, true])
  const refused = at(0)
  assert.equal(refused.isAllowed, false)
  assert.equal(!refused.isAllowed && refused.retryAfterMs, 1000)
  assert.equal(at(999).isAllowed, false)
  assert.equal(at(1000).isAllowed, true)
  assert.equal(at(1000).isAllowed, false)
  // two buckets: one full refuses both, and the other is not charged
  tats = new Map([['full', 10_000]])
  const both = take([{ key: 'free', rate }, { key: 'full', rate }], tats, 7000)
  assert.equal(both.result.isAllowed, false)
  assert.equal(both.writes.size, 0)
  assert.equal(!both.result.isAllowed && both.result.key, 'full')
  // a refund moves the time back by one interval
  assert.deepEqual([...refund([{ key: 'full', rate }], tats)], [['full', 9000]])
  // limits that do not divide the window still allow exactly `limit` at once
  tats = new Map()
  const odd = { limit: 7, windowMs: 1000 }
  let allowed = 0
  for (let i = 0; i < 10; i++) {
    const r = take([{ key: 'o', rate: odd }], tats, 5)
    if (r.result.isAllowed) { allowed++; for (const [k, v] of r.writes) tats.set(k, v) }
  }
  assert.equal(allowed, 7)
})

test('config: fair-use defaults, COUNT/SECONDS flags, and --limits off', () => {
  const base = { env: {}, randomToken: () => 'x'.repeat(24) }
  const c = loadConfig({ ...base, argv: [] })
  assert.equal(c.limitsEnabled, true)
  assert.deepEqual(c.chatRate, { limit: 10, windowMs: 60_000 })
  assert.deepEqual(c.aiRate, { limit: 5, windowMs: 600_000 })
  assert.deepEqual(c.roomAiRate, { limit: 120, windowMs: 600_000 })
  assert.deepEqual(c.joinRate, { limit: 20, windowMs: 600_000 })
  assert.equal(c.maxConnectionsPerAddress, 20)
  assert.equal(c.maxConnections, 20_000)
  const d = loadConfig({ ...base, argv: ['--chat-rate', '4/30', '--ai-rate', '2/60', '--room-ai-rate', '9/90', '--join-rate', '5/120', '--max-connections-per-address', '3', '--max-connections', '50', '--limits', 'off'] })
  assert.deepEqual([d.chatRate, d.aiRate, d.roomAiRate, d.joinRate], [
    { limit: 4, windowMs: 30_000 }, { limit: 2, windowMs: 60_000 }, { limit: 9, windowMs: 90_000 }, { limit: 5, windowMs: 120_000 }])
  assert.equal(d.maxConnectionsPerAddress, 3)
  assert.equal(d.maxConnections, 50)
  assert.equal(d.limitsEnabled, false)
  for (const bad of ['10', '0/60', 'ten/60', '5/0']) assert.throws(() => loadConfig({ ...base, argv: ['--chat-rate', bad] }), ConfigError)
  assert.throws(() => loadConfig({ ...base, argv: ['--max-connections', '0'] }), ConfigError)
})

test('a chat over the limit gets ERR_RATE_LIMITED with retry_after_ms, is not posted, and its resend counts as new', async (t) => {
  const host = await startHost(t, { config: { chatRate: { limit: 3, windowMs: 900 } } })
  const alice = await host.join('Alice')
  const bob = await host.join('Bob')
  const a = await host.connect(alice.token)
  const b = await host.connect(bob.token)
  for (let i = 1; i <= 3; i++) a.chat(`m${i}`, `id-${i}`)
  await b.waitType('user_message', 3)
  a.chat('m4', 'id-4')
  const [err] = await a.waitType('error')
  assert.equal(err!.code, 'ERR_RATE_LIMITED')
  assert.ok(err!.retry_after_ms !== undefined && err!.retry_after_ms > 0 && err!.retry_after_ms <= 300, String(err!.retry_after_ms))
  await sleep(100)
  assert.equal(b.ofType('user_message').length, 3, 'nobody saw the refused message')
  assert.deepEqual(await contents(host, bob.token), ['m1', 'm2', 'm3'])
  await sleep(err!.retry_after_ms! + 20)
  a.chat('m4', 'id-4')
  const [, , , fourth] = await b.waitType('user_message', 4)
  assert.equal(fourth!.content, 'm4')
  // a resend of an accepted message is not charged: it comes back even while the bucket is empty
  a.chat('m1 again', 'id-1')
  const mine = await a.waitType('user_message', 5)
  assert.equal(mine[4]!.content, 'm1')
  assert.deepEqual(await contents(host, bob.token), ['m1', 'm2', 'm3', 'm4'])
})

test('chat limits apply per participant and, separately, per client address', async (t) => {
  const host = await startHost(t, { config: { chatRate: { limit: 2, windowMs: 60_000 } } })
  const alice = await joinFrom(host, 'Alice', '127.0.0.2')
  const bob = await joinFrom(host, 'Bob', '127.0.0.2')
  const carol = await joinFrom(host, 'Carol', '127.0.0.3')
  const a = await host.connect(alice.token, undefined, { localAddress: '127.0.0.2' })
  a.chat('a1', 'a1')
  a.chat('a2', 'a2')
  await a.waitType('user_message', 2)
  // Bob shares Alice's device: its address bucket is empty
  const b = await host.connect(bob.token, undefined, { localAddress: '127.0.0.2' })
  b.chat('b1', 'b1')
  const [bErr] = await b.waitType('error')
  assert.equal(bErr!.code, 'ERR_RATE_LIMITED')
  assert.match(bErr!.message, /device/)
  // Carol on another device is not affected
  const c = await host.connect(carol.token, undefined, { localAddress: '127.0.0.3' })
  c.chat('c1', 'c1')
  await c.waitType('user_message', 1)
  // Alice moving to another address keeps her own empty bucket
  const a2 = await host.connect(alice.token, undefined, { localAddress: '127.0.0.4' })
  a2.chat('a3', 'a3')
  const [aErr] = await a2.waitType('error')
  assert.equal(aErr!.code, 'ERR_RATE_LIMITED')
  assert.doesNotMatch(aErr!.message, /device/)
  assert.deepEqual(await contents(host, carol.token), ['a1', 'a2', 'c1'])
})

test('limits are kept in SQLite: a restart in the middle of a window does not reset them', async (t) => {
  const host = await startHost(t, { config: { chatRate: { limit: 3, windowMs: 60_000 }, joinRate: { limit: 2, windowMs: 60_000 } } })
  const alice = await joinFrom(host, 'Alice', '127.0.0.2')
  await joinFrom(host, 'Bob', '127.0.0.2')
  const a = await host.connect(alice.token)
  for (let i = 1; i <= 3; i++) a.chat(`m${i}`, `r${i}`)
  await a.waitType('user_message', 3)
  await host.restart()
  const again = await host.connect(alice.token)
  again.chat('m4', 'r4')
  const [err] = await again.waitType('error')
  assert.equal(err!.code, 'ERR_RATE_LIMITED')
  assert.ok(err!.retry_after_ms! > 10_000, 'the wait is what is left of the window')
  const refused = await host.api('POST', '/api/users/join', { body: { username: 'Carol' }, localAddress: '127.0.0.2' })
  assert.equal(refused.status, 429)
  assert.deepEqual(await contents(host, alice.token), ['m1', 'm2', 'm3'])
})

test('AI questions: per participant, per address and a room budget; refused questions are not posted', async (t) => {
  const ai = instantAi()
  const host = await startHost(t, { ai: () => ai, config: { aiRate: { limit: 2, windowMs: 60_000 }, roomAiRate: { limit: 3, windowMs: 60_000 } } })
  const alice = await joinFrom(host, 'Alice', '127.0.0.2')
  const bob = await joinFrom(host, 'Bob', '127.0.0.3')
  const carol = await joinFrom(host, 'Carol', '127.0.0.4')
  const a = await host.connect(alice.token, undefined, { localAddress: '127.0.0.2' })
  a.chat('@ai one', 'q1')
  await a.waitType('ai_message_end', 1)
  a.chat('@ai two', 'q2')
  await a.waitType('ai_message_end', 2)
  a.chat('@ai three', 'q3')
  const [err] = await a.waitType('error')
  assert.equal(err!.code, 'ERR_RATE_LIMITED')
  assert.match(err!.message, /ask the AI at most 2/)
  a.chat('no question, just chat', 'c1')
  await a.waitType('user_message', 3)
  const b = await host.connect(bob.token, undefined, { localAddress: '127.0.0.3' })
  b.chat('@ai from bob', 'bq1')
  await b.waitType('ai_message_end', 1)
  // three questions in the room: the budget is spent for everyone
  const c = await host.connect(carol.token, undefined, { localAddress: '127.0.0.4' })
  c.chat('@ai from carol', 'cq1')
  const [roomErr] = await c.waitType('error')
  assert.equal(roomErr!.code, 'ERR_RATE_LIMITED')
  assert.match(roomErr!.message, /room has used its AI budget/)
  // the seed-compatible endpoint gets a 429 with Retry-After
  const http = await host.api('POST', '/api/chat/stream', { token: carol.token, body: { message: 'hello?' }, localAddress: '127.0.0.4' })
  assert.equal(http.status, 429)
  assert.equal(http.body.error.code, 'ERR_RATE_LIMITED')
  assert.ok(Number(http.headers.get('retry-after')) >= 1)
  assert.equal(ai.asked, 3)
  assert.deepEqual(await contents(host, carol.token), ['@ai one', 'ok', '@ai two', 'ok', 'no question, just chat', '@ai from bob', 'ok'])
})

test('joins are limited per address (429 with Retry-After), and wrong PINs count', async (t) => {
  const host = await startHost(t, { config: { joinRate: { limit: 3, windowMs: 60_000 }, pin: '4321' } })
  const from = async (localAddress: string, body: object) => await host.api('POST', '/api/users/join', { body, localAddress })
  const missing = await from('127.0.0.2', { username: 'Eve' })
  assert.equal(missing.status, 401)
  assert.equal(missing.body.error.code, 'ERR_PIN_REQUIRED')
  const wrong = await from('127.0.0.2', { username: 'Eve', pin: '1234' })
  assert.equal(wrong.status, 403)
  assert.equal(wrong.body.error.code, 'ERR_PIN_WRONG')
  const right = await from('127.0.0.2', { username: 'Eve', pin: '4321' })
  assert.equal(right.status, 200)
  // three attempts used: even the right PIN is refused now
  const limited = await from('127.0.0.2', { username: 'Eve', pin: '4321' })
  assert.equal(limited.status, 429)
  assert.equal(limited.body.error.code, 'ERR_RATE_LIMITED')
  assert.ok(Number(limited.headers.get('retry-after')) >= 1)
  assert.match(limited.headers.get('content-type') ?? '', /application\/json/)
  const other = await from('127.0.0.3', { username: 'Frank', pin: '4321' })
  assert.equal(other.status, 200)
})

test('a guesser cannot try more PINs than the join limit allows', async (t) => {
  const host = await startHost(t, { config: { joinRate: { limit: 5, windowMs: 60_000 }, pin: '000042' } })
  const codes: number[] = []
  for (let guess = 0; guess < 20; guess++) {
    const res = await host.api('POST', '/api/users/join', { body: { username: 'Mallory', pin: String(guess).padStart(6, '0') }, localAddress: '127.0.0.9' })
    codes.push(res.status)
  }
  assert.deepEqual(codes.slice(0, 5), [403, 403, 403, 403, 403])
  assert.ok(codes.slice(5).every(s => s === 429), JSON.stringify(codes))
})

test('participant API requests are limited per address; /healthz and the admin API are not', async (t) => {
  const host = await startHost(t, { config: { httpRate: { limit: 5, windowMs: 60_000 } } })
  const statuses: number[] = []
  for (let i = 0; i < 7; i++) statuses.push((await host.api('GET', '/api/room', { localAddress: '127.0.0.2' })).status)
  assert.deepEqual(statuses, [200, 200, 200, 200, 200, 429, 429])
  const limited = await host.api('GET', '/api/room', { localAddress: '127.0.0.2' })
  assert.equal(limited.body.error.code, 'ERR_RATE_LIMITED')
  assert.ok(Number(limited.headers.get('retry-after')) >= 1)
  assert.equal((await host.api('GET', '/api/room', { localAddress: '127.0.0.3' })).status, 200)
  for (let i = 0; i < 7; i++) assert.equal((await host.api('GET', '/healthz', { localAddress: '127.0.0.2' })).status, 200)
  for (let i = 0; i < 7; i++) {
    const admin = await host.api('GET', '/api/admin/status', { token: host.config.adminToken, localAddress: '127.0.0.2' })
    assert.equal(admin.status, 200)
  }
})

test('X-Forwarded-For is ignored unless --trust-proxy', async (t) => {
  const plain = await startHost(t, { config: { joinRate: { limit: 2, windowMs: 60_000 } } })
  const spoofed = async (host: TestHost, n: number) => await host.api('POST', '/api/users/join', { body: { username: `U${n}` }, headers: { 'x-forwarded-for': `10.0.0.${n}` }, localAddress: '127.0.0.2' })
  assert.deepEqual([(await spoofed(plain, 1)).status, (await spoofed(plain, 2)).status, (await spoofed(plain, 3)).status], [200, 200, 429])
  const proxied = await startHost(t, { config: { joinRate: { limit: 2, windowMs: 60_000 }, trustProxy: true } })
  assert.deepEqual([(await spoofed(proxied, 1)).status, (await spoofed(proxied, 2)).status, (await spoofed(proxied, 3)).status], [200, 200, 200])
})

test('connection caps: 429 per address and 503 in total at upgrade time; closing frees the slot', async (t) => {
  const host = await startHost(t, { config: { maxConnectionsPerAddress: 2, maxConnections: 3 } })
  const alice = await host.join('Alice')
  const a1 = await host.connect(alice.token, undefined, { localAddress: '127.0.0.2' })
  await host.connect(alice.token, undefined, { localAddress: '127.0.0.2' })
  await assert.rejects(host.connect(alice.token, undefined, { localAddress: '127.0.0.2' }), (err: { statusCode?: number }) => err.statusCode === 429)
  await host.connect(alice.token, undefined, { localAddress: '127.0.0.3' })
  await assert.rejects(host.connect(alice.token, undefined, { localAddress: '127.0.0.4' }), (err: { statusCode?: number }) => err.statusCode === 503)
  // the refusal is a JSON error with Retry-After
  const res = await rawUpgrade(`${host.url}/api/broadcast/ws?token=${alice.token}`, '127.0.0.5')
  assert.equal(res.status, 503)
  assert.ok(Number(res.headers['retry-after']) >= 1)
  assert.equal(JSON.parse(res.body).error.code, 'ERR_ROOM_FULL')
  // a newcomer is told at the join screen, not by a socket that will not open
  const newcomer = await host.api('POST', '/api/users/join', { body: { username: 'Late' } })
  assert.equal(newcomer.status, 503)
  assert.equal(newcomer.body.error.code, 'ERR_ROOM_FULL')
  assert.ok(Number(newcomer.headers.get('retry-after')) >= 1)
  await a1.close()
  await sleep(50)
  const again = await host.connect(alice.token, undefined, { localAddress: '127.0.0.4' })
  await again.waitType('hello')
})

test('a frame flood is dropped unread with one notice; the connection keeps working', async (t) => {
  const host = await startHost(t, { config: { wsFrameRate: { limit: 5, windowMs: 1000 } } })
  const alice = await host.join('Alice')
  const a = await host.connect(alice.token)
  await a.waitType('hello')
  for (let i = 0; i < 50; i++) a.send({ type: 'ping' })
  await a.waitType('error')
  await sleep(150)
  assert.equal(a.ofType('pong').length, 5)
  assert.equal(a.ofType('error').length, 1)
  assert.equal(a.ofType('error')[0]!.code, 'ERR_RATE_LIMITED')
  await sleep(400)
  a.chat('still here', 'x')
  await a.waitType('user_message')
})

test('--limits off turns every limit, connection cap and AI budget off', async (t) => {
  const tiny = { limit: 1, windowMs: 60_000 }
  const host = await startHost(t, {
    ai: () => instantAi(),
    config: { limitsEnabled: false, chatRate: tiny, aiRate: tiny, roomAiRate: tiny, joinRate: tiny, httpRate: tiny, wsFrameRate: tiny, maxConnectionsPerAddress: 1, maxConnections: 1 }
  })
  const users = []
  for (let i = 0; i < 4; i++) users.push(await joinFrom(host, `U${i}`, '127.0.0.2'))
  const sockets = []
  for (let i = 0; i < 4; i++) sockets.push(await host.connect(users[0]!.token, undefined, { localAddress: '127.0.0.2' }))
  const s = sockets[0]!
  for (let i = 0; i < 5; i++) s.chat(`@ai question ${i}`, `q${i}`)
  await s.waitType('ai_message_end', 5)
  assert.equal(s.ofType('error').length, 0)
  for (let i = 0; i < 5; i++) assert.equal((await host.api('GET', '/api/room', { localAddress: '127.0.0.2' })).status, 200)
  const count = host.db.prepare('SELECT COUNT(*) FROM rate_limits').pluck().get()
  assert.equal(count, 0, 'nothing is even counted')
})

test('buckets that are full again are purged, so the table holds only active clients', async (t) => {
  const host = await startHost(t, { config: { chatRate: { limit: 2, windowMs: 300 }, limitsPurgeMs: 50 } })
  const chatKeys = (): number => host.db.prepare("SELECT COUNT(*) FROM rate_limits WHERE key LIKE 'chat:%'").pluck().get() as number
  const users = await Promise.all(Array.from({ length: 20 }, async (_, i) => await joinFrom(host, `P${i}`, `127.0.1.${i + 1}`)))
  for (const [i, u] of users.entries()) {
    const c = await host.connect(u.token, undefined, { localAddress: `127.0.1.${i + 1}` })
    c.chat('hi', 'h')
    await c.waitType('user_message')
  }
  assert.ok(chatKeys() > 0)
  await sleep(500)
  assert.equal(chatKeys(), 0)
})
