import { test } from 'node:test'
import assert from 'node:assert/strict'
import fc from 'fast-check'
import { startHost } from '../helpers/host.js'
import type { UserMessageFrame } from '../../server/protocol/index.js'

const SEED = 20_260_101
// eslint-disable-next-line no-control-regex -- checking that none are left
const FORBIDDEN = /[\u0000-\u0008\u000B-\u001F\u007F-\u009F\u202A-\u202E\u2066-\u2069]/

/** Text that is likely to find edge cases: any Unicode, lone surrogates, controls, markup. */
const nastyText = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 80 }),
  fc.string({ unit: 'grapheme', maxLength: 40 }),
  fc.string({ maxLength: 40 }),
  fc.constantFrom('', ' ', '\u0000', '\uD800', '\uDFFF', '@ai', '<script>', '\r\n', '\u202E', '😀'.repeat(4001), 'x'.repeat(4000), '{"type":"chat"}', '__proto__', 'constructor')
)
const anyJson = fc.oneof(fc.jsonValue({ maxDepth: 3 }), fc.anything({ maxDepth: 2 }).map(v => { try { return JSON.parse(JSON.stringify(v) ?? 'null') as unknown } catch { return null } }))

test('thousands of malformed requests and frames leave the host healthy and history intact', async (t) => {
  const host = await startHost(t)
  const alice = await host.join('Alice')
  const bob = await host.join('Bob')
  const observer = await host.connect(bob.token)
  const a = await host.connect(alice.token)
  for (let i = 0; i < 20; i++) a.chat(`accepted before ${i}`, `before-${i}`)
  await observer.waitType('user_message', 20)
  const before = (await host.api('GET', '/api/messages', { token: bob.token })).body.messages
  const started = Date.now()

  // ---- 2,000 HTTP requests
  const endpoint = fc.constantFrom(
    ['POST', '/api/users/join'], ['POST', '/api/chat/stream'], ['GET', '/api/messages'], ['GET', '/api/users'],
    ['PUT', '/api/admin/ai-mode'], ['POST', '/api/replies/1/stop'], ['POST', '/api/admin/conversation/reset'], ['GET', '/api/room']
  )
  const body = fc.oneof(
    anyJson.map(v => JSON.stringify(v)),
    fc.record({ username: fc.oneof(nastyText, anyJson), emoji: fc.option(fc.oneof(nastyText, anyJson)), pin: fc.option(nastyText) }, { requiredKeys: [] }).map(v => JSON.stringify(v)),
    fc.record({ message: fc.oneof(nastyText, anyJson), conversation_id: fc.option(nastyText) }, { requiredKeys: [] }).map(v => JSON.stringify(v)),
    fc.string({ unit: 'binary', maxLength: 200 }),
    fc.uint8Array({ maxLength: 200 }).map(b => Buffer.from(b).toString('latin1'))
  )
  const query = fc.record({ since: fc.option(fc.oneof(fc.integer(), nastyText)), limit: fc.option(fc.oneof(fc.integer(), nastyText)) }, { requiredKeys: [] })
  const contentType = fc.constantFrom('application/json', 'text/plain', 'application/x-www-form-urlencoded', 'application/json; charset=latin1', undefined)
  const auth = fc.constantFrom('alice', 'none', 'forged', 'admin')
  let requests = 0
  await fc.assert(fc.asyncProperty(endpoint, body, query, contentType, auth, async ([method, path], payload, q, type, who) => {
    requests++
    const params = new URLSearchParams()
    for (const [k, v] of Object.entries(q)) if (v !== null && v !== undefined) params.set(k, String(v))
    const headers: Record<string, string> = {}
    if (type !== undefined) headers['content-type'] = type
    const token = who === 'alice' ? alice.token : who === 'forged' ? 'forged-token-forged-token-forged' : who === 'admin' ? host.config.adminToken : undefined
    const res = await host.api(method!, `${path!}${params.size > 0 ? `?${params.toString()}` : ''}`, {
      headers, ...(method === 'GET' ? {} : { body: payload }), ...(token !== undefined ? { token } : {})
    })
    const isAiRefusal = res.status === 503 && res.body?.error?.code === 'ERR_AI_NOT_CONFIGURED'
    assert.ok(res.status < 500 || isAiRefusal, `${method} ${path} → ${res.status} ${JSON.stringify(res.body)}`)
    assert.match(res.headers.get('content-type') ?? '', /^application\/json/)
    if (res.status >= 400) {
      assert.equal(typeof res.body.error.code, 'string')
      assert.match(res.body.error.code, /^ERR_/)
      assert.equal(typeof res.body.error.message, 'string')
    }
  }), { numRuns: 2000, seed: SEED })
  assert.equal(requests, 2000)
  const httpMs = Date.now() - started

  // ---- 3,000 WebSocket frames
  const chatFrame = fc.record({ type: fc.constant('chat'), content: fc.oneof(nastyText, anyJson), client_msg_id: fc.option(fc.oneof(fc.string({ maxLength: 70 }), anyJson), { nil: undefined }) }, { requiredKeys: ['type'] })
  const frame = fc.oneof(
    { weight: 4, arbitrary: chatFrame.map(f => JSON.stringify(f)) },
    { weight: 1, arbitrary: fc.record({ type: fc.constantFrom('stop', 'ping', 'hello', 'chat ', 'CHAT', '__proto__'), id: anyJson }, { requiredKeys: [] }).map(f => JSON.stringify(f)) },
    { weight: 1, arbitrary: anyJson.map(v => JSON.stringify(v)) },
    { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 100 }) },
    { weight: 1, arbitrary: fc.uint8Array({ maxLength: 100 }).map(b => Buffer.from(b)) }
  )
  const frames = fc.sample(frame, { numRuns: 3000, seed: SEED })
  const fuzzer = await host.connect(alice.token)
  await fuzzer.waitType('hello')
  for (const f of frames) fuzzer.ws.send(f, { binary: Buffer.isBuffer(f) })
  fuzzer.chat('sentinel', 'sentinel')
  const mine = await fuzzer.waitFor(f => f.type === 'user_message' && f.client_msg_id === 'sentinel', 1, 30_000)
  assert.equal(fuzzer.closeCode, null, 'the connection survived')
  const accepted = fuzzer.ofType('user_message').filter(m => m.seq > 20)
  for (const m of accepted) {
    assert.doesNotMatch(m.content, FORBIDDEN)
    const length = [...m.content].length
    assert.ok(length >= 1 && length <= 4000, String(length))
    assert.equal(m.content, m.content.normalize('NFC'))
  }
  assert.ok(mine.length === 1)
  const wsMs = Date.now() - started - httpMs

  // ---- healthy, and nothing lost or changed
  assert.deepEqual((await host.api('GET', '/healthz')).body, { ok: true })
  const fresh = await host.connect(bob.token)
  a.chat('after the storm', 'after')
  await fresh.waitFor(f => f.type === 'user_message' && f.content === 'after the storm', 1, 10_000)
  const last = (fresh.ofType('user_message').at(-1)!).seq
  await observer.waitFor(f => f.type === 'user_message' && f.seq === last, 1, 10_000)
  const seen = observer.ofType('user_message')
  const history: Array<{ id: number, seq: number, content: string, role: string }> = []
  for (let since = 0; ;) {
    const page = (await host.api('GET', `/api/messages?since=${since}&limit=500`, { token: bob.token })).body.messages as typeof history
    history.push(...page)
    if (page.length < 500) break
    since = page.at(-1)!.seq
  }
  assert.deepEqual(history.slice(0, 20), before, 'messages accepted before are unchanged')
  const userMessages = history.filter(m => m.role === 'user')
  assert.deepEqual(userMessages.map(m => [m.seq, m.content]), seen.map((m: UserMessageFrame) => [m.seq, m.content]), 'history = what the room saw')
  for (const m of accepted) assert.ok(userMessages.some(h => h.seq === m.seq && h.content === m.content))
  const seqs = history.map(m => m.seq)
  assert.deepEqual(seqs, [...seqs].sort((x, y) => x - y))
  t.diagnostic(`HTTP: 2000 requests in ${httpMs} ms; WS: 3000 frames in ${wsMs} ms, ${accepted.length - 1} accepted as chat`)
})
