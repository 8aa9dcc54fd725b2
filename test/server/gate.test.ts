import { test, type TestContext } from 'node:test'
import assert from 'node:assert/strict'
import { startHost, type TestHost } from '../helpers/host.js'
import { startFakeDify, type FakeDify } from '../helpers/fake-dify.js'
import { createDifyGateway } from '../../server/adapters/dify-gateway.js'
import type { Config } from '../../server/config.js'
import type { ServerFrame, QuestionUpdateFrame } from '../../server/protocol/index.js'
import type { TestClient } from '../helpers/ws-client.js'

const ADMIN = 'admin-token-for-tests-0123456789'

async function gateHost (t: TestContext, config: Partial<Config> = {}, dataDir?: string): Promise<{ host: TestHost, dify: FakeDify }> {
  const dify = await startFakeDify({ tokenDelayMs: 2, pingIntervalMs: 200 })
  t.after(() => dify.close())
  const host = await startHost(t, {
    config: { difyApiUrl: dify.url, difyApiKey: dify.apiKey, aiMode: 'approve', ...config },
    ai: () => createDifyGateway({ baseUrl: dify.url, apiKey: dify.apiKey, idleTimeoutMs: 3000, deadlineMs: 30_000, retries: 0, retryBaseMs: 20 }),
    ...(dataDir !== undefined ? { dataDir } : {})
  })
  return { host, dify }
}

/** What the fake Dify was asked, in order. */
function askedQueries (dify: FakeDify): string[] {
  return dify.requests.filter(r => r.path.startsWith('/v1/chat-messages') && r.method === 'POST').map(r => (r.body as { query: string }).query)
}

const admin = (host: TestHost, method: string, path: string, body?: unknown): ReturnType<TestHost['api']> =>
  host.api(method, path, { headers: { authorization: `Bearer ${ADMIN}` }, ...(body !== undefined ? { body } : {}) })

const updatesOf = (c: TestClient, id: number): QuestionUpdateFrame[] =>
  c.ofType('question_update').filter(f => f.message_id === id)

const isUpdate = (id: number, status: string) => (f: ServerFrame) => f.type === 'question_update' && f.message_id === id && f.status === status

let nextClientId = 1

/** Posts a question and waits until the room has its pending update; returns its message id. */
async function ask (client: TestClient, text: string): Promise<number> {
  const clientMsgId = `q${nextClientId++}`
  client.chat(text, clientMsgId)
  const [posted] = await client.waitFor(f => f.type === 'user_message' && f.client_msg_id === clientMsgId)
  const id = (posted as { id: number }).id
  await client.waitFor(isUpdate(id, 'pending'))
  return id
}

test('a question waits for the host: persisted pending update, no reply, nothing sent to the AI', async (t) => {
  const { host, dify } = await gateHost(t)
  const [kim, lee] = await Promise.all([host.join('Kim'), host.join('Lee')])
  const a = await host.connect(kim.token)
  const b = await host.connect(lee.token)
  const id = await ask(a, '@ai why is the sky blue?')
  const [posted] = await b.waitType('user_message')
  assert.equal(posted!.asks_ai, true)
  const [pending] = await b.waitFor(isUpdate(id, 'pending')) as QuestionUpdateFrame[]
  assert.equal(pending!.votes, 0)
  assert.equal(pending!.waiting_count, 1)
  assert.equal(pending!.seq, posted!.seq + 1)
  // a chat frame with ask_ai:true is a question too, without any @ai
  b.send({ type: 'chat', content: 'and clouds?', ask_ai: true })
  const [, clouds] = await a.waitType('user_message', 2)
  assert.equal(clouds!.asks_ai, true)
  await a.waitFor(f => f.type === 'question_update' && f.message_id === clouds!.id && f.waiting_count === 2)
  // plain chat is not a question
  a.chat('hello everyone')
  await b.waitType('user_message', 3)
  await new Promise(resolve => setTimeout(resolve, 200))
  assert.equal(a.ofType('ai_message_start').length, 0)
  assert.deepEqual(askedQueries(dify), [])
  const queue = await admin(host, 'GET', '/api/admin/questions')
  assert.equal(queue.status, 200)
  assert.equal(queue.body.waiting_count, 2)
  assert.deepEqual(queue.body.questions.map((q: { message_id: number }) => q.message_id), [id, clouds!.id])
  assert.equal(queue.body.questions[0].status, 'pending')
  assert.equal(queue.body.questions[0].from_user, 'Kim')
})

test('votes: one per participant, can be taken back, never for your own; the queue puts the most wanted first', async (t) => {
  const { host } = await gateHost(t)
  const [kim, lee, ana] = await Promise.all([host.join('Kim'), host.join('Lee'), host.join('Ana')])
  const a = await host.connect(kim.token)
  const b = await host.connect(lee.token)
  const c = await host.connect(ana.token)
  const first = await ask(a, '@ai first question')
  const second = await ask(a, '@ai second question')
  b.send({ type: 'vote', message_id: second, up: true })
  const [mine] = await b.waitFor(f => f.type === 'question_update' && f.message_id === second && f.votes === 1) as QuestionUpdateFrame[]
  assert.equal(mine!.my_vote, true, 'the voter is told their vote counts')
  const [theirs] = await c.waitFor(f => f.type === 'question_update' && f.message_id === second && f.votes === 1) as QuestionUpdateFrame[]
  assert.equal(theirs!.my_vote, undefined, 'others are not told who voted')
  // a repeated vote changes nothing; c's vote makes 2
  b.send({ type: 'vote', message_id: second, up: true })
  c.send({ type: 'vote', message_id: second, up: true })
  await a.waitFor(f => f.type === 'question_update' && f.message_id === second && f.votes === 2)
  // your own question: refused with a clear error frame
  a.send({ type: 'vote', message_id: first, up: true })
  const [err] = await a.waitType('error')
  assert.match(err!.message, /own question/)
  // unknown question
  b.send({ type: 'vote', message_id: 99_999, up: true })
  const [unknown] = await b.waitType('error')
  assert.equal(unknown!.code, 'ERR_QUESTION_NOT_FOUND')
  const queue = await admin(host, 'GET', '/api/admin/questions')
  assert.deepEqual(queue.body.questions.map((q: { message_id: number, votes: number }) => [q.message_id, q.votes]), [[second, 2], [first, 0]])
  // taking a vote back
  c.send({ type: 'vote', message_id: second, up: false })
  const [back] = await c.waitFor(f => f.type === 'question_update' && f.message_id === second && f.votes === 1 && f.my_vote === false) as QuestionUpdateFrame[]
  assert.equal(back!.my_vote, false)
  assert.equal(updatesOf(a, second).filter(f => f.votes === 2).length, 1, 'the repeated vote sent nothing')
})

test('approve with an edit: the AI is asked the edited text, the room sees it was edited, then the answer', async (t) => {
  const { host, dify } = await gateHost(t)
  const kim = await host.join('Kim')
  const a = await host.connect(kim.token)
  const id = await ask(a, '@ai waht is fotosynthesis')
  const res = await admin(host, 'POST', `/api/admin/questions/${id}/approve`, { content: 'What is photosynthesis?' })
  assert.equal(res.status, 200, JSON.stringify(res.body))
  assert.equal(res.body.question.status, 'approved')
  assert.equal(res.body.question.edited, true)
  const [approved] = await a.waitFor(isUpdate(id, 'approved')) as QuestionUpdateFrame[]
  assert.equal(approved!.edited, true)
  assert.equal(approved!.content, 'What is photosynthesis?')
  assert.equal(approved!.waiting_count, 0)
  const [start] = await a.waitType('ai_message_start')
  assert.equal(start!.reply_to, id)
  assert.ok(start!.seq > approved!.seq)
  assert.equal(res.body.reply_id, start!.id)
  const [end] = await a.waitFor(f => f.type === 'ai_message_end' && f.id === start!.id, 1, 10_000)
  assert.ok(end?.type === 'ai_message_end' && end.content.length > 0)
  assert.deepEqual(askedQueries(dify), ['Kim: What is photosynthesis?'])
  // deciding again is a conflict
  const again = await admin(host, 'POST', `/api/admin/questions/${id}/reject`, {})
  assert.equal(again.status, 409)
  assert.equal(again.body.error.code, 'ERR_QUESTION_DECIDED')
  // and votes on a decided question are refused
  const lee = await host.join('Lee')
  const b = await host.connect(lee.token)
  b.send({ type: 'vote', message_id: id, up: true })
  const [err] = await b.waitType('error')
  assert.equal(err!.code, 'ERR_QUESTION_DECIDED')
})

test('approve without an edit asks the question as posted (no "edited" mark)', async (t) => {
  const { host, dify } = await gateHost(t)
  const kim = await host.join('Kim')
  const a = await host.connect(kim.token)
  const id = await ask(a, '@ai how far is the moon?')
  const res = await admin(host, 'POST', `/api/admin/questions/${id}/approve`, {})
  assert.equal(res.status, 200)
  const [approved] = await a.waitFor(isUpdate(id, 'approved')) as QuestionUpdateFrame[]
  assert.equal(approved!.edited, undefined)
  await a.waitType('ai_message_end', 1, 10_000)
  assert.deepEqual(askedQueries(dify), ['Kim: how far is the moon?'])
})

test('reject with a reason: the room is told why, no reply, and the AI never hears of it', async (t) => {
  const { host, dify } = await gateHost(t)
  const kim = await host.join('Kim')
  const a = await host.connect(kim.token)
  const id = await ask(a, '@ai what is the answer to the test tomorrow?')
  const res = await admin(host, 'POST', `/api/admin/questions/${id}/reject`, { reason: 'Nice try: we will go through it together.' })
  assert.equal(res.status, 200)
  const [rejected] = await a.waitFor(isUpdate(id, 'rejected')) as QuestionUpdateFrame[]
  assert.equal(rejected!.reason, 'Nice try: we will go through it together.')
  await new Promise(resolve => setTimeout(resolve, 200))
  assert.equal(a.ofType('ai_message_start').length, 0)
  assert.deepEqual(askedQueries(dify), [])
})

test('merge: duplicates point to one question, its voters join it, and one answer serves them', async (t) => {
  const { host, dify } = await gateHost(t)
  const [kim, lee, ana] = await Promise.all([host.join('Kim'), host.join('Lee'), host.join('Ana')])
  const a = await host.connect(kim.token)
  const b = await host.connect(lee.token)
  const c = await host.connect(ana.token)
  const original = await ask(a, '@ai why do leaves change colour?')
  const duplicate = await ask(b, '@ai why are leaves red in autumn?')
  c.send({ type: 'vote', message_id: duplicate, up: true })
  await a.waitFor(f => f.type === 'question_update' && f.message_id === duplicate && f.votes === 1)
  const self = await admin(host, 'POST', `/api/admin/questions/${duplicate}/merge`, { into: duplicate })
  assert.equal(self.status, 400)
  const missing = await admin(host, 'POST', `/api/admin/questions/${duplicate}/merge`, { into: 424242 })
  assert.equal(missing.status, 404)
  const res = await admin(host, 'POST', `/api/admin/questions/${duplicate}/merge`, { into: original })
  assert.equal(res.status, 200, JSON.stringify(res.body))
  const [merged] = await c.waitFor(isUpdate(duplicate, 'merged')) as QuestionUpdateFrame[]
  assert.equal(merged!.merged_into, original)
  // Lee (the duplicate's asker) and Ana (who voted for it) now count for the original
  const [grown] = await c.waitFor(f => f.type === 'question_update' && f.message_id === original && f.votes === 2) as QuestionUpdateFrame[]
  assert.equal(grown!.waiting_count, 1)
  await admin(host, 'POST', `/api/admin/questions/${original}/approve`, {})
  const [start] = await b.waitType('ai_message_start')
  assert.equal(start!.reply_to, original)
  await b.waitType('ai_message_end', 1, 10_000)
  assert.equal(askedQueries(dify).length, 1)
  const queue = await admin(host, 'GET', '/api/admin/questions')
  const dup = queue.body.questions.find((q: { message_id: number }) => q.message_id === duplicate)
  assert.equal(dup.status, 'merged')
  assert.equal(dup.merged_into, original)
})

test('the queue survives a restart in the middle and replays to a client that reconnects', async (t) => {
  const { host, dify } = await gateHost(t)
  const [kim, lee] = await Promise.all([host.join('Kim'), host.join('Lee')])
  const a = await host.connect(kim.token)
  const b = await host.connect(lee.token)
  const q1 = await ask(a, '@ai what is gravity?')
  const q2 = await ask(a, '@ai what is mass?')
  b.send({ type: 'vote', message_id: q2, up: true })
  await b.waitFor(f => f.type === 'question_update' && f.message_id === q2 && f.votes === 1)
  await admin(host, 'POST', `/api/admin/questions/${q1}/reject`, { reason: 'later' })
  await a.waitFor(isUpdate(q1, 'rejected'))
  const seen = a.frames.filter(f => f.type === 'question_update').map(f => JSON.stringify(f))

  await host.restart()

  // a participant who was away gets the same question_update frames, in order, with their seqs
  const replay = await host.connect(kim.token, 0)
  await replay.waitFor(isUpdate(q1, 'rejected'))
  const replayed = replay.frames.filter(f => f.type === 'question_update').map(f => JSON.stringify(f))
  assert.deepEqual(replayed, seen)
  const seqs = replay.frames.filter(f => 'seq' in f).map(f => (f as { seq: number }).seq)
  assert.deepEqual(seqs, [...seqs].sort((x, y) => x - y))
  // Lee's own replay says Lee voted for q2
  const leeReplay = await host.connect(lee.token, 0)
  const [voted] = await leeReplay.waitFor(f => f.type === 'question_update' && f.message_id === q2 && f.votes === 1) as QuestionUpdateFrame[]
  assert.equal(voted!.my_vote, true)
  // the queue is still there, and q2 is approved after the restart
  const queue = await admin(host, 'GET', '/api/admin/questions')
  assert.deepEqual(queue.body.questions.map((q: { message_id: number, status: string, votes: number }) => [q.message_id, q.status, q.votes]), [[q2, 'pending', 1], [q1, 'rejected', 0]])
  const res = await admin(host, 'POST', `/api/admin/questions/${q2}/approve`, {})
  assert.equal(res.status, 200)
  const [start] = await replay.waitType('ai_message_start')
  assert.equal(start!.reply_to, q2)
  await replay.waitType('ai_message_end', 1, 10_000)
  assert.deepEqual(askedQueries(dify), ['Kim: what is mass?'])
})

test('the AI budget is charged when a question is sent, not when it is posted', async (t) => {
  const { host } = await gateHost(t, { roomAiRate: { limit: 1, windowMs: 600_000 }, aiRate: { limit: 1, windowMs: 600_000 } })
  const kim = await host.join('Kim')
  const a = await host.connect(kim.token)
  // three questions from one participant although the AI budget is one: posting costs nothing
  const ids = [await ask(a, '@ai one'), await ask(a, '@ai two'), await ask(a, '@ai three')]
  assert.equal(a.ofType('error').length, 0)
  const rejected = await admin(host, 'POST', `/api/admin/questions/${ids[0]}/reject`, {})
  assert.equal(rejected.status, 200, 'a rejected question costs nothing')
  const first = await admin(host, 'POST', `/api/admin/questions/${ids[1]}/approve`, {})
  assert.equal(first.status, 200)
  const second = await admin(host, 'POST', `/api/admin/questions/${ids[2]}/approve`, {})
  assert.equal(second.status, 429)
  assert.equal(second.body.error.code, 'ERR_RATE_LIMITED')
  assert.match(second.body.error.message, /still waiting/)
  const queue = await admin(host, 'GET', '/api/admin/questions')
  assert.equal(queue.body.questions.find((q: { message_id: number }) => q.message_id === ids[2]).status, 'pending')
})

test('a participant may have only a few questions waiting; the seed stream cannot skip the host', async (t) => {
  const { host } = await gateHost(t, { aiPerUserQueue: 2 })
  const kim = await host.join('Kim')
  const a = await host.connect(kim.token)
  await ask(a, '@ai one')
  await ask(a, '@ai two')
  a.chat('@ai three', 'c3')
  const [err] = await a.waitType('error')
  assert.equal(err!.code, 'ERR_AI_QUEUE_FULL')
  assert.match(err!.message, /waiting for the host/)
  assert.equal(err!.client_msg_id, 'c3')
  const stream = await host.api('POST', '/api/chat/stream', { token: kim.token, body: { message: 'skip the queue' } })
  assert.equal(stream.status, 403)
  assert.match(stream.body.error.message, /host approves/)
})

test('admin question routes refuse bad input and missing tokens with clear errors', async (t) => {
  const { host } = await gateHost(t)
  const kim = await host.join('Kim')
  const a = await host.connect(kim.token)
  const id = await ask(a, '@ai something')
  assert.equal((await host.api('GET', '/api/admin/questions')).status, 401)
  assert.equal((await host.api('POST', `/api/admin/questions/${id}/approve`, { token: 'wrong-token-wrong-token', body: {} })).status, 401)
  const unknown = await admin(host, 'POST', '/api/admin/questions/99999/approve', {})
  assert.equal(unknown.status, 404)
  assert.equal(unknown.body.error.code, 'ERR_QUESTION_NOT_FOUND')
  const notQuestion = await admin(host, 'POST', '/api/admin/questions/abc/approve', {})
  assert.equal(notQuestion.status, 400)
  const badMerge = await admin(host, 'POST', `/api/admin/questions/${id}/merge`, { into: 'x' })
  assert.equal(badMerge.status, 400)
  const empty = await admin(host, 'POST', `/api/admin/questions/${id}/approve`, { content: '   ' })
  assert.equal(empty.status, 400)
  assert.match(empty.body.error.message, /empty/)
})

test('a participant page reads the question states and its own votes after a reload', async (t) => {
  const { host } = await gateHost(t)
  const [kim, lee] = await Promise.all([host.join('Kim'), host.join('Lee')])
  const a = await host.connect(kim.token)
  const b = await host.connect(lee.token)
  const q1 = await ask(a, '@ai one')
  const q2 = await ask(a, '@ai two')
  b.send({ type: 'vote', message_id: q1, up: true })
  await b.waitFor(f => f.type === 'question_update' && f.message_id === q1 && f.votes === 1)
  await admin(host, 'POST', `/api/admin/questions/${q2}/reject`, { reason: 'off topic' })
  await b.waitFor(isUpdate(q2, 'rejected'))
  const res = await host.api('GET', '/api/questions', { token: lee.token })
  assert.equal(res.status, 200)
  assert.deepEqual(res.body, {
    questions: [
      { message_id: q1, status: 'pending', votes: 1, my_vote: true },
      { message_id: q2, status: 'rejected', votes: 0, my_vote: false, reason: 'off topic' }
    ],
    waiting_count: 1
  })
  assert.equal((await host.api('GET', '/api/questions')).status, 401)
})

test('the host\'s own question needs no approval, and the word list does not hold the host', async (t) => {
  const { host, dify } = await gateHost(t)
  await admin(host, 'PUT', '/api/admin/word-filter', { enabled: true, action: 'hold', words: ['quiz'] })
  const kim = await host.join('Kim')
  const a = await host.connect(kim.token)
  const res = await admin(host, 'POST', '/api/admin/messages', { content: '@ai give us a quiz question about cells' })
  assert.equal(res.status, 200, JSON.stringify(res.body))
  const [start] = await a.waitType('ai_message_start')
  await a.waitFor(f => f.type === 'ai_message_end' || (f as { type: string }).type === 'ai_review', 1, 10_000)
  assert.equal(a.ofType('question_update').length, 0)
  assert.ok(start!.reply_to > 0)
  assert.deepEqual(askedQueries(dify), ['Host: give us a quiz question about cells'])
})

test('a new lesson starts with an empty queue', async (t) => {
  const { host } = await gateHost(t, { aiPerUserQueue: 1 })
  const kim = await host.join('Kim')
  const a = await host.connect(kim.token)
  await ask(a, '@ai left from last lesson')
  assert.equal((await admin(host, 'POST', '/api/admin/sessions', {})).status, 200)
  await a.waitFor(f => (f as { type: string }).type === 'room_cleared')
  const queue = await admin(host, 'GET', '/api/admin/questions')
  assert.deepEqual(queue.body, { questions: [], waiting_count: 0 })
  // the old question no longer counts against Kim's limit of one waiting question
  const id = await ask(a, '@ai a new question')
  const [update] = await a.waitFor(isUpdate(id, 'pending')) as QuestionUpdateFrame[]
  assert.equal(update!.waiting_count, 1)
})
