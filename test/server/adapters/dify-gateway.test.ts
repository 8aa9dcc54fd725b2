import { test, type TestContext } from 'node:test'
import assert from 'node:assert/strict'
import { MockAgent } from 'undici'
import { createDifyGateway, type DifyGatewayOptions } from '../../../server/adapters/dify-gateway.js'
import { AppError } from '../../../server/errors.js'
import type { AiGateway, ReplyEvent, ReplyRequest } from '../../../server/ports.js'
import { startFakeDify, type FakeDify, type FakeDifyOptions } from '../../helpers/fake-dify.js'
import { chatAnswer } from '../../helpers/fake-dify/content.js'
import { freePort } from '../../helpers/net.js'

const KEY = 'app-S3CRET-key-0123456789'
/** undici runs header/body timeouts on its coarse timer (~0.5 s ticks): a 300 ms timeout fires within ~1 s. */
const UNDICI_TIMER_SLACK_MS = 2000

interface LogCall { level: 'warn' | 'debug', obj: object, msg: string }

interface Harness {
  fake: FakeDify
  ai: AiGateway
  logs: LogCall[]
}

async function setup (t: TestContext, gateway: Partial<DifyGatewayOptions> = {}, fake: FakeDifyOptions = {}): Promise<Harness> {
  const server = await startFakeDify({ apiKey: KEY, tokenDelayMs: 2, pingIntervalMs: 50, pingChance: 0.1, ...fake })
  const logs: LogCall[] = []
  const ai = createDifyGateway({
    baseUrl: server.url,
    apiKey: KEY,
    idleTimeoutMs: 3000,
    deadlineMs: 10_000,
    retries: 2,
    retryBaseMs: 10,
    logger: {
      warn: (obj, msg) => { logs.push({ level: 'warn', obj, msg }) },
      debug: (obj, msg) => { logs.push({ level: 'debug', obj, msg }) }
    },
    ...gateway
  })
  t.after(async () => {
    await ai.close()
    await server.close()
  })
  return { fake: server, ai, logs }
}

interface Outcome {
  events: ReplyEvent[]
  text: string
  error: unknown
  ms: number
}

/** Runs one reply to the end, collecting events, the answer text and the error, never throwing. */
async function collect (ai: AiGateway, query: string, more: Partial<ReplyRequest> = {}, signal = new AbortController().signal, onEvent?: (e: ReplyEvent) => void): Promise<Outcome> {
  const events: ReplyEvent[] = []
  let text = ''
  let error: unknown = null
  const started = Date.now()
  try {
    for await (const event of ai.streamReply({ query, user: 'room-1', conversationId: null, ...more }, signal)) {
      events.push(event)
      if (event.type === 'delta') text += event.text
      if (event.type === 'replace') text = event.text
      onEvent?.(event)
    }
  } catch (err) {
    error = err
  }
  return { events, text, error, ms: Date.now() - started }
}

function chatRequests (fake: FakeDify): number {
  return fake.requests.filter((r) => r.method === 'POST' && r.path === '/v1/chat-messages').length
}

function assertAppError (error: unknown, code: string): AppError {
  assert.ok(error instanceof AppError, `expected ${code}, got ${String(error)}`)
  assert.equal(error.code, code, error.message)
  return error
}

function endOf (outcome: Outcome): Extract<ReplyEvent, { type: 'end' }> {
  assert.equal(outcome.error, null, String(outcome.error))
  const end = outcome.events.at(-1)
  assert.ok(end?.type === 'end', 'the last event is end')
  assert.equal(outcome.events.filter((e) => e.type === 'end').length, 1)
  return end
}

// ---------------------------------------------------------------- happy paths

test('streams a chat answer: meta first, Markdown deltas, one end with usage', async (t) => {
  const { fake, ai } = await setup(t)
  const outcome = await collect(ai, 'How do we plan the sprint?')
  const end = endOf(outcome)
  const meta = outcome.events[0]
  assert.ok(meta?.type === 'meta')
  assert.match(meta.conversationId ?? '', /^[0-9a-f-]{36}$/)
  assert.match(meta.taskId ?? '', /^[0-9a-f-]{36}$/)
  assert.equal(outcome.text, chatAnswer('How do we plan the sprint?', false))
  assert.equal(end.hasEndEvent, true)
  assert.deepEqual(end.citations, [])
  assert.equal(typeof end.usage?.total_tokens, 'number')

  const sent = fake.requests.at(-1)
  assert.equal(sent?.isAuthorized, true)
  assert.equal(sent?.headers.authorization, 'Bearer [redacted]')
  assert.match(String(sent?.headers['content-type']), /application\/json/)
  assert.deepEqual(sent?.body, {
    inputs: {},
    query: 'How do we plan the sprint?',
    user: 'room-1',
    conversation_id: '',
    response_mode: 'streaming',
    auto_generate_name: true
  })
})

test('continues the same conversation when its id is passed back', async (t) => {
  const { fake, ai } = await setup(t)
  const first = await collect(ai, 'first')
  const meta = first.events[0]
  assert.ok(meta?.type === 'meta' && meta.conversationId !== null)
  const second = await collect(ai, 'second', { conversationId: meta.conversationId, inputs: { topic: 'x' } })
  const meta2 = second.events[0]
  assert.ok(meta2?.type === 'meta')
  assert.equal(meta2.conversationId, meta.conversationId)
  assert.notEqual(meta2.taskId, meta.taskId)
  assert.deepEqual((fake.requests.at(-1)?.body as Record<string, unknown>).inputs, { topic: 'x' })
})

test('keeps citations from message_end when the knowledge base was used', async (t) => {
  const { ai } = await setup(t)
  const end = endOf(await collect(ai, 'please cite the handbook'))
  assert.deepEqual(end.citations, [{
    position: 1,
    document_name: 'handbook.md',
    dataset_name: 'Team handbook',
    content: 'Answers should always name their sources. 回答应当注明出处。',
    score: 0.8731
  }])
})

test('agent: steps are upserted and the answer is only the agent_message deltas', async (t) => {
  const { ai } = await setup(t)
  const outcome = await collect(ai, 'What time is it? [[scenario:agent]]')
  endOf(outcome)
  assert.equal(outcome.events[0]?.type, 'meta')
  assert.equal(outcome.events[1]?.type, 'step')
  const steps = outcome.events.flatMap((e) => e.type === 'step' ? [e.step] : [])
  assert.equal(steps.length, 5)
  assert.equal(steps[1]?.tool, 'current_time')
  assert.match(outcome.text, /^I checked the clock .* 明白了！$/)
  assert.equal(steps.at(-1)?.thought, outcome.text)
})

test('agent with a tool image: the relative file url is resolved against the API origin', async (t) => {
  const { fake, ai } = await setup(t)
  const outcome = await collect(ai, 'Draw it [[scenario:agent-file]]')
  endOf(outcome)
  const file = outcome.events.find((e) => e.type === 'file')
  assert.ok(file?.type === 'file')
  assert.equal(file.fileType, 'image')
  assert.ok(file.url.startsWith(`${fake.origin}/files/tools/`), file.url)
  const image = await fetch(file.url)
  assert.equal(image.headers.get('content-type'), 'image/png')
  await image.arrayBuffer()
})

for (const scenario of ['chatflow', 'chatflow-docs-order']) {
  test(`${scenario}: progress, text and a single end after both terminal events`, async (t) => {
    const { ai } = await setup(t)
    const outcome = await collect(ai, `Route this [[scenario:${scenario}]]`)
    endOf(outcome)
    assert.equal(outcome.events[0]?.type, 'meta')
    const labels = outcome.events.flatMap((e) => e.type === 'progress' ? [e.label] : [])
    assert.deepEqual(labels.slice(0, 4), ['Workflow started', 'Start', 'Start: succeeded', 'LLM'])
    assert.ok(labels.includes('Workflow succeeded'))
    assert.match(outcome.text, /^\*\*Chatflow answer\*\* to “Route this”.*✅$/)
  })
}

test('chatflow failure: the error frame after workflow_finished fails the reply', async (t) => {
  const { ai } = await setup(t)
  const outcome = await collect(ai, 'Break [[scenario:chatflow-failed]]')
  const err = assertAppError(outcome.error, 'ERR_AI_BAD_REQUEST')
  assert.match(err.message, /Run failed/)
})

test('message_replace replaces the whole answer', async (t) => {
  const { ai } = await setup(t)
  const outcome = await collect(ai, 'Say something bad [[scenario:replace]]')
  endOf(outcome)
  assert.ok(outcome.events.some((e) => e.type === 'replace'))
  assert.equal(outcome.text, "Sorry, I can't help with that. 抱歉，这个问题我无法回答。")
})

test('text deltas labelled message_file are kept as text', async (t) => {
  const { ai } = await setup(t)
  const outcome = await collect(ai, 'With an image [[scenario:message-file-text]]')
  endOf(outcome)
  assert.equal(outcome.text, chatAnswer('With an image', false))
  assert.ok(!outcome.events.some((e) => e.type === 'file'))
})

for (const scenario of ['tts', 'ping-after-end']) {
  test(`${scenario}: frames after message_end are drained and end comes once, last`, async (t) => {
    const { fake, ai } = await setup(t)
    const outcome = await collect(ai, `Read it aloud [[scenario:${scenario}]]`)
    const end = endOf(outcome)
    assert.equal(end.hasEndEvent, true)
    assert.equal(outcome.text, chatAnswer('Read it aloud', false))
    assert.deepEqual([...new Set(outcome.events.map((e) => e.type))], ['meta', 'delta', 'end'])
    assert.equal(fake.stats.open, 0)
  })
}

test('replays the fixtures of both JSON eras and the proxy quirks byte-for-byte', async (t) => {
  const { ai, logs } = await setup(t)
  for (const name of ['chat-basic', 'chat-basic-legacy']) {
    const outcome = await collect(ai, `[[scenario:fixture:${name}]]`)
    endOf(outcome)
    assert.equal(outcome.text, 'Hello! 你好，有什么可以帮你？', name)
    assert.deepEqual(outcome.events[0], { type: 'meta', conversationId: '9f1c2b4e-6a0d-4c1e-9a57-3f0e8b2d7c11', taskId: 'c1d2e3f4-a5b6-4c7d-8e9f-0a1b2c3d4e5f', messageId: '4b7e1d2a-8c3f-4e5a-b6d7-0a1b2c3d4e5f' })
  }
  assert.equal((await collect(ai, '[[scenario:fixture:agent-tool]]')).text, 'It is 10:00 UTC.')
  assert.equal((await collect(ai, '[[scenario:fixture:chatflow-basic]]')).text, 'The capital of France is Paris.')
  const quirks = await collect(ai, '[[scenario:fixture:quirks-crlf]]')
  assert.equal(endOf(quirks).hasEndEvent, true)
  assert.equal(quirks.text, 'ABC 🎉 完')
  assert.ok(logs.some((l) => l.level === 'warn' && /not JSON/.test(l.msg)), 'the broken line is logged')
})

// ---------------------------------------------------------------- bytes split anywhere

test('byte-split fuzz: 20 seeds and both JSON eras give the identical text', async (t) => {
  const { ai } = await setup(t, {}, { pingChance: 0.3 })
  const question = 'Fuzz 你好 🚀 — split me anywhere'
  const expected = chatAnswer(question, false)
  const runs = await Promise.all(Array.from({ length: 20 }, async (_, seed) => await Promise.all([
    collect(ai, `${question} [[seed:${seed + 1}]] [[delay:1]]`, { user: `fuzz-${seed}` }),
    collect(ai, `${question} [[seed:${seed + 101}]] [[delay:1]] [[encoding:legacy]]`, { user: `fuzz-${seed}` })
  ])))
  for (const [modern, legacy] of runs) {
    endOf(modern)
    endOf(legacy)
    assert.equal(modern.text, expected)
    assert.equal(legacy.text, expected)
  }
  assert.ok(expected.includes('你好，世界！') && expected.includes('🚀✨👩‍💻'))
  assert.ok(!expected.includes('\uFFFD'))
})

test('parallel replies each get their own stream (keep-alive pool)', async (t) => {
  const { fake, ai } = await setup(t)
  const outcomes = await Promise.all(Array.from({ length: 6 }, async (_, i) => await collect(ai, `parallel ${i}`, { user: `u${i}` })))
  outcomes.forEach((o, i) => assert.equal(o.text, chatAnswer(`parallel ${i}`, false)))
  assert.equal(fake.stats.maxOpen, 6)
})

// ---------------------------------------------------------------- streams that go wrong

test('EOF without message_end ends the reply with hasEndEvent false, text kept', async (t) => {
  const { ai } = await setup(t)
  const outcome = await collect(ai, '[[scenario:no-end]]')
  const end = endOf(outcome)
  assert.equal(end.hasEndEvent, false)
  assert.equal(outcome.text, 'This answer just stops without a message_end — 没有结束事件')
})

test('a connection cut mid-stream fails with ERR_AI_STREAM_CUT, keeps the text and is not retried', async (t) => {
  const { fake, ai } = await setup(t)
  const outcome = await collect(ai, '[[scenario:cut]]')
  assertAppError(outcome.error, 'ERR_AI_STREAM_CUT')
  assert.ok(outcome.text.startsWith('The connection will be cut'), outcome.text)
  assert.equal(chatRequests(fake), 1)
})

test('an error frame mid-stream fails the reply after the partial text', async (t) => {
  const { fake, ai } = await setup(t)
  const outcome = await collect(ai, '[[scenario:error-mid]]')
  const err = assertAppError(outcome.error, 'ERR_AI_UPSTREAM')
  assert.match(err.message, /Rate Limit Error/)
  assert.equal(outcome.text, 'I started answering, but then')
  const fiveHundred = await collect(ai, '[[scenario:error-500-frame]]')
  assertAppError(fiveHundred.error, 'ERR_AI_UPSTREAM')
  assert.equal(chatRequests(fake), 2)
})

test('a slow first byte within the idle timeout is fine', async (t) => {
  const { ai } = await setup(t, { idleTimeoutMs: 2000 })
  const outcome = await collect(ai, 'wait [[scenario:slow-first-byte:400]]')
  endOf(outcome)
  assert.ok(outcome.ms >= 350, `${outcome.ms} ms`)
})

test('no first byte within the idle timeout: ERR_AI_IDLE_TIMEOUT without a retry', async (t) => {
  // No pings either: Dify's first ping (10 s) would otherwise carry the headers.
  const { fake, ai } = await setup(t, { idleTimeoutMs: 300 }, { pingIntervalMs: 60_000, pingChance: 0 })
  const outcome = await collect(ai, 'wait [[scenario:slow-first-byte:5000]]')
  assertAppError(outcome.error, 'ERR_AI_IDLE_TIMEOUT')
  assert.ok(outcome.ms < UNDICI_TIMER_SLACK_MS, `${outcome.ms} ms`)
  assert.equal(chatRequests(fake), 1)
})

test('a stalled stream fails quickly with ERR_AI_IDLE_TIMEOUT and keeps the text', async (t) => {
  const { fake, ai } = await setup(t, { idleTimeoutMs: 300 })
  const outcome = await collect(ai, '[[scenario:stall]]')
  assertAppError(outcome.error, 'ERR_AI_IDLE_TIMEOUT')
  assert.equal(outcome.text, 'I will now go silent ... 然后沉默')
  assert.ok(outcome.ms < UNDICI_TIMER_SLACK_MS, `${outcome.ms} ms`)
  await waitFor(() => fake.stats.open === 0)
})

test('the overall deadline fails a long answer with ERR_AI_DEADLINE', async (t) => {
  const { ai } = await setup(t, { deadlineMs: 400 }, { tokenDelayMs: 20 })
  const outcome = await collect(ai, '[[scenario:slow]]')
  const err = assertAppError(outcome.error, 'ERR_AI_DEADLINE')
  assert.equal(err.statusCode, 504)
  assert.ok(outcome.text.length > 0)
  assert.ok(outcome.ms < 1200, `${outcome.ms} ms`)
})

test('the caller aborting stops the request promptly and rethrows the abort', async (t) => {
  const { fake, ai } = await setup(t, {}, { tokenDelayMs: 20 })
  const controller = new AbortController()
  let abortedAt = 0
  const outcome = await collect(ai, '[[scenario:slow]]', {}, controller.signal, (event) => {
    if (event.type === 'delta' && abortedAt === 0) { abortedAt = Date.now(); controller.abort() }
  })
  assert.ok(!(outcome.error instanceof AppError))
  assert.equal((outcome.error as Error).name, 'AbortError')
  assert.ok(Date.now() - abortedAt < 300)
  await waitFor(() => fake.stats.open === 0)
})

test('the caller aborting during a retry backoff stops at once', async (t) => {
  const { fake, ai } = await setup(t, { retryBaseMs: 5000 })
  const controller = new AbortController()
  setTimeout(() => controller.abort(), 100)
  const outcome = await collect(ai, '[[scenario:http-429:9]]', {}, controller.signal)
  assert.equal((outcome.error as Error).name, 'AbortError')
  assert.ok(outcome.ms < 600, `${outcome.ms} ms`)
  assert.equal(chatRequests(fake), 1)
})

test('an already aborted signal never reaches the network', async (t) => {
  const { fake, ai } = await setup(t)
  const outcome = await collect(ai, 'hello', {}, AbortSignal.abort())
  assert.equal((outcome.error as Error).name, 'AbortError')
  assert.equal(chatRequests(fake), 0)
})

test('leaving the loop early closes the upstream stream', async (t) => {
  const { fake, ai } = await setup(t, {}, { tokenDelayMs: 20 })
  for await (const event of ai.streamReply({ query: '[[scenario:slow]]', user: 'u', conversationId: null }, new AbortController().signal)) {
    if (event.type === 'delta') break
  }
  await waitFor(() => fake.stats.open === 0)
})

// ---------------------------------------------------------------- errors before the stream, retries

test('a refused key fails with ERR_AI_AUTH at once and a clear message', async (t) => {
  const { fake } = await setup(t)
  const ai = createDifyGateway({ baseUrl: fake.url, apiKey: 'app-wrong', idleTimeoutMs: 2000, deadlineMs: 5000, retries: 2, retryBaseMs: 10 })
  t.after(async () => { await ai.close() })
  const outcome = await collect(ai, 'hello')
  const err = assertAppError(outcome.error, 'ERR_AI_AUTH')
  assert.equal(err.message, "The host's AI key was refused by the AI service.")
  assert.equal(chatRequests(fake), 1)
  await assert.rejects(ai.appInfo(), { code: 'ERR_AI_AUTH' })
})

const FAILURES: Array<[string, string, number]> = [
  ['http-401', 'ERR_AI_AUTH', 1],
  ['http-403', 'ERR_AI_UNAVAILABLE', 1],
  ['http-400-quota', 'ERR_AI_QUOTA', 1],
  ['http-400-app-unavailable', 'ERR_AI_UNAVAILABLE', 1],
  ['http-400-not-chat-app', 'ERR_AI_UNAVAILABLE', 1],
  ['http-429-quota', 'ERR_AI_QUOTA', 1],
  ['http-429:9', 'ERR_AI_BUSY', 3],
  ['concurrency-400', 'ERR_AI_BUSY', 3],
  ['http-500', 'ERR_AI_UPSTREAM', 3],
  ['http-500-legacy', 'ERR_AI_UPSTREAM', 3],
  ['http-500-html', 'ERR_AI_UPSTREAM', 3]
]
for (const [scenario, code, attempts] of FAILURES) {
  test(`${scenario} → ${code} after ${attempts} attempt(s)`, async (t) => {
    const { fake, ai } = await setup(t)
    const outcome = await collect(ai, `hello [[scenario:${scenario}]]`)
    assertAppError(outcome.error, code)
    assert.equal(outcome.events.length, 0)
    assert.equal(chatRequests(fake), attempts)
  })
}

for (const [scenario, attempts] of [['http-429:2', 3], ['http-502-html', 2], ['concurrency-400:1', 2]] as const) {
  test(`${scenario} then success: retried before the first byte (${attempts} attempts)`, async (t) => {
    const { fake, ai, logs } = await setup(t)
    const outcome = await collect(ai, `hello [[scenario:${scenario}]]`)
    endOf(outcome)
    assert.equal(outcome.text, chatAnswer('hello', false))
    assert.equal(chatRequests(fake), attempts)
    assert.equal(logs.filter((l) => /retrying/.test(l.msg)).length, attempts - 1)
  })
}

test('Retry-After is honoured (capped)', async (t) => {
  const { fake, ai } = await setup(t, { maxRetryAfterMs: 250 })
  const outcome = await collect(ai, 'hello [[scenario:http-429-html]]')
  endOf(outcome)
  assert.equal(chatRequests(fake), 2)
  assert.ok(outcome.ms >= 240 && outcome.ms < 1000, `${outcome.ms} ms`)
})

test('a gone conversation fails with ERR_AI_CONVERSATION_NOT_FOUND; a new one then works', async (t) => {
  const { fake, ai } = await setup(t)
  const gone = await collect(ai, 'again [[scenario:http-404-conversation]]', { conversationId: '0b0e4a54-0f7c-4b55-9d69-6b1c4f1f2a11' })
  assertAppError(gone.error, 'ERR_AI_CONVERSATION_NOT_FOUND')
  const fresh = await collect(ai, 'again [[scenario:http-404-conversation]]')
  endOf(fresh)
  const unknown = await collect(ai, 'plain', { conversationId: '3c1d8c8e-2b5e-4c3a-9d7f-111111111111' })
  assertAppError(unknown.error, 'ERR_AI_CONVERSATION_NOT_FOUND')
  assert.equal(chatRequests(fake), 3)
})

test('a wrong base URL (404 on the route) is not mistaken for a gone conversation', async (t) => {
  const { fake } = await setup(t)
  const ai = createDifyGateway({ baseUrl: `${fake.origin}/api`, apiKey: KEY, idleTimeoutMs: 2000, deadlineMs: 5000, retries: 2, retryBaseMs: 10 })
  t.after(async () => { await ai.close() })
  const outcome = await collect(ai, 'hello', { conversationId: '3c1d8c8e-2b5e-4c3a-9d7f-111111111111' })
  const err = assertAppError(outcome.error, 'ERR_AI_UNAVAILABLE')
  assert.match(err.message, /\/v1/)
})

test('connection refused: ERR_AI_UNREACHABLE after the retries', async (t) => {
  const port = await freePort()
  const logs: LogCall[] = []
  const ai = createDifyGateway({
    baseUrl: `http://127.0.0.1:${port}/v1`,
    apiKey: KEY,
    idleTimeoutMs: 1000,
    deadlineMs: 5000,
    retries: 2,
    retryBaseMs: 10,
    logger: { warn: (obj, msg) => { logs.push({ level: 'warn', obj, msg }) } }
  })
  t.after(async () => { await ai.close() })
  const outcome = await collect(ai, 'hello')
  const err = assertAppError(outcome.error, 'ERR_AI_UNREACHABLE')
  assert.equal(err.statusCode, 502)
  assert.equal(err.isRetryable, true)
  assert.equal(logs.filter((l) => /retrying/.test(l.msg)).length, 2)
  await assert.rejects(ai.appInfo(), { code: 'ERR_AI_UNREACHABLE' })
  await ai.stop('task', 'user')
  assert.ok(logs.some((l) => /stop/.test(l.msg)))
  assert.ok(!JSON.stringify(logs).includes(KEY))
})

// ---------------------------------------------------------------- stop, app info, close, secrets

test('stop() reaches Dify and the stream then ends normally with message_end', async (t) => {
  const { fake, ai } = await setup(t, {}, { tokenDelayMs: 20 })
  let stoppedAt = 0
  const outcome = await collect(ai, 'a long one [[scenario:slow]]', { user: 'room-9' }, undefined, (event) => {
    if (event.type === 'meta' && event.taskId !== null) {
      stoppedAt = Date.now()
      ai.stop(event.taskId, 'room-9').catch(() => {})
    }
  })
  const end = endOf(outcome)
  assert.equal(end.hasEndEvent, true)
  assert.ok(Date.now() - stoppedAt < 500)
  assert.ok(outcome.text.length < 200, `${outcome.text.length} chars`)
  const stop = fake.requests.find((r) => r.path.endsWith('/stop'))
  assert.deepEqual(stop?.body, { user: 'room-9' })
  assert.match(stop?.path ?? '', /^\/v1\/chat-messages\/[0-9a-f-]{36}\/stop$/)
})

test('stop() also ends a stalled stream', async (t) => {
  const { ai } = await setup(t, { idleTimeoutMs: 5000 })
  const outcome = await collect(ai, '[[scenario:stall]]', {}, undefined, (event) => {
    if (event.type === 'meta' && event.taskId !== null) setTimeout(() => { ai.stop(event.taskId ?? '', 'room-1').catch(() => {}) }, 100)
  })
  assert.equal(endOf(outcome).hasEndEvent, true)
  assert.ok(outcome.ms < 2000)
})

test('appInfo() returns the opening statement and suggested questions', async (t) => {
  const { fake, ai } = await setup(t)
  const info = await ai.appInfo()
  assert.match(info.openingStatement ?? '', /@ai/)
  assert.equal(info.suggestedQuestions.length, 3)
  assert.equal(fake.requests.at(-1)?.path, '/v1/parameters')
})

test('close() refuses new replies', async (t) => {
  const { ai } = await setup(t)
  await ai.close()
  const outcome = await collect(ai, 'hello')
  assertAppError(outcome.error, 'ERR_SHUTTING_DOWN')
})

test('the API key never appears in errors, events or log lines', async (t) => {
  const { ai, logs } = await setup(t, { idleTimeoutMs: 300 })
  const seen: unknown[] = []
  for (const scenario of ['chat', 'cut', 'error-mid', 'stall', 'http-401', 'http-429:9', 'http-500-html', 'fixture:quirks-crlf', 'chatflow-failed']) {
    const outcome = await collect(ai, `x [[scenario:${scenario}]]`)
    seen.push(outcome.events)
    if (outcome.error instanceof Error) seen.push({ message: outcome.error.message, stack: outcome.error.stack })
  }
  await ai.stop('no-such-task', 'room-1')
  const everything = JSON.stringify([seen, logs])
  assert.ok(logs.length > 0)
  assert.ok(!everything.includes(KEY))
  assert.ok(!everything.includes('S3CRET'))
})

// ---------------------------------------------------------------- the fake answers like Dify

test('the fake checks auth, content type and the body the way Dify does', async (t) => {
  const { fake } = await setup(t)
  const post = async (path: string, body: unknown, headers: Record<string, string> = {}): Promise<{ status: number, text: string, headers: Headers }> => {
    const res = await fetch(`${fake.url}${path}`, {
      method: 'POST',
      headers: { authorization: `bearer ${KEY}`, 'content-type': 'application/json', ...headers },
      body: typeof body === 'string' ? body : JSON.stringify(body)
    })
    return { status: res.status, text: await res.text(), headers: res.headers }
  }
  const noAuth = await post('/chat-messages', {}, { authorization: '' })
  assert.equal(noAuth.status, 401)
  assert.equal(noAuth.headers.get('www-authenticate'), 'Bearer realm="api"')
  assert.equal(noAuth.text, '{"code": "unauthorized", "message": "Authorization header must be provided and start with \'Bearer\'", "status": 401}\n')
  assert.equal((await post('/chat-messages', {}, { authorization: `Basic ${KEY}` })).status, 401)
  assert.equal((await post('/chat-messages', 'x', { 'content-type': 'text/plain' })).status, 415)
  assert.match((await post('/chat-messages', { inputs: {}, query: 'q' })).text, /Arg user must be provided/)
  assert.match((await post('/chat-messages', { user: 'u', query: 'q' })).text, /inputs\\n {2}Field required/)
  assert.match((await post('/chat-messages', { user: 'u', inputs: {}, query: ' ' })).text, /query is required/)
  assert.match((await post('/chat-messages', { user: 'u', inputs: {}, query: 'q', conversation_id: 'nope' })).text, /valid UUID/)
  assert.match((await post('/chat-messages', { user: 'u', inputs: {}, query: 'q [[scenario:nope]]' })).text, /Unknown fake scenario/)
  assert.equal((await post('/chat-messages/abc/stop', {})).status, 400)
  assert.equal((await post('/chat-messages/abc/stop', { user: 'u' })).text, '{"result": "success"}\n')
  const blocking = await post('/chat-messages', { user: 'u', inputs: {}, query: 'hi', response_mode: 'blocking' })
  assert.match(blocking.text, /^\{"event": "message", "task_id": ".*"answer": "## Re: hi\\n\\nYou asked: \\u201chi\\u201d/)
  assert.equal((await fetch(`${fake.url}/info`, { headers: { authorization: `Bearer ${KEY}` } })).status, 200)
  assert.equal((await fetch(`${fake.url}/parameters`, { method: 'DELETE', headers: { authorization: `Bearer ${KEY}` } })).status, 405)
})

test('the fake streams SSE with the exact 13-byte ping frame and no event lines on data', async (t) => {
  const { fake } = await setup(t, {}, { pingIntervalMs: 5, tokenDelayMs: 3 })
  const res = await fetch(`${fake.url}/chat-messages`, {
    method: 'POST',
    headers: { authorization: `Bearer ${KEY}`, 'content-type': 'application/json' },
    body: JSON.stringify({ user: 'u', inputs: {}, query: 'hi', response_mode: 'streaming' })
  })
  assert.equal(res.headers.get('content-type'), 'text/event-stream; charset=utf-8')
  const text = await res.text()
  assert.ok(text.includes('\n\nevent: ping\n\ndata: {"event":"'))
  for (const block of text.split('\n\n').filter((b) => b !== '')) {
    assert.ok(block === 'event: ping' || /^data: \{"event":"[a-z_]+","conversation_id":"/.test(block), block.slice(0, 80))
  }
  // Pings may trail message_end, as in Dify.
  assert.ok(text.replace(/(event: ping\n\n)+$/, '').endsWith('"files":null}\n\n'))
})

// ---------------------------------------------------------------- odd answers (undici MockAgent)

function mockDify (t: TestContext): { mock: MockAgent, ai: AiGateway } {
  const mock = new MockAgent()
  mock.disableNetConnect()
  const ai = createDifyGateway({ baseUrl: 'http://dify.test/v1/', apiKey: KEY, idleTimeoutMs: 1000, deadlineMs: 5000, retries: 0, retryBaseMs: 10, dispatcher: mock })
  t.after(async () => { await ai.close(); await mock.close() })
  return { mock, ai }
}

test('a 200 web page instead of a stream (captive portal, proxy) is an upstream error', async (t) => {
  const { mock, ai } = mockDify(t)
  mock.get('http://dify.test').intercept({ path: '/v1/chat-messages', method: 'POST' })
    .reply(200, '<html><title>Sign in to the Wi-Fi</title></html>', { headers: { 'content-type': 'text/html' } })
  const outcome = await collect(ai, 'hello')
  assertAppError(outcome.error, 'ERR_AI_UPSTREAM')
})

test('a blocking JSON answer where a stream was asked for still yields the answer', async (t) => {
  const { mock, ai } = mockDify(t)
  const body = '{"event": "message", "task_id": "t-1", "id": "m-1", "message_id": "m-1", "conversation_id": "c-1", "mode": "chat", "answer": "Hello! \\u4f60\\u597d", "metadata": {"retriever_resources": [], "usage": {"total_tokens": 3}}, "created_at": 1770180000}'
  mock.get('http://dify.test').intercept({ path: '/v1/chat-messages', method: 'POST' })
    .reply(200, body, { headers: { 'content-type': 'application/json' } })
  const outcome = await collect(ai, 'hello')
  assert.equal(outcome.text, 'Hello! 你好')
  assert.deepEqual(outcome.events[0], { type: 'meta', conversationId: 'c-1', taskId: 't-1', messageId: 'm-1' })
  assert.equal(endOf(outcome).hasEndEvent, true)
})

test('a passed-in dispatcher is used (base URL trailing slash tolerated) and not closed by close()', async (t) => {
  const { mock, ai } = mockDify(t)
  mock.get('http://dify.test').intercept({ path: '/v1/parameters', method: 'GET' })
    .reply(200, { opening_statement: 'Hi', suggested_questions: ['a'] }).times(2)
  assert.deepEqual(await ai.appInfo(), { openingStatement: 'Hi', suggestedQuestions: ['a'] })
  await ai.close()
  const again = createDifyGateway({ baseUrl: 'http://dify.test/v1', apiKey: KEY, idleTimeoutMs: 1000, deadlineMs: 5000, retries: 0, retryBaseMs: 10, dispatcher: mock })
  assert.equal((await again.appInfo()).openingStatement, 'Hi')
})

async function waitFor (condition: () => boolean, timeoutMs = 2000): Promise<void> {
  const until = Date.now() + timeoutMs
  while (!condition()) {
    if (Date.now() > until) assert.fail('condition not reached in time')
    await new Promise((resolve) => setTimeout(resolve, 10))
  }
}

test('uploadFile sends one multipart file with the user to /files/upload and returns Dify\'s id', async (t) => {
  const { fake, ai } = await setup(t)
  const data = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 1, 2, 3, 4])
  const id = await ai.uploadFile!({ data, mimeType: 'image/jpeg', name: 'abc.jpg' }, 'mindweb-room-x')
  assert.match(id, /^[0-9a-f-]{36}$/)
  assert.equal(fake.uploads.length, 1)
  const upload = fake.uploads[0]!
  assert.deepEqual([upload.id, upload.user, upload.name, upload.mimeType], [id, 'mindweb-room-x', 'abc.jpg', 'image/jpeg'])
  assert.deepEqual(upload.bytes, data)
  const request = fake.requests.find(r => r.path === '/v1/files/upload')!
  assert.match(String(request.headers['content-type']), /^multipart\/form-data; boundary=/)
  assert.equal(request.headers.authorization, 'Bearer [redacted]')
  // The id is good for the same user's question, in files; another user's question is refused.
  const events: ReplyEvent[] = []
  for await (const ev of ai.streamReply({ query: 'what is this?', user: 'mindweb-room-x', conversationId: null, imageUploadIds: [id] }, AbortSignal.timeout(10_000))) events.push(ev)
  assert.equal(events.at(-1)?.type, 'end')
  const chat = fake.requests.find(r => r.path === '/v1/chat-messages')!
  assert.deepEqual((chat.body as { files: unknown }).files, [{ type: 'image', transfer_method: 'local_file', upload_file_id: id }])
  await assert.rejects(async () => {
    for await (const ev of ai.streamReply({ query: 'and this?', user: 'someone-else', conversationId: null, imageUploadIds: [id] }, AbortSignal.timeout(10_000))) events.push(ev)
  }, (err: unknown) => err instanceof AppError && err.code.startsWith('ERR_AI_'))
})

test('Dify\'s refusals of an upload become ERR_AI_* errors; the fake answers as Dify does', async (t) => {
  const { fake, ai } = await setup(t)
  await assert.rejects(ai.uploadFile!({ data: Buffer.from('x'), mimeType: 'application/pdf', name: 'notes.pdf' }, 'u'),
    (err: unknown) => err instanceof AppError && err.code.startsWith('ERR_AI_'))
  fake.failUploads({ status: 413, code: 'file_too_large', message: 'File size exceeded.' })
  await assert.rejects(ai.uploadFile!({ data: Buffer.from('x'), mimeType: 'image/png', name: 'a.png' }, 'u'),
    (err: unknown) => err instanceof AppError && err.code.startsWith('ERR_AI_'))
  fake.failUploads(null)
  // Without a file part, or without a user, as Dify answers.
  const noFile = new FormData()
  noFile.set('user', 'u')
  const res = await fetch(`${fake.url}/files/upload`, { method: 'POST', headers: { authorization: `Bearer ${KEY}` }, body: noFile })
  assert.equal(res.status, 400)
  assert.equal((await res.json() as { code: string }).code, 'no_file_uploaded')
  const noUser = new FormData()
  noUser.set('file', new Blob([new Uint8Array([1])], { type: 'image/png' }), 'a.png')
  const res2 = await fetch(`${fake.url}/files/upload`, { method: 'POST', headers: { authorization: `Bearer ${KEY}` }, body: noUser })
  assert.equal(res2.status, 400)
  assert.equal(fake.uploads.length, 0)
})
