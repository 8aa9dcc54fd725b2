import { test } from 'node:test'
import assert from 'node:assert/strict'
import { join } from 'node:path'
import BetterSqlite3 from 'better-sqlite3'
import { startHost, type TestHost } from '../helpers/host.js'

const sleep = async (ms: number): Promise<void> => await new Promise(resolve => setTimeout(resolve, ms))
const history = async (host: TestHost, token: string): Promise<Array<{ seq: number, content: string }>> =>
  (await host.api('GET', '/api/messages?limit=500', { token })).body.messages.map((m: { seq: number, content: string }) => ({ seq: m.seq, content: m.content }))

test('a full disk: the sender gets ERR_STORAGE_FULL, others see nothing bogus, nothing accepted is lost, and the room recovers', async (t) => {
  const host = await startHost(t)
  const alice = await host.join('Alice')
  const bob = await host.join('Bob')
  const a = await host.connect(alice.token)
  const b = await host.connect(bob.token)
  for (let i = 0; i < 5; i++) a.chat(`before ${i}`, `b${i}`)
  await b.waitType('user_message', 5)
  const before = await history(host, bob.token)

  // The disk is "full": the live connection may not grow the file past its current size.
  const pages = host.db.pragma('page_count', { simple: true }) as number
  host.db.pragma('wal_checkpoint(TRUNCATE)')
  host.db.pragma(`max_page_count = ${pages}`)
  const big = 'x'.repeat(3990)
  let accepted = 0
  let refusedAt = -1
  for (let i = 0; i < 200 && refusedAt < 0; i++) {
    a.chat(`${big} ${i}`, `f${i}`)
    const f = (await a.waitFor(x => (x.type === 'user_message' && x.client_msg_id === `f${i}`) || x.type === 'error'))
    if (f.some(x => x.type === 'error')) refusedAt = i
    else accepted++
  }
  assert.ok(refusedAt >= 0, 'the database filled up')
  const [err] = a.ofType('error')
  assert.equal(err!.code, 'ERR_STORAGE_FULL')
  assert.match(err!.message, /not saved/)
  // HTTP writes get a clear 507 too (a few small rows may still fit in the last page)
  let joined = { status: 0, body: null as any }
  for (let i = 0; i < 100 && joined.status !== 507; i++) {
    joined = await host.api('POST', '/api/users/join', { body: { username: `Carol ${i}` } })
    assert.ok(joined.status === 200 || joined.status === 507, String(joined.status))
  }
  assert.equal(joined.status, 507)
  assert.equal(joined.body.error.code, 'ERR_STORAGE_FULL')
  // reads keep working; others saw exactly the accepted messages
  await sleep(100)
  assert.equal(b.ofType('user_message').length, 5 + accepted)
  assert.equal(b.ofType('error').length, 0)
  assert.ok(host.logs.some(l => l.includes('"level":50') && l.includes('disk is full')), 'an error log line names the cause')
  assert.equal((await host.api('GET', '/healthz')).status, 200)

  // space again: the refused message can be sent again and counts as new
  host.db.pragma('max_page_count = 1073741823')
  a.chat(`${big} ${refusedAt}`, `f${refusedAt}`)
  await b.waitType('user_message', 6 + accepted)
  const after = await history(host, bob.token)
  assert.deepEqual(after.slice(0, before.length), before, 'everything accepted before is unchanged')
  assert.equal(after.length, 6 + accepted)
  const seqs = after.map(m => m.seq)
  assert.deepEqual(seqs, [...seqs].sort((x, y) => x - y))
  assert.equal(new Set(seqs).size, seqs.length)
  assert.equal((await host.api('POST', '/api/users/join', { body: { username: 'Dave' } })).status, 200)
})

test('a locked database: ERR_STORAGE_BUSY to the affected client, then everything works again', async (t) => {
  const host = await startHost(t)
  const alice = await host.join('Alice')
  const bob = await host.join('Bob')
  const a = await host.connect(alice.token)
  const b = await host.connect(bob.token)
  a.chat('before the lock', 'l0')
  await b.waitType('user_message', 1)
  host.db.pragma('busy_timeout = 50')
  const other = new BetterSqlite3(join(host.dataDir, 'mindweb.db'))
  t.after(() => { if (other.open) other.close() })
  other.exec('BEGIN IMMEDIATE')
  a.chat('while locked', 'l1')
  const [err] = await a.waitType('error')
  assert.equal(err!.code, 'ERR_STORAGE_BUSY')
  const joined = await host.api('POST', '/api/users/join', { body: { username: 'Carol' } })
  assert.equal(joined.status, 503)
  assert.equal(joined.body.error.code, 'ERR_STORAGE_BUSY')
  // reading is not blocked by a writer in WAL mode
  assert.deepEqual((await history(host, bob.token)).map(m => m.content), ['before the lock'])
  other.exec('COMMIT')
  other.close()
  host.db.pragma('busy_timeout = 5000')
  a.chat('while locked', 'l1')
  await b.waitType('user_message', 2)
  assert.deepEqual((await history(host, bob.token)).map(m => m.content), ['before the lock', 'while locked'])
  assert.equal(b.ofType('error').length, 0)
})

test('a socket that stops reading is dropped; the others get everything and the room goes on', async (t) => {
  const host = await startHost(t, { config: { wsMaxBufferedBytes: 64 * 1024 } })
  const alice = await host.join('Alice')
  const bob = await host.join('Bob')
  const sloth = await host.join('Sloth')
  const a = await host.connect(alice.token)
  const b = await host.connect(bob.token)
  const s = await host.connect(sloth.token)
  await s.waitType('hello')
  ;(s.ws as unknown as { _socket: { pause: () => void } })._socket.pause()
  const big = '😀'.repeat(4000)
  let sent = 0
  const dropped = (): boolean => host.logs.some(l => l.includes('dropped a connection that stopped reading'))
  // Kernel buffers on loopback hold a few MB; keep chatting until the host gives up on the sloth.
  while (!dropped() && sent < 3000) {
    for (let i = 0; i < 20; i++) a.chat(big, `s${sent++}`)
    await b.waitType('user_message', sent, 20_000)
  }
  assert.ok(dropped(), `the slow socket was dropped after ${sent} messages`)
  assert.equal(b.ofType('user_message').length, sent, 'a reading client missed nothing')
  assert.ok(b.ofType('user_message').every(m => m.content === big))
  ;(s.ws as unknown as { _socket: { resume: () => void } })._socket.resume()
  await s.waitClose(10_000)
  // it can resume where it left off
  const back = await host.connect(sloth.token, s.lastSeq())
  const hello = (await back.waitType('hello'))[0]!
  assert.equal(hello.last_seq, sent)
  await back.waitFor(f => f.type === 'user_message' && f.seq === sent, 1, 20_000)
  a.chat('after', 'after')
  await back.waitFor(f => f.type === 'user_message' && f.content === 'after')
})

test('with the AI down or not configured the room keeps chatting', async (t) => {
  const host = await startHost(t)
  const alice = await host.join('Alice')
  const a = await host.connect(alice.token)
  a.chat('hello without AI', 'n1')
  a.chat('@ai are you there?', 'n2')
  const [err] = await a.waitType('error')
  assert.equal(err!.code, 'ERR_AI_NOT_CONFIGURED')
  a.chat('still chatting', 'n3')
  const msgs = await a.waitType('user_message', 3)
  assert.deepEqual(msgs.map(m => m.content), ['hello without AI', '@ai are you there?', 'still chatting'])
  const sse = await host.api('POST', '/api/chat/stream', { token: alice.token, body: { message: 'hi' } })
  assert.equal(sse.status, 503)
  assert.equal(sse.body.error.code, 'ERR_AI_NOT_CONFIGURED')
})
