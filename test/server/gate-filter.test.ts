import { test, type TestContext } from 'node:test'
import assert from 'node:assert/strict'
import { startHost, type TestHost } from '../helpers/host.js'
import { startFakeDify, type FakeDify } from '../helpers/fake-dify.js'
import { createDifyGateway } from '../../server/adapters/dify-gateway.js'
import { createWordFilter, starterList } from '../../server/room/safety/word-filter.js'
import { TestClient } from '../helpers/ws-client.js'

const ADMIN = 'admin-token-for-tests-0123456789'
const auth = { authorization: `Bearer ${ADMIN}` }

async function filterHost (t: TestContext): Promise<{ host: TestHost, dify: FakeDify }> {
  const dify = await startFakeDify({ tokenDelayMs: 1, pingIntervalMs: 200 })
  t.after(() => dify.close())
  const host = await startHost(t, {
    config: { difyApiUrl: dify.url, difyApiKey: dify.apiKey, aiMode: 'mention' },
    ai: () => createDifyGateway({ baseUrl: dify.url, apiKey: dify.apiKey, idleTimeoutMs: 3000, deadlineMs: 30_000, retries: 0, retryBaseMs: 20 })
  })
  return { host, dify }
}

const difyQueries = (dify: FakeDify): string[] => dify.requests.filter(r => r.path.startsWith('/v1/chat-messages')).map(r => (r.body as { query: string }).query)

test('the word list matches whole Latin words, CJK phrases anywhere, case and width folded', () => {
  const f = createWordFilter(['ass', 'piss off', '傻逼', ' ', '# a comment'])
  assert.equal(f.match('this class is great'), null)
  assert.equal(f.match('what an ASS'), 'ass')
  assert.equal(f.match('Ｐｉｓｓ   Off now'), 'piss off')
  assert.equal(f.match('你是傻逼吗'), '傻逼')
  assert.equal(createWordFilter([]).match('anything'), null)
  assert.ok(starterList('en').includes('shit'))
  assert.ok(starterList('zh-CN').includes('傻逼'))
})

test('a held message is not posted, never reaches the AI, and the host releases or discards it', async (t) => {
  const { host, dify } = await filterHost(t)
  const put = await host.api('PUT', '/api/admin/word-filter', { headers: auth, body: { enabled: true, action: 'hold', words: ['stupid', '笨蛋'] } })
  assert.equal(put.status, 200)
  assert.deepEqual(put.body, { enabled: true, action: 'hold', words: ['stupid', '笨蛋'], starter_lists: ['en', 'zh-CN'] })
  const admin = new TestClient(`${host.url.replace('http', 'ws')}/api/admin/ws?token=${ADMIN}`)
  t.after(() => admin.terminate())
  await admin.opened()
  const [kim, lee] = await Promise.all([host.join('Kim'), host.join('Lee')])
  const a = await host.connect(kim.token)
  const b = await host.connect(lee.token)
  a.chat('@ai why is this homework so STUPID', 'h1')
  const [err] = await a.waitType('error')
  assert.equal(err!.code, 'ERR_MESSAGE_HELD')
  assert.equal(err!.client_msg_id, 'h1')
  assert.match(err!.message, /waiting for the host/)
  // a resend is the same held message
  a.chat('@ai why is this homework so STUPID', 'h1')
  await a.waitType('error', 2)
  a.chat('@ai 你这个笨蛋', 'h2')
  await a.waitType('error', 3)
  await admin.waitFor(f => (f as { type: string }).type === 'message_held', 2)
  // the room saw nothing; the AI service was asked nothing
  await new Promise(resolve => setTimeout(resolve, 300))
  assert.equal(b.ofType('user_message').length, 0)
  assert.deepEqual(difyQueries(dify), [])
  const held = await host.api('GET', '/api/admin/held', { headers: auth })
  assert.deepEqual(held.body.held.map((h: { username: string, matched: string, asks_ai: boolean }) => [h.username, h.matched, h.asks_ai]), [['Kim', 'stupid', false], ['Kim', '笨蛋', false]])

  // discarded: gone, and still nothing reached the AI
  const [first, second] = held.body.held as Array<{ id: number }>
  assert.equal((await host.api('POST', `/api/admin/held/${second!.id}/discard`, { headers: auth })).status, 200)
  assert.equal((await host.api('POST', `/api/admin/held/${second!.id}/discard`, { headers: auth })).status, 404)
  // released: posted as written, with its client_msg_id for the sender; in mention mode the AI is asked now
  const released = await host.api('POST', `/api/admin/held/${first!.id}/release`, { headers: auth })
  assert.equal(released.status, 200)
  const [mine] = await a.waitFor(f => f.type === 'user_message' && f.client_msg_id === 'h1')
  assert.equal((mine as { content: string }).content, '@ai why is this homework so STUPID')
  await b.waitType('user_message')
  // the answer quotes the question, so the word list holds it for the host in turn
  const [ready] = await admin.waitFor(f => (f as { type: string, status?: string }).type === 'ai_review' && (f as { status?: string }).status === 'ready', 1, 10_000) as Array<{ id: number }>
  assert.deepEqual(difyQueries(dify), ['Kim: why is this homework so STUPID'])
  assert.equal((await host.api('POST', `/api/admin/replies/${ready!.id}/release`, { headers: auth, body: {} })).status, 200)
  await b.waitType('ai_message_end', 1, 10_000)
  assert.deepEqual((await host.api('GET', '/api/admin/held', { headers: auth })).body, { held: [] })
})

test('refuse mode: the sender is told why, nothing is posted or asked; the filter is off by default', async (t) => {
  const { host, dify } = await filterHost(t)
  assert.deepEqual((await host.api('GET', '/api/admin/word-filter', { headers: auth })).body, { enabled: false, action: 'hold', words: [], starter_lists: ['en', 'zh-CN'] })
  const kim = await host.join('Kim')
  const a = await host.connect(kim.token)
  const starter = await host.api('GET', '/api/admin/word-filter/starter/en', { headers: auth })
  assert.ok(starter.body.words.includes('shit'))
  assert.equal((await host.api('GET', '/api/admin/word-filter/starter/fr', { headers: auth })).status, 404)
  assert.equal((await host.api('PUT', '/api/admin/word-filter', { headers: auth, body: { action: 'block' } })).status, 400)
  await host.api('PUT', '/api/admin/word-filter', { headers: auth, body: { enabled: true, action: 'refuse', words: starter.body.words } })
  a.chat('@ai oh shit, what is mitosis?', 'r1')
  const [err] = await a.waitType('error')
  assert.equal(err!.code, 'ERR_MESSAGE_FILTERED')
  assert.match(err!.message, /not sent.*“shit”/)
  const stream = await host.api('POST', '/api/chat/stream', { token: kim.token, body: { message: 'shit question' } })
  assert.equal(stream.status, 422)
  a.chat('@ai what is mitosis?', 'r2')
  await a.waitType('ai_message_end', 1, 10_000)
  assert.deepEqual(difyQueries(dify), ['Kim: what is mitosis?'])
  // the list survives a restart
  await host.restart()
  assert.equal((await host.api('GET', '/api/admin/word-filter', { headers: auth })).body.action, 'refuse')
})

test('an answer that contains a listed word is held for the host from that word on', async (t) => {
  const { host, dify } = await filterHost(t)
  await host.api('PUT', '/api/admin/word-filter', { headers: auth, body: { enabled: true, action: 'hold', words: ['helps'] } })
  const admin = new TestClient(`${host.url.replace('http', 'ws')}/api/admin/ws?token=${ADMIN}`)
  t.after(() => admin.terminate())
  await admin.opened()
  const kim = await host.join('Kim')
  const a = await host.connect(kim.token)
  a.chat('@ai what is mitosis?', 'w1')
  const [start] = await a.waitType('ai_message_start')
  const [review] = await a.waitFor(f => (f as { type: string }).type === 'ai_review', 1, 10_000)
  assert.equal((review as { status: string }).status, 'reviewing')
  const [ready] = await admin.waitFor(f => (f as { type: string, status?: string }).type === 'ai_review' && (f as { status?: string }).status === 'ready', 1, 10_000) as Array<{ content: string }>
  assert.match(ready!.content, /helps/)
  const seen = a.ofType('ai_message_chunk').map(f => f.content).join('')
  assert.ok(seen.length > 0, 'the answer streamed until the word')
  assert.ok(!/helps/.test(seen), 'the listed word never reached the room')
  assert.deepEqual(difyQueries(dify), ['Kim: what is mitosis?'])
  assert.equal((await host.api('POST', `/api/admin/replies/${start!.id}/discard`, { headers: auth, body: { note: 'checked' } })).status, 200)
  const [end] = await a.waitType('ai_message_end')
  assert.equal(end!.content, '')
})
