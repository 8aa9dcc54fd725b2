import { test } from 'node:test'
import assert from 'node:assert/strict'
import WebSocket from 'ws'
import { startHost } from '../helpers/host.js'
import type { TestClient } from '../helpers/ws-client.js'

test('hello comes first, then chat is broadcast to every client once', async (t) => {
  const host = await startHost(t)
  const alice = await host.join('Alice', '🦊')
  const bob = await host.join('Bob', '🐼')
  const a = await host.connect(alice.token)
  const hello = (await a.waitType('hello'))[0]!
  assert.equal(a.frames[0]!.type, 'hello')
  assert.equal(hello.protocol, 1)
  assert.equal(hello.user_id, alice.user_id)
  assert.equal(hello.ai_mode, 'mention')
  assert.equal(hello.last_seq, 0)
  const listeners: TestClient[] = []
  for (let i = 0; i < 40; i++) listeners.push(await host.connect(bob.token))
  for (const c of listeners) await c.waitType('hello')
  a.chat('Hello room!', 'm-1')
  const mine = (await a.waitType('user_message'))[0]!
  assert.equal(mine.client_msg_id, 'm-1')
  assert.equal(mine.content, 'Hello room!')
  assert.equal(mine.from_user, 'Alice')
  assert.equal(mine.from_user_id, alice.user_id)
  assert.equal(mine.emoji, '🦊')
  assert.equal(mine.seq, 1)
  for (const c of listeners) {
    const [m] = await c.waitType('user_message')
    assert.equal(m!.seq, 1)
    assert.equal(m!.content, 'Hello room!')
    assert.equal(m!.client_msg_id, undefined)
  }
  await new Promise(resolve => setTimeout(resolve, 100))
  assert.equal(a.ofType('user_message').length, 1, 'the sender sees its message exactly once')
  for (const c of listeners) assert.equal(c.ofType('user_message').length, 1)
})

test('every socket of the sender gets client_msg_id; a resend is not posted again', async (t) => {
  const host = await startHost(t)
  const alice = await host.join('Alice')
  const bob = await host.join('Bob')
  const a1 = await host.connect(alice.token)
  const a2 = await host.connect(alice.token)
  const b = await host.connect(bob.token)
  a1.chat('first', 'same-id')
  await a2.waitType('user_message')
  assert.equal(a2.ofType('user_message')[0]!.client_msg_id, 'same-id')
  await b.waitType('user_message')
  a1.chat('different content, same id', 'same-id')
  const again = await a1.waitType('user_message', 2)
  assert.equal(again[1]!.content, 'first')
  assert.equal(again[1]!.seq, again[0]!.seq)
  a1.chat('after', 'other-id')
  await b.waitType('user_message', 2)
  assert.deepEqual(b.ofType('user_message').map(m => m.content), ['first', 'after'])
  const history = await host.api('GET', '/api/messages', { token: bob.token })
  assert.deepEqual(history.body.messages.map((m: { content: string }) => m.content), ['first', 'after'])
  // the same id from another participant is a different message
  b.chat('bob uses it too', 'same-id')
  await a1.waitType('user_message', 4)
  assert.equal(a1.ofType('user_message')[3]!.content, 'bob uses it too')
})

test('a burst from several senders reaches everyone in the same order', async (t) => {
  const host = await startHost(t)
  const senders = await Promise.all(['S1', 'S2', 'S3', 'S4', 'S5'].map(n => host.join(n)))
  const senderSockets = await Promise.all(senders.map(s => host.connect(s.token)))
  const watchers: TestClient[] = []
  for (let i = 0; i < 8; i++) watchers.push(await host.connect(senders[i % 5]!.token))
  const perSender = 30
  for (let i = 0; i < perSender; i++) {
    senderSockets.forEach((s, n) => s.chat(`s${n}-${i}`, `c${n}-${i}`))
  }
  const total = perSender * senders.length
  const orders: string[][] = []
  for (const w of [...watchers, ...senderSockets]) {
    const frames = await w.waitType('user_message', total, 10_000)
    const seqs = frames.map(f => f.seq)
    assert.deepEqual(seqs, [...seqs].sort((x, y) => x - y), 'seq strictly increasing')
    assert.equal(new Set(seqs).size, total)
    assert.equal(seqs[0], 1)
    assert.equal(seqs[total - 1], total)
    orders.push(frames.map(f => f.content))
  }
  for (const o of orders) assert.deepEqual(o, orders[0])
  // each sender's own messages stay in the order it sent them
  for (let n = 0; n < 5; n++) {
    const own = orders[0]!.filter(c => c.startsWith(`s${n}-`))
    assert.deepEqual(own, Array.from({ length: perSender }, (_, i) => `s${n}-${i}`))
  }
})

test('resume with since= replays exactly the missed frames, once', async (t) => {
  const host = await startHost(t)
  const alice = await host.join('Alice')
  const bob = await host.join('Bob')
  const a = await host.connect(alice.token)
  let b = await host.connect(bob.token)
  for (let i = 1; i <= 3; i++) a.chat(`before ${i}`, `b${i}`)
  await b.waitType('user_message', 3)
  const seen = b.lastSeq()
  await b.close()
  for (let i = 1; i <= 4; i++) a.chat(`missed ${i}`, `m${i}`)
  await a.waitType('user_message', 7)
  b = await host.connect(bob.token, seen)
  const hello = (await b.waitType('hello'))[0]!
  assert.equal(hello.last_seq, 7)
  const replayed = await b.waitType('user_message', 4)
  assert.deepEqual(replayed.map(f => f.content), ['missed 1', 'missed 2', 'missed 3', 'missed 4'])
  assert.deepEqual(replayed.map(f => f.seq), [4, 5, 6, 7])
  a.chat('live', 'l1')
  await b.waitType('user_message', 5)
  await new Promise(resolve => setTimeout(resolve, 100))
  assert.deepEqual(b.ofType('user_message').map(f => f.seq), [4, 5, 6, 7, 8])
  // since=0 means from the beginning; the sender's own messages come back with their client_msg_id
  const full = await host.connect(alice.token, 0)
  const all = await full.waitType('user_message', 8)
  assert.deepEqual(all.map(f => f.seq), [1, 2, 3, 4, 5, 6, 7, 8])
  assert.equal(all[0]!.client_msg_id, 'b1')
})

test('missing, forged and foreign-origin upgrades are refused', async (t) => {
  const host = await startHost(t)
  const alice = await host.join('Alice')
  for (const url of [host.wsUrl, `${host.wsUrl}?token=forged-token-that-is-long-enough`]) {
    const ws = new WebSocket(url)
    const status = await new Promise<number>((resolve) => {
      ws.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0))
      ws.on('error', () => resolve(-1))
    })
    assert.equal(status, 401)
  }
  await assert.rejects(host.connect(alice.token, undefined, { origin: 'http://evil.example' }), /403/)
  const same = await host.connect(alice.token, undefined, { origin: host.url })
  await same.waitType('hello')
})

test('bad frames get error frames and never break the room', async (t) => {
  const host = await startHost(t)
  const alice = await host.join('Alice')
  const bob = await host.join('Bob')
  const a = await host.connect(alice.token)
  const b = await host.connect(bob.token)
  a.chat('accepted before', 'ok-1')
  await b.waitType('user_message')
  const bad: Array<[unknown, string]> = [
    ['not json', 'ERR_BAD_JSON'],
    ['[1,2]', 'ERR_VALIDATION'],
    ['null', 'ERR_VALIDATION'],
    [{ type: 'dance' }, 'ERR_UNKNOWN_TYPE'],
    [{ content: 'no type' }, 'ERR_UNKNOWN_TYPE'],
    [{ type: 'chat' }, 'ERR_VALIDATION'],
    [{ type: 'chat', content: 42 }, 'ERR_VALIDATION'],
    [{ type: 'chat', content: 'x', client_msg_id: 7 }, 'ERR_VALIDATION'],
    [{ type: 'chat', content: 'x', client_msg_id: 'y'.repeat(65) }, 'ERR_VALIDATION'],
    [{ type: 'chat', content: '   \n\t ' }, 'ERR_MESSAGE_EMPTY'],
    [{ type: 'chat', content: '\u0000\u0001' }, 'ERR_MESSAGE_EMPTY'],
    [{ type: 'chat', content: 'z'.repeat(4001) }, 'ERR_MESSAGE_TOO_LONG'],
    [{ type: 'chat', content: '😀'.repeat(4001) }, 'ERR_MESSAGE_TOO_LONG']
  ]
  for (const [frame] of bad) a.send(frame)
  a.ws.send(Buffer.from([1, 2, 3]), { binary: true })
  const errors = await a.waitType('error', bad.length + 1)
  assert.deepEqual(errors.slice(0, bad.length).map(e => e.code), bad.map(([, code]) => code))
  for (const e of errors) assert.ok(e.message.length > 0)
  // exactly 4,000 code points (emoji count as one each) are fine
  a.chat('😀'.repeat(4000), 'big-ok')
  const posted = await b.waitType('user_message', 2)
  assert.equal([...posted[1]!.content].length, 4000)
  // control characters are stripped, newlines and tabs kept
  a.chat('line1\r\nline2\tend\u0007', 'ctl')
  const cleaned = await b.waitType('user_message', 3)
  assert.equal(cleaned[2]!.content, 'line1\nline2\tend')
  // an oversized frame closes only that socket with 1009; others keep chatting
  a.send('x'.repeat(70 * 1024))
  assert.equal(await a.waitClose(), 1009)
  const a2 = await host.connect(alice.token)
  a2.chat('still here', 'ok-2')
  await b.waitType('user_message', 4)
  const history = await host.api('GET', '/api/messages', { token: bob.token })
  assert.deepEqual(history.body.messages.map((m: { content: string }) => [...m.content].slice(0, 12).join('')), ['accepted bef', '😀😀😀😀😀😀😀😀😀😀😀😀', 'line1\nline2\t', 'still here'])
})

test('presence reports joins and leaves; pings get pongs', async (t) => {
  const host = await startHost(t)
  const alice = await host.join('Alice', '🦊')
  const bob = await host.join('Bob', '🐼')
  const a = await host.connect(alice.token)
  await a.waitType('hello')
  const b = await host.connect(bob.token)
  const joined = await a.waitFor(f => f.type === 'presence' && f.joined.some(u => u.user_id === bob.user_id))
  const p = joined[joined.length - 1]
  assert.ok(p?.type === 'presence')
  assert.equal(p.online_count, 2)
  assert.deepEqual(p.joined.find(u => u.user_id === bob.user_id), { user_id: bob.user_id, username: 'Bob', emoji: '🐼' })
  // a second socket of Bob is not a new join; closing one of two is not a leave
  const b2 = await host.connect(bob.token)
  await b2.waitType('hello')
  await b2.close()
  await b.close()
  const left = await a.waitFor(f => f.type === 'presence' && f.left.includes(bob.user_id))
  const l = left[left.length - 1]
  assert.ok(l?.type === 'presence')
  assert.equal(l.online_count, 1)
  assert.equal(a.frames.filter(f => f.type === 'presence' && f.left.includes(bob.user_id)).length, 1)
  assert.equal(a.frames.filter(f => f.type === 'presence' && f.joined.some(u => u.user_id === bob.user_id)).length, 1)
  a.send({ type: 'ping' })
  await a.waitType('pong')
})

test('dead connections are noticed by heartbeats and dropped', async (t) => {
  const host = await startHost(t, { config: { heartbeatMs: 100 } })
  const alice = await host.join('Alice')
  const bob = await host.join('Bob')
  const watcher = await host.connect(alice.token)
  await watcher.waitType('hello')
  const silent = new WebSocket(`${host.wsUrl}?token=${bob.token}`, { autoPong: false })
  t.after(() => silent.terminate())
  await new Promise(resolve => silent.once('open', resolve))
  await watcher.waitFor(f => f.type === 'presence' && f.joined.some(u => u.user_id === bob.user_id))
  await watcher.waitFor(f => f.type === 'presence' && f.left.includes(bob.user_id), 1, 3000)
  const res = await host.api('GET', '/api/users', { token: alice.token })
  assert.equal(res.body.users.find((u: { user_id: number }) => u.user_id === bob.user_id).online, false)
})

test('history returns the newest messages or those after since', async (t) => {
  const host = await startHost(t)
  const alice = await host.join('Alice')
  const a = await host.connect(alice.token)
  for (let i = 1; i <= 12; i++) a.chat(`m${i}`, `id${i}`)
  await a.waitType('user_message', 12)
  const latest = await host.api('GET', '/api/messages?limit=3', { token: alice.token })
  assert.deepEqual(latest.body.messages.map((m: { content: string }) => m.content), ['m10', 'm11', 'm12'])
  const since = await host.api('GET', '/api/messages?since=9&limit=2', { token: alice.token })
  assert.deepEqual(since.body.messages.map((m: { seq: number }) => m.seq), [10, 11])
  const m = since.body.messages[0]
  assert.equal(m.role, 'user')
  assert.equal(m.status, 'complete')
  assert.equal(m.from_user, 'Alice')
  assert.equal(m.from_user_id, alice.user_id)
  assert.equal(typeof m.timestamp, 'number')
  const bad = await host.api('GET', '/api/messages?since=-1', { token: alice.token })
  assert.equal(bad.status, 400)
  assert.equal(bad.body.error.code, 'ERR_VALIDATION')
  const capped = await host.api('GET', '/api/messages?limit=100000', { token: alice.token })
  assert.equal(capped.status, 200)
})

test('in a large room presence carries counts, not every join to everyone', async (t) => {
  const host = await startHost(t, { config: { presenceListMax: 2 } })
  const people = await Promise.all(['A', 'B', 'C', 'D'].map(n => host.join(n)))
  const a = await host.connect(people[0]!.token)
  await a.waitType('hello')
  const b = await host.connect(people[1]!.token)
  await a.waitFor(f => f.type === 'presence' && f.joined.some(u => u.user_id === people[1]!.user_id))
  await host.connect(people[2]!.token)
  await host.connect(people[3]!.token)
  const [big] = await a.waitFor(f => f.type === 'presence' && f.online_count === 4)
  assert.ok(big?.type === 'presence')
  assert.deepEqual(big.joined, [])
  assert.ok((big.changes_omitted ?? 0) >= 1)
  await b.close()
  const [after] = await a.waitFor(f => f.type === 'presence' && f.online_count === 3)
  assert.ok(after?.type === 'presence' && after.changes_omitted === 1 && after.left.length === 0)
  // the list is still there for whoever asks
  const users = await host.api('GET', '/api/users', { token: people[0]!.token })
  assert.equal(users.body.users.filter((u: { online: boolean }) => u.online).length, 3)
})
