import { startAiHost } from '../helpers/ai-host.js'
import { test, type TestContext } from 'node:test'
import assert from 'node:assert/strict'
import { startHost, type TestHost } from '../helpers/host.js'
import { type FakeDify, type FakeDifyOptions } from '../helpers/fake-dify.js'
import type { Config } from '../../server/config.js'
import type { TestClient } from '../helpers/ws-client.js'
import type { ServerFrame } from '../../server/protocol/index.js'

const aiHost = async (t: TestContext, options: { config?: Partial<Config>, dify?: FakeDifyOptions } = {}): Promise<{ host: TestHost, dify: FakeDify }> =>
  await startAiHost(t, { dify: { tokenDelayMs: 5, ...options.dify }, config: { aiIdleTimeoutMs: 3000, ...options.config }, gateway: { deadlineMs: options.config?.aiDeadlineMs ?? 30_000, retries: 2 } })

/** The answer text a client assembled from deltas and snapshots of reply `id`. */
function assembled (client: TestClient, id: number): string {
  let text = ''
  for (const f of client.frames) {
    if (f.type === 'ai_message_chunk' && f.id === id) text = f.snapshot === true ? f.content : text + f.content
    if (f.type === 'ai_message_replace' && f.id === id) text = f.content
  }
  return text
}

const isEndOf = (id: number) => (f: ServerFrame) => (f.type === 'ai_message_end' || f.type === 'ai_message_error') && f.id === id

test('everyone in the room watches one answer stream in, and the end content is the whole answer', async (t) => {
  const { host } = await aiHost(t)
  const people = await Promise.all(['Alice', 'Bob', 'Carol'].map(n => host.join(n)))
  const clients = await Promise.all(people.map(p => host.connect(p.token)))
  clients[0]!.chat('@ai what is photosynthesis?', 'q1')
  const [question] = await clients[1]!.waitType('user_message')
  assert.equal(question!.asks_ai, true)
  for (const c of clients) {
    const [start] = await c.waitType('ai_message_start')
    assert.equal(start!.reply_to, question!.id)
    assert.equal(start!.seq, question!.seq + 1)
    assert.equal(start!.queue_position, 0)
    const [end] = await c.waitFor(isEndOf(start!.id), 1, 10_000)
    assert.ok(end?.type === 'ai_message_end')
    assert.equal(end.status, 'complete')
    assert.ok(end.content.includes('photosynthesis'), end.content)
    assert.equal(assembled(c, start!.id), end.content)
    assert.ok(c.ofType('ai_message_chunk').length > 3, 'streamed in several chunks')
    assert.equal(end.seq, start!.seq + 1)
  }
  const history = await host.api('GET', '/api/messages', { token: people[0]!.token })
  const reply = history.body.messages[1]
  assert.equal(reply.role, 'assistant')
  assert.equal(reply.status, 'complete')
  assert.equal(reply.reply_to, question!.id)
  assert.equal(reply.from_user, 'AI')
})

test('messages without @ai do not ask the AI in mention mode; the host can switch modes', async (t) => {
  const { host, dify } = await aiHost(t)
  const alice = await host.join('Alice')
  const a = await host.connect(alice.token)
  a.chat('just chatting, email me at bob@ai.example', 'n1')
  a.chat('said ai but not at-ai, and @aim is another word', 'n2')
  await a.waitType('user_message', 2)
  await new Promise(resolve => setTimeout(resolve, 150))
  assert.equal(a.ofType('ai_message_start').length, 0)
  assert.equal(dify.requests.filter(r => r.path.startsWith('/v1/chat-messages')).length, 0)
  const admin = { authorization: `Bearer ${host.config.adminToken}` }
  const res = await host.api('PUT', '/api/admin/ai-mode', { body: { ai_mode: 'all' }, headers: admin })
  assert.equal(res.status, 200)
  const [update] = await a.waitType('room_update')
  assert.deepEqual(update, { type: 'room_update', ai_mode: 'all', ai_available: true })
  a.chat('no mention needed now', 'n3')
  await a.waitType('ai_message_start')
  await host.api('PUT', '/api/admin/ai-mode', { body: { ai_mode: 'off' }, headers: admin })
  a.chat('@ai are you there?', 'n4')
  await a.waitType('user_message', 4)
  await new Promise(resolve => setTimeout(resolve, 150))
  assert.equal(a.ofType('ai_message_start').length, 1)
  const b = await host.connect(alice.token)
  assert.equal((await b.waitType('hello'))[0]!.ai_mode, 'off')
})

test('24 answers stream at once to several clients with no cross-talk', async (t) => {
  const { host, dify } = await aiHost(t, { config: { aiConcurrency: 30 } })
  const askers = await Promise.all(Array.from({ length: 24 }, (_, i) => host.join(`Asker ${i}`)))
  const sockets = await Promise.all(askers.map(a => host.connect(a.token)))
  const watchers = await Promise.all([0, 1, 2].map(i => host.connect(askers[i]!.token)))
  sockets.forEach((s, i) => s.chat(`@ai question number ${i} [[scenario:slow]]`, `q${i}`))
  const w = watchers[0]!
  const starts = await w.waitType('ai_message_start', 24)
  const questions = new Map(w.ofType('user_message').map(m => [m.id, m.content]))
  for (const watcher of watchers) {
    for (const s of starts) {
      const [end] = await watcher.waitFor(isEndOf(s.id), 1, 20_000)
      assert.ok(end?.type === 'ai_message_end', JSON.stringify(end))
      const n = /question number (\d+)/.exec(questions.get(s.reply_to)!)![1]
      assert.ok(end.content.includes(`question number ${n}`), 'each answer belongs to its own question')
      assert.equal(assembled(watcher, s.id), end.content)
    }
  }
  assert.ok(dify.stats.maxOpen >= 20, `streams were concurrent (max open ${dify.stats.maxOpen})`)
})

test('the asker can stop a reply; the text so far is kept and Dify is told with the same user', async (t) => {
  const { host, dify } = await aiHost(t, { dify: { tokenDelayMs: 40 } })
  const alice = await host.join('Alice')
  const bob = await host.join('Bob')
  const a = await host.connect(alice.token)
  const b = await host.connect(bob.token)
  a.chat('@ai tell me a long story [[scenario:slow]]', 's1')
  const [start] = await a.waitType('ai_message_start')
  await a.waitType('ai_message_chunk', 3)
  b.send({ type: 'stop', id: start!.id })
  const [refused] = await b.waitType('error')
  assert.equal(refused!.code, 'ERR_FORBIDDEN')
  a.send({ type: 'stop', id: start!.id })
  const [end] = await b.waitFor(isEndOf(start!.id))
  assert.ok(end?.type === 'ai_message_end')
  assert.equal(end.status, 'stopped')
  assert.ok(end.content.length > 0)
  assert.ok(end.content.length < 600)
  await new Promise(resolve => setTimeout(resolve, 100))
  const stop = dify.requests.find(r => /\/chat-messages\/[^/]+\/stop$/.test(r.path))
  const ask = dify.requests.find(r => r.path === '/v1/chat-messages')
  assert.ok(stop !== undefined, 'stop was sent to Dify')
  assert.equal((stop.body as { user: string }).user, (ask!.body as { user: string }).user)
  const history = await host.api('GET', '/api/messages', { token: alice.token })
  assert.equal(history.body.messages[1].status, 'stopped')
  assert.equal(history.body.messages[1].content, end.content)
})

test('failures reach everyone as a clear error, keep partial text, and the room keeps working', async (t) => {
  const { host } = await aiHost(t, { config: { aiIdleTimeoutMs: 400, aiPerUserQueue: 20 } })
  const alice = await host.join('Alice')
  const a = await host.connect(alice.token)
  const cases: Array<[string, string]> = [
    ['stall', 'ERR_AI_IDLE_TIMEOUT'],
    ['cut', 'ERR_AI_STREAM_CUT'],
    ['error-mid', 'ERR_AI_UPSTREAM'],
    ['http-401', 'ERR_AI_AUTH'],
    ['http-400-quota', 'ERR_AI_QUOTA'],
    ['http-500-html', 'ERR_AI_UPSTREAM']
  ]
  for (const [scenario] of cases) a.chat(`@ai please [[scenario:${scenario}]]`, `f-${scenario}`)
  const starts = await a.waitType('ai_message_start', cases.length)
  for (let i = 0; i < cases.length; i++) {
    const [end] = await a.waitFor(isEndOf(starts[i]!.id), 1, 10_000)
    assert.ok(end?.type === 'ai_message_error', `${cases[i]![0]}: ${JSON.stringify(end)}`)
    assert.equal(end.status, 'failed')
    assert.equal(end.error.code, cases[i]![1], cases[i]![0])
    assert.ok(end.error.message.length > 10)
    if (['stall', 'cut', 'error-mid'].includes(cases[i]![0])) assert.ok(end.content.length > 0, 'partial text kept')
  }
  a.chat('the room still works', 'after')
  await a.waitFor(f => f.type === 'user_message' && f.content === 'the room still works')
  const history = await host.api('GET', '/api/messages', { token: alice.token })
  const failed = history.body.messages.filter((m: { role: string }) => m.role === 'assistant')
  assert.equal(failed.length, cases.length)
  for (const m of failed) { assert.equal(m.status, 'failed'); assert.ok(m.error.code.startsWith('ERR_AI_')) }
})

test('answers of every Dify app type and quirk arrive whole', async (t) => {
  const { host } = await aiHost(t, { config: { aiPerUserQueue: 20 } })
  const alice = await host.join('Alice')
  const a = await host.connect(alice.token)
  const scenarios = ['agent', 'chatflow', 'chatflow-docs-order', 'replace', 'message-file-text', 'tts', 'ping-after-end', 'no-end', 'legacy', 'http-429', 'http-502-html']
  for (const s of scenarios) a.chat(`@ai show me [[scenario:${s}]] cite`, `sc-${s}`)
  const starts = await a.waitType('ai_message_start', scenarios.length)
  for (let i = 0; i < scenarios.length; i++) {
    const [end] = await a.waitFor(isEndOf(starts[i]!.id), 1, 10_000)
    assert.ok(end?.type === 'ai_message_end', `${scenarios[i]}: ${JSON.stringify(end)}`)
    assert.ok(end.content.length > 0, scenarios[i])
    assert.equal(assembled(a, starts[i]!.id), end.content, scenarios[i])
    if (scenarios[i] === 'replace') assert.match(end.content, /^Sorry, I can't help with that/)
  }
})

test('a participant who connects mid-answer gets the text so far, then the rest, once', async (t) => {
  const { host } = await aiHost(t, { dify: { tokenDelayMs: 25 } })
  const alice = await host.join('Alice')
  const bob = await host.join('Bob')
  const a = await host.connect(alice.token)
  a.chat('@ai a long one please [[scenario:slow]]', 'mid')
  const [start] = await a.waitType('ai_message_start')
  await a.waitType('ai_message_chunk', 5)
  const b = await host.connect(bob.token, 0)
  const [snap] = await b.waitFor(f => f.type === 'ai_message_chunk' && f.snapshot === true)
  assert.ok(snap?.type === 'ai_message_chunk' && snap.content.length > 0)
  const [end] = await b.waitFor(isEndOf(start!.id), 1, 15_000)
  assert.ok(end?.type === 'ai_message_end')
  assert.equal(assembled(b, start!.id), end.content)
  assert.equal(b.ofType('user_message').length, 1)
  assert.equal(b.ofType('ai_message_start').length, 1)
})

test('the seed-compatible SSE endpoint streams in Dify shape and the room sees it too', async (t) => {
  const { host } = await aiHost(t)
  const alice = await host.join('Alice')
  const bob = await host.join('Bob')
  const b = await host.connect(bob.token)
  const res = await fetch(`${host.url}/api/chat/stream`, {
    method: 'POST',
    headers: { authorization: `Bearer ${alice.token}`, 'content-type': 'application/json' },
    body: JSON.stringify({ message: 'How do rainbows form?', conversation_id: '' })
  })
  assert.equal(res.status, 200)
  assert.match(res.headers.get('content-type') ?? '', /^text\/event-stream/)
  const text = await res.text()
  const events = text.split('\n\n').filter(Boolean).map(block => JSON.parse(block.replace(/^data: /, '')) as { event: string, answer?: string, message_id: number })
  assert.ok(events.length > 3)
  assert.equal(events.at(-1)!.event, 'message_end')
  const answer = events.filter(e => e.event === 'message').map(e => e.answer).join('')
  const [end] = await b.waitType('ai_message_end')
  assert.equal(answer, end!.content)
  assert.equal(events[0]!.message_id, end!.id)
  const [q] = b.ofType('user_message')
  assert.equal(q!.content, 'How do rainbows form?')
  const unauth = await host.api('POST', '/api/chat/stream', { body: { message: 'x' } })
  assert.equal(unauth.status, 401)
})

test('a queue beyond the concurrency cap is fair and shows positions', async (t) => {
  const { host, dify } = await aiHost(t, { config: { aiConcurrency: 1 }, dify: { tokenDelayMs: 10 } })
  const alice = await host.join('Alice')
  const bob = await host.join('Bob')
  const a = await host.connect(alice.token)
  const b = await host.connect(bob.token)
  a.chat('@ai A1 [[scenario:slow]]', 'a1')
  await a.waitType('ai_message_start')
  a.chat('@ai A2', 'a2')
  a.chat('@ai A3', 'a3')
  await a.waitType('ai_message_start', 3)
  b.chat('@ai B1', 'b1')
  const starts = await a.waitType('ai_message_start', 4)
  assert.deepEqual(starts.map(s => s.queue_position), [0, 1, 2, 3])
  // Bob's question jumps ahead of Alice's third: one participant cannot fill the queue
  const moved = await a.waitFor(f => f.type === 'ai_message_queue' && f.id === starts[3]!.id && f.queue_position === 2)
  assert.ok(moved.length > 0)
  a.chat('@ai A4', 'a4')
  const [limited] = await a.waitType('error')
  assert.equal(limited!.code, 'ERR_AI_QUEUE_FULL')
  assert.equal(limited!.client_msg_id, 'a4', 'the refused chat is named: it was not posted')
  const ends: number[] = []
  for (const s of starts) {
    await a.waitFor(isEndOf(s.id), 1, 20_000)
  }
  for (const f of a.frames) if (f.type === 'ai_message_end') ends.push(f.id)
  assert.deepEqual(ends, [starts[0]!.id, starts[1]!.id, starts[3]!.id, starts[2]!.id])
  assert.equal(dify.stats.maxOpen, 1)
})

test('a vanished conversation starts a new one and retries once', async (t) => {
  const { host, dify } = await aiHost(t)
  const alice = await host.join('Alice')
  const a = await host.connect(alice.token)
  a.chat('@ai first', 'c1')
  const [s1] = await a.waitType('ai_message_start')
  const [e1] = await a.waitFor(isEndOf(s1!.id))
  assert.ok(e1?.type === 'ai_message_end')
  const firstConversation = e1.conversation_id
  assert.match(firstConversation, /^[0-9a-f-]{36}$/)
  a.chat('@ai second, same conversation', 'c2')
  const starts = await a.waitType('ai_message_start', 2)
  const [e2] = await a.waitFor(isEndOf(starts[1]!.id))
  assert.ok(e2?.type === 'ai_message_end')
  assert.equal(e2.conversation_id, firstConversation)
  a.chat('@ai third [[scenario:http-404-conversation]]', 'c3')
  const s3 = (await a.waitType('ai_message_start', 3))[2]!
  const [e3] = await a.waitFor(isEndOf(s3.id), 1, 10_000)
  assert.ok(e3?.type === 'ai_message_end', JSON.stringify(e3))
  assert.notEqual(e3.conversation_id, firstConversation)
  const asks = dify.requests.filter(r => r.path === '/v1/chat-messages').map(r => (r.body as { conversation_id: string }).conversation_id)
  assert.deepEqual(asks, ['', firstConversation, firstConversation, ''])
  // the host can start a fresh conversation
  await host.api('POST', '/api/admin/conversation/reset', { headers: { authorization: `Bearer ${host.config.adminToken}` } })
  a.chat('@ai fresh start', 'c4')
  const s4 = (await a.waitType('ai_message_start', 4))[3]!
  await a.waitFor(isEndOf(s4.id))
  assert.equal((dify.requests.filter(r => r.path === '/v1/chat-messages').at(-1)!.body as { conversation_id: string }).conversation_id, '')
})

test('without Dify the room chats and asking the AI gets a clear error', async (t) => {
  const host = await startHost(t)
  const alice = await host.join('Alice')
  const a = await host.connect(alice.token)
  assert.equal((await a.waitType('hello'))[0]!.ai_available, false)
  a.chat('@ai hello?', 'x1')
  const [m] = await a.waitType('user_message')
  assert.equal(m!.asks_ai, undefined)
  const [err] = await a.waitType('error')
  assert.equal(err!.code, 'ERR_AI_NOT_CONFIGURED')
  assert.equal(err!.client_msg_id, undefined, 'the chat itself was posted; only the AI declined')
  const res = await host.api('POST', '/api/chat/stream', { token: alice.token, body: { message: 'hi' } })
  assert.equal(res.status, 503)
  assert.equal(res.body.error.code, 'ERR_AI_NOT_CONFIGURED')
  const room = await host.api('GET', '/api/room')
  assert.equal(room.body.ai_available, false)
})

test('the Dify greeting reaches the page and the key never leaves the host', async (t) => {
  const { host, dify } = await aiHost(t, { config: { logLevel: 'debug' } })
  const room = await host.api('GET', '/api/room')
  assert.equal(room.status, 200)
  assert.ok(typeof room.body.opening_statement === 'string' && room.body.opening_statement.length > 0)
  assert.equal(room.body.suggested_questions.length, 3)
  const alice = await host.join('Alice')
  const a = await host.connect(alice.token)
  a.chat('@ai hi [[scenario:http-401]]', 'k1')
  a.chat('@ai hi again', 'k2')
  const starts = await a.waitType('ai_message_start', 2)
  for (const s of starts) await a.waitFor(isEndOf(s.id), 1, 10_000)
  const everything = JSON.stringify(a.frames) + JSON.stringify(room.body) + JSON.stringify((await host.api('GET', '/api/messages', { token: alice.token })).body)
  assert.ok(!everything.includes(dify.apiKey))
  await host.close()
  for (const line of host.logs) assert.ok(!line.includes(dify.apiKey), line)
})

test('usage and agent steps are kept with the answer', async (t) => {
  const { host } = await aiHost(t)
  const alice = await host.join('Alice')
  const a = await host.connect(alice.token)
  a.chat('@ai what time is it? [[scenario:agent]]', 'agent-1')
  const [start] = await a.waitType('ai_message_start')
  const [end] = await a.waitFor(isEndOf(start!.id), 1, 10_000)
  assert.ok(end?.type === 'ai_message_end')
  const stored = host.app.services.store.getMessage(start!.id)!
  assert.equal(stored.content, end.content)
  assert.ok(stored.usage !== null && typeof stored.usage.total_tokens === 'number')
  assert.ok(stored.steps !== null && stored.steps.length >= 1)
  assert.ok(stored.steps.some(s => s.tool !== ''), 'the tool call is a step')
  assert.ok(!end.content.includes(stored.steps.at(-1)!.thought) || stored.steps.at(-1)!.thought === '' || end.content.split(stored.steps.at(-1)!.thought).length === 2, 'the final thought is not added to the answer twice')
})

test('with sockets written in many small groups, every client still gets every frame once, in order', async (t) => {
  const { host } = await aiHost(t, { config: { flushGroupSize: 2, aiPerUserQueue: 20 }, dify: { tokenDelayMs: 3 } })
  const people = await Promise.all(Array.from({ length: 7 }, (_, i) => host.join(`P${i}`)))
  const clients = await Promise.all(people.map(p => host.connect(p.token)))
  for (let i = 0; i < 7; i++) clients[i]!.chat(`@ai question ${i} [[scenario:slow]]`, `g${i}`)
  for (let i = 0; i < 7; i++) clients[i]!.chat(`plain ${i}`, `p${i}`)
  // one joins mid-stream and one resumes from the start
  const late = await host.connect(people[0]!.token)
  const starts = await clients[0]!.waitType('ai_message_start', 7, 10_000)
  const resumed = await host.connect(people[1]!.token, 0)
  for (const c of [...clients, late, resumed]) {
    for (const s of starts) {
      const [end] = await c.waitFor(isEndOf(s.id), 1, 20_000)
      assert.ok(end?.type === 'ai_message_end')
      assert.equal(assembled(c, s.id), end.content)
    }
    const seqs = c.frames.filter(f => 'seq' in f).map(f => (f as { seq: number }).seq)
    assert.deepEqual(seqs, [...new Set(seqs)].sort((x, y) => x - y), 'persisted frames once, in order')
  }
  const orders = clients.map(c => c.ofType('user_message').map(m => m.seq).join(','))
  for (const o of orders) assert.equal(o, orders[0])
})

test('a graceful shutdown mid-answer tells everyone the answer was interrupted, then closes with 1001', async (t) => {
  const { host } = await aiHost(t, { dify: { tokenDelayMs: 30 } })
  const alice = await host.join('Alice')
  const a = await host.connect(alice.token)
  a.chat('@ai a long one [[scenario:slow]]', 'sd-1')
  const [start] = await a.waitType('ai_message_start')
  await a.waitType('ai_message_chunk', 3)
  const closed = a.waitClose()
  await host.close()
  assert.equal(await closed, 1001)
  const end = a.frames.find(isEndOf(start!.id))
  assert.ok(end?.type === 'ai_message_error', 'the interruption arrived before the close')
  assert.equal(end.status, 'interrupted')
  assert.equal(end.content, assembled(a, start!.id))
  await host.restart()
  const history = await host.api('GET', '/api/messages', { token: alice.token })
  assert.equal(history.body.messages[1].status, 'interrupted')
  assert.equal(history.body.messages[1].content, end.content)
})
