import { startAiHost } from '../helpers/ai-host.js'
import { test, type TestContext } from 'node:test'
import assert from 'node:assert/strict'
import { type TestHost } from '../helpers/host.js'
import { admin, adminSocket } from '../helpers/admin.js'
import { type FakeDify } from '../helpers/fake-dify.js'
import { hugeAnswer } from '../helpers/fake-dify/content.js'
import type { TestClient } from '../helpers/ws-client.js'
import { ConfigError, loadConfig, type Config } from '../../server/config.js'
import { clipToChars, createAnswerCap } from '../../server/room/ai/answer-cap.js'
import { lessonTranscript, MAX_TRANSCRIPT_CHARS } from '../../server/room/ai/lesson-summary.js'
import { ANSWER_LIMIT, codePointLength as countChars, type AiMessageEndFrame, type ServerFrame } from '../../server/protocol/index.js'
import type { StoredMessage } from '../../server/ports.js'

const aiHost = async (t: TestContext, config: Partial<Config> = {}): Promise<{ host: TestHost, dify: FakeDify }> =>
  await startAiHost(t, { dify: { tokenDelayMs: 1 }, config: { aiIdleTimeoutMs: 5000, ...config }, gateway: { deadlineMs: 60_000 } })

/** The answer a client put together from the deltas, snapshots and replaces of reply `id`. */
function assembled (client: TestClient, id: number): string {
  let text = ''
  for (const f of client.frames) {
    if (f.type === 'ai_message_chunk' && f.id === id) text = f.snapshot === true ? f.content : text + f.content
    if (f.type === 'ai_message_replace' && f.id === id) text = f.content
  }
  return text
}

const isEndOf = (id: number) => (f: ServerFrame) => (f.type === 'ai_message_end' || f.type === 'ai_message_error') && f.id === id

async function ask (host: TestHost, client: TestClient, question: string): Promise<AiMessageEndFrame> {
  const before = client.ofType('ai_message_start').length
  client.chat(question, `q-${Math.random()}`)
  const starts = await client.waitType('ai_message_start', before + 1, 10_000)
  const [end] = await client.waitFor(isEndOf(starts[before]!.id), 1, 30_000)
  assert.ok(end?.type === 'ai_message_end', JSON.stringify(end).slice(0, 300))
  return end
}

async function until (what: string, check: () => boolean, timeoutMs = 5000): Promise<void> {
  const endAt = Date.now() + timeoutMs
  while (!check()) {
    if (Date.now() > endAt) throw new Error(`timed out waiting for ${what}`)
    await new Promise(resolve => setTimeout(resolve, 10))
  }
}

test('the cap counts characters, never splits a surrogate pair, and cuts the delta that crosses it', () => {
  assert.equal(countChars('a🔁b'), 3)
  assert.equal(clipToChars('ab🔁cd', 3), 'ab🔁')
  assert.equal(clipToChars('ab🔁cd', 2), 'ab')
  assert.equal(clipToChars('short', 10), 'short')
  const cap = createAnswerCap(5)
  assert.equal(cap.append('ab'), 'ab')
  assert.equal(cap.append(''), '')
  assert.equal(cap.append('c🔁'), 'c🔁')
  assert.equal(cap.isCut, false, 'exactly at the limit is not cut yet')
  assert.equal(cap.append('d'), 'd')
  assert.equal(cap.isCut, false)
  assert.equal(cap.append('e'), '')
  assert.equal(cap.isCut, true)
  assert.equal(cap.append('more'), '')
  const replaced = createAnswerCap(4)
  assert.equal(replaced.append('abc'), 'abc')
  assert.equal(replaced.replace('wxyz!'), 'wxyz')
  assert.equal(replaced.isCut, true)
})

test('a 3.5 MB answer ends at exactly the cap, stopped at Dify; stored, replayed and exported bounded', async (t) => {
  const { host, dify } = await aiHost(t)
  const call = admin(host)
  const console_ = await adminSocket(t, host)
  const [kim, lee] = await Promise.all([host.join('Kim'), host.join('Lee')])
  const a = await host.connect(kim.token)
  const b = await host.connect(lee.token)
  const startedAt = Date.now()
  const end = await ask(host, a, '@ai [[scenario:huge]] tell me everything')
  const ms = Date.now() - startedAt

  const expected = hugeAnswer(ANSWER_LIMIT.default)
  assert.equal(end.status, 'stopped')
  assert.equal(end.stop_reason, 'length')
  assert.equal(end.cut_at_chars, ANSWER_LIMIT.default)
  assert.equal(countChars(end.content), ANSWER_LIMIT.default, 'exactly the cap')
  assert.ok(end.content === expected, 'the first 100,000 characters of the answer')
  // everyone saw exactly that, streamed: the last delta was cut at the cap
  const [bEnd] = await b.waitFor(isEndOf(end.id))
  assert.deepEqual(bEnd, end)
  const [cEnd] = await console_.waitFor(isEndOf(end.id))
  assert.equal((cEnd as AiMessageEndFrame).stop_reason, 'length')
  for (const c of [a, b, console_]) assert.ok(assembled(c, end.id) === expected, 'the deltas add up to the kept text')
  assert.ok(b.ofType('ai_message_chunk').length > 1, 'it streamed')

  // Dify was told to stop this task (as a user's stop does) and the HTTP stream was cut
  const chat = dify.requests.find(r => r.path === '/v1/chat-messages')!
  assert.ok(chat !== undefined)
  await until('the stop call', () => dify.requests.some(r => /^\/v1\/chat-messages\/[^/]+\/stop$/.test(r.path)))
  const stop = dify.requests.find(r => r.path.endsWith('/stop'))!
  assert.equal((stop.body as { user: string }).user, (chat.body as { user: string }).user)
  await until('the stream to close', () => dify.stats.open === 0)
  assert.equal(dify.stats.abandoned, 1, 'the host closed the stream before its end')

  // stored as broadcast: history, a replay from the start, and the console's history
  const history = await host.api('GET', '/api/messages', { token: kim.token })
  const stored = history.body.messages.find((m: { id: number }) => m.id === end.id)
  assert.ok(stored.content === end.content)
  assert.equal(stored.status, 'stopped')
  assert.equal(stored.stop_reason, 'length')
  assert.equal(stored.cut_at_chars, ANSWER_LIMIT.default)
  const late = await host.connect(kim.token, 0)
  const [replayed] = await late.waitFor(isEndOf(end.id))
  assert.deepEqual(replayed, end)

  // the lesson record: every format bounded (it was 18 MB), the cut said in each
  const json = await call('GET', '/api/admin/export?format=json')
  const exported = json.body.messages.find((m: { id: number }) => m.id === end.id)
  assert.ok(exported.content === end.content)
  assert.equal(exported.stop_reason, 'length')
  assert.equal(exported.cut_at_chars, ANSWER_LIMIT.default)
  const md = await call('GET', '/api/admin/export?format=md')
  assert.match(md.body as string, /cut at the answer limit of 100,000 characters/)
  const csv = await call('GET', '/api/admin/export?format=csv')
  assert.match(csv.body as string, /,length,\r\n/)
  for (const [name, body] of [['json', JSON.stringify(json.body)], ['md', md.body as string], ['csv', csv.body as string]] as const) {
    const bytes = Buffer.byteLength(body)
    assert.ok(bytes < 400_000, `${name} export is ${bytes} bytes`)
  }
  t.diagnostic(`3.5 MB answer capped in ${ms} ms; json export ${Buffer.byteLength(JSON.stringify(json.body))} bytes`)
})

test('a cap set lower in the settings applies to the next answer: one huge delta, a replace, a blocking body', async (t) => {
  const { host } = await aiHost(t)
  const call = admin(host)
  for (const bad of [ANSWER_LIMIT.min - 1, ANSWER_LIMIT.max + 1]) {
    const res = await call('PUT', '/api/admin/settings', { ai_max_answer_chars: bad })
    assert.equal(res.status, 400)
    assert.equal(res.body.error.code, 'ERR_SETTING_INVALID')
    assert.match(res.body.error.message, /ai_max_answer_chars must be between 1000 and 1000000/)
  }
  assert.equal((await call('GET', '/api/admin/settings')).body.settings.ai_max_answer_chars, ANSWER_LIMIT.default)
  const set = await call('PUT', '/api/admin/settings', { ai_max_answer_chars: 5000 })
  assert.equal(set.status, 200, JSON.stringify(set.body))
  assert.equal(set.body.settings.ai_max_answer_chars, 5000)

  const kim = await host.join('Kim')
  const a = await host.connect(kim.token)
  for (const scenario of ['huge-delta', 'huge-replace', 'huge-blocking']) {
    const end = await ask(host, a, `@ai [[scenario:${scenario}]] go on`)
    assert.equal(end.stop_reason, 'length', scenario)
    assert.equal(end.cut_at_chars, 5000)
    assert.ok(end.content === hugeAnswer(5000), `${scenario}: the first 5,000 characters`)
    assert.ok(assembled(a, end.id) === end.content, `${scenario}: the streamed text is the stored text`)
    const sent = a.frames.filter(f => (f.type === 'ai_message_chunk' || f.type === 'ai_message_replace') && f.id === end.id)
    assert.ok(sent.every(f => countChars((f as { content: string }).content) <= 5000), `${scenario}: no frame carries more than the cap`)
  }
  // an answer within the cap is untouched
  const short = await ask(host, a, '@ai [[scenario:huge:4999]] almost')
  assert.equal(short.status, 'complete')
  assert.equal(short.stop_reason, undefined)
  assert.equal(countChars(short.content), 4999)

  await host.restart()
  assert.equal((await call('GET', '/api/admin/settings')).body.settings.ai_max_answer_chars, 5000, 'kept across a restart')
})

test('the cap given at launch locks the setting and applies', async (t) => {
  const config = loadConfig({ argv: ['--ai-max-answer-chars', '2000'], env: {}, randomToken: () => 'admin-token-for-tests-0123456789' })
  assert.equal(config.aiMaxAnswerChars, 2000)
  assert.equal(config.lockedSettings?.ai_max_answer_chars, '--ai-max-answer-chars')
  assert.equal(loadConfig({ argv: [], env: { MINDWEB_AI_MAX_ANSWER_CHARS: '3000' }, randomToken: () => 'x'.repeat(16) }).aiMaxAnswerChars, 3000)
  assert.equal(loadConfig({ argv: [], env: {}, randomToken: () => 'x'.repeat(16) }).aiMaxAnswerChars, 100_000)
  assert.throws(() => loadConfig({ argv: ['--ai-max-answer-chars', '10'], env: {}, randomToken: () => 'x'.repeat(16) }), (err: unknown) =>
    err instanceof ConfigError && /--ai-max-answer-chars must be between 1000 and 1000000/.test(err.message))

  const { host } = await aiHost(t, { aiMaxAnswerChars: 2000, lockedSettings: { ai_max_answer_chars: '--ai-max-answer-chars' } })
  const res = await admin(host)('PUT', '/api/admin/settings', { ai_max_answer_chars: 5000 })
  assert.equal(res.status, 409)
  assert.equal(res.body.error.code, 'ERR_SETTING_LOCKED')
  assert.match(res.body.error.message, /--ai-max-answer-chars/)
  const a = await host.connect((await host.join('Kim')).token)
  const end = await ask(host, a, '@ai [[scenario:huge-delta]] go')
  assert.equal(countChars(end.content), 2000)
})

test('review answers first: a cut answer reaches the host whole as kept, and is released still marked cut', async (t) => {
  const { host } = await aiHost(t, { aiMode: 'approve' })
  const call = admin(host)
  assert.equal((await call('PUT', '/api/admin/settings', { review_answers: true, ai_max_answer_chars: 3000 })).status, 200)
  const console_ = await adminSocket(t, host)
  const a = await host.connect((await host.join('Kim')).token)
  a.chat('@ai [[scenario:huge]] everything', 'q1')
  const [update] = await a.waitType('question_update')
  assert.equal((await call('POST', `/api/admin/questions/${update!.message_id}/approve`, {})).status, 200)
  const [ready] = await console_.waitFor(f => (f as { type: string, status?: string }).type === 'ai_review' && (f as { status?: string }).status === 'ready', 1, 15_000) as Array<{ id: number, content: string }>
  assert.ok(ready!.content === hugeAnswer(3000))
  assert.equal((await call('POST', `/api/admin/replies/${ready!.id}/release`, {})).status, 200)
  const [end] = await a.waitFor(isEndOf(ready!.id)) as AiMessageEndFrame[]
  assert.ok(end!.content === hugeAnswer(3000))
  assert.equal(end!.status, 'stopped')
  assert.equal(end!.stop_reason, 'length')
  assert.equal(end!.cut_at_chars, 3000)
})

test('the lesson summary: its input stays bounded with cut answers, and the summary itself is capped', async (t) => {
  const base: StoredMessage = {
    id: 1,
    seq: 1,
    role: 'user',
    content: '',
    status: 'complete',
    userId: 1,
    username: 'Kim',
    emoji: '🙂',
    createdAt: 0,
    endedAt: null,
    replyTo: null,
    clientMsgId: null,
    asksAi: false,
    citations: null,
    error: null,
    conversationId: null,
    usage: null,
    steps: null,
    sessionId: 1,
    hiddenAt: null,
    cutAtChars: null,
    isEditedByHost: false,
    suggestions: null,
    isAnonymous: false,
    isTeachersAnswer: false,
    difyMessageId: null,
    hostRating: null,
    files: null
  }
  const message = (over: Partial<StoredMessage>): StoredMessage => ({ ...base, ...over })
  const transcript = lessonTranscript([
    message({ content: 'first question' }),
    message({ role: 'assistant', status: 'stopped', content: hugeAnswer(ANSWER_LIMIT.default), cutAtChars: ANSWER_LIMIT.default }),
    message({ content: 'second question' }),
    message({ role: 'assistant', status: 'stopped', content: hugeAnswer(ANSWER_LIMIT.default), cutAtChars: ANSWER_LIMIT.default })
  ])
  assert.ok(transcript.length <= MAX_TRANSCRIPT_CHARS + 2)
  assert.match(transcript, /Kim: first question/, 'a long answer does not push the questions out')
  assert.match(transcript, /Kim: second question/)

  const { host, dify } = await aiHost(t)
  const call = admin(host)
  assert.equal((await call('PUT', '/api/admin/settings', { ai_max_answer_chars: 1500 })).status, 200)
  const a = await host.connect((await host.join('Kim')).token)
  // the question's directive is in the transcript, so the summary request streams a huge answer too
  await ask(host, a, '@ai [[scenario:huge]] everything')
  const res = await call('POST', '/api/admin/summary')
  assert.equal(res.status, 200, JSON.stringify(res.body).slice(0, 300))
  assert.ok(countChars(res.body.summary) <= 1500, `summary of ${countChars(res.body.summary)} characters`)
  const asked = dify.requests.filter(r => r.path === '/v1/chat-messages').at(-1)!.body as { query: string }
  assert.ok(asked.query.length < MAX_TRANSCRIPT_CHARS + 1000)
  await until('the summary stream to be stopped', () => dify.requests.filter(r => r.path.endsWith('/stop')).length === 2)
})
