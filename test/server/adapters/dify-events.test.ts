import { test } from 'node:test'
import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import {
  createDifyStreamMapper, mapBlockingBody, mapHttpError, mapStreamError, parseErrorBody, parseRetryAfter, redact,
  toAppInfo, toCitations
} from '../../../server/adapters/dify-events.js'
import { AppError } from '../../../server/errors.js'
import type { ReplyEvent } from '../../../server/ports.js'

const ORIGIN = 'https://dify.example.com'
const CONVERSATION = '9f1c2b4e-6a0d-4c1e-9a57-3f0e8b2d7c11'
const TASK = 'c1d2e3f4-a5b6-4c7d-8e9f-0a1b2c3d4e5f'
const MESSAGE = '4b7e1d2a-8c3f-4e5a-b6d7-0a1b2c3d4e5f'

/** The JSON payloads of a fixture, split the simple way (fixtures are well formed). */
function fixtureFrames (name: string): unknown[] {
  const text = readFileSync(new URL(`../../fixtures/dify/${name}`, import.meta.url), 'utf8')
  return text.split('\n\n').filter((block) => block.startsWith('data: ')).map((block) => JSON.parse(block.slice(6)) as unknown)
}

function run (frames: unknown[]): ReplyEvent[] {
  const mapper = createDifyStreamMapper({ apiOrigin: ORIGIN })
  return [...frames.flatMap((frame) => mapper.push(frame)), ...mapper.finish()]
}

function textOf (events: ReplyEvent[]): string {
  let text = ''
  for (const event of events) {
    if (event.type === 'delta') text += event.text
    if (event.type === 'replace') text = event.text
  }
  return text
}

test('maps the chat fixture to meta, deltas and one end with usage', () => {
  const events = run(fixtureFrames('chat-basic.sse'))
  assert.deepEqual(events[0], { type: 'meta', conversationId: CONVERSATION, taskId: TASK, messageId: MESSAGE })
  assert.deepEqual(events.filter((e) => e.type === 'delta').map((e) => e.type === 'delta' && e.text), ['Hello', '! 你好', '，有什么', '可以帮你？'])
  const end = events.at(-1)
  assert.equal(end?.type, 'end')
  if (end?.type !== 'end') return
  assert.equal(end.hasEndEvent, true)
  assert.deepEqual(end.citations, [])
  assert.equal(end.usage?.total_tokens, 25)
  assert.equal(end.usage?.total_price, '0.0000069')
  assert.equal(events.filter((e) => e.type === 'meta').length, 1)
  assert.equal(events.filter((e) => e.type === 'end').length, 1)
})

test('the json.dumps era fixture maps to exactly the same events', () => {
  assert.deepEqual(run(fixtureFrames('chat-basic-legacy.sse')), run(fixtureFrames('chat-basic.sse')))
})

test('orjson fixture lines are byte-identical to compact JSON (the fixture is faithful)', () => {
  const text = readFileSync(new URL('../../fixtures/dify/chat-basic.sse', import.meta.url), 'utf8')
  for (const line of text.split('\n').filter((l) => l.startsWith('data: '))) {
    assert.equal(JSON.stringify(JSON.parse(line.slice(6))), line.slice(6))
  }
})

test('agent: meta from the first agent_thought, steps upserted, thoughts never added to the answer', () => {
  const events = run(fixtureFrames('agent-tool.sse'))
  assert.equal(events[0]?.type, 'meta')
  assert.equal(textOf(events), 'It is 10:00 UTC.')
  const steps = events.flatMap((e) => e.type === 'step' ? [e.step] : [])
  assert.equal(steps.length, 5)
  assert.deepEqual(steps[1], {
    id: '0e6f3a1b-2c4d-4e5f-8a9b-1c2d3e4f5a6b',
    position: 1,
    thought: '',
    tool: 'current_time',
    toolInput: '{"current_time": {"timezone": "UTC"}}',
    observation: ''
  })
  assert.equal(steps[2]?.observation, '{"current_time": "2026-02-04 10:00:00"}')
  assert.equal(steps[4]?.thought, 'It is 10:00 UTC.')
  assert.equal(steps[4]?.position, 2)
})

test('message_file with a relative url becomes a file event with an absolute url', () => {
  const events = run(fixtureFrames('agent-message-file.sse'))
  const file = events.find((e) => e.type === 'file')
  assert.ok(file?.type === 'file')
  assert.equal(file.id, '6d5c4b3a-2f1e-4d0c-9b8a-7f6e5d4c3b2a')
  assert.equal(file.fileType, 'image')
  assert.ok(file.url.startsWith(`${ORIGIN}/files/tools/1a2b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d.png?timestamp=1770180003&nonce=`))
  assert.ok(file.url.endsWith('sign=3Kq1f0b9Vt2y8XrYb6cL0mH4nW7pQ2sD5eF8gJ1kA0M='))
})

test('an absolute message_file url is kept as is', () => {
  const mapper = createDifyStreamMapper({ apiOrigin: ORIGIN })
  const [event] = mapper.push({ event: 'message_file', id: 'f', type: 'image', url: 'https://files.example.com/x.png' })
  assert.deepEqual(event, { type: 'file', id: 'f', fileType: 'image', url: 'https://files.example.com/x.png' })
})

test('message_file carrying text and no url is a text delta (Dify regression, §6.12)', () => {
  const mapper = createDifyStreamMapper({ apiOrigin: ORIGIN })
  const events = mapper.push({ event: 'message_file', conversation_id: CONVERSATION, message_id: MESSAGE, task_id: TASK, id: MESSAGE, answer: 'Hi 你好', from_variable_selector: null })
  assert.deepEqual(events.slice(1), [{ type: 'delta', text: 'Hi 你好' }])
})

test('chatflow: meta from workflow_started, progress labels, one end after both terminal events', () => {
  const events = run(fixtureFrames('chatflow-basic.sse'))
  assert.equal(events[0]?.type, 'meta')
  assert.equal(textOf(events), 'The capital of France is Paris.')
  const labels = events.flatMap((e) => e.type === 'progress' ? [e.label] : [])
  assert.deepEqual(labels, ['Workflow started', 'Start', 'Start: succeeded', 'LLM', 'LLM: succeeded', 'Answer', 'Answer: succeeded', 'Workflow succeeded'])
  assert.equal(events.filter((e) => e.type === 'end').length, 1)
  assert.equal(events.at(-1)?.type, 'end')
})

test('chatflow in the docs order (message_end before workflow_finished) still ends once, last', () => {
  const frames = fixtureFrames('chatflow-basic.sse')
  const swapped = [...frames.slice(0, -2), frames.at(-1), frames.at(-2)]
  const events = run(swapped)
  assert.equal(events.filter((e) => e.type === 'end').length, 1)
  assert.equal(events.at(-1)?.type, 'end')
  assert.equal(events.at(-2)?.type, 'progress')
})

test('iteration, loop and agent_log events are progress; tts and unknown events are ignored', () => {
  const mapper = createDifyStreamMapper({ apiOrigin: ORIGIN })
  const labels = [
    { event: 'iteration_started', data: { title: 'Each city' } },
    { event: 'iteration_next', data: { title: 'Each city', index: 1 } },
    { event: 'iteration_completed', data: { title: 'Each city' } },
    { event: 'loop_started', data: { title: 'Retry loop' } },
    { event: 'node_retry', data: { title: 'HTTP', retry_index: 2 } },
    { event: 'agent_log', data: { label: 'ROUND 1' } },
    { event: 'workflow_paused', data: {} }
  ].flatMap((frame) => mapper.push(frame)).map((e) => e.type === 'progress' ? e.label : e.type)
  assert.deepEqual(labels, ['Each city', 'Each city: step 2', 'Each city: done', 'Retry loop', 'HTTP: retry 2', 'ROUND 1', 'workflow paused'])
  for (const event of ['tts_message', 'tts_message_end', 'reasoning_chunk', 'text_chunk', 'human_input_required', 'something_new']) {
    assert.deepEqual(mapper.push({ event, audio: '' }), [])
  }
  assert.deepEqual(mapper.push('not an object'), [])
  assert.deepEqual(mapper.push(null), [])
})

test('single frames: message_replace replaces, tts ignored, error frames throw mapped AppErrors', () => {
  const [replace, tts, ttsEnd, error400, error500] = fixtureFrames('single-frames.sse')
  const mapper = createDifyStreamMapper({ apiOrigin: ORIGIN })
  assert.deepEqual(mapper.push(replace).slice(1), [{ type: 'replace', text: "Sorry, I can't help with that." }])
  assert.deepEqual(mapper.push(tts), [])
  assert.deepEqual(mapper.push(ttsEnd), [])
  assert.throws(() => mapper.push(error400), (err: unknown) => {
    assert.ok(err instanceof AppError)
    assert.equal(err.code, 'ERR_AI_UPSTREAM')
    assert.equal(err.statusCode, 502)
    assert.match(err.message, /Rate Limit Error/)
    return true
  })
  assert.throws(() => mapper.push(error500), { code: 'ERR_AI_UPSTREAM', statusCode: 502 })
})

test('in-stream error codes map to our catalogue', () => {
  const cases: Array<[Record<string, unknown>, string, boolean]> = [
    [{ code: 'provider_quota_exceeded', status: 400, message: 'quota' }, 'ERR_AI_QUOTA', false],
    [{ code: 'completion_request_error', status: 400, message: '[openai] timeout' }, 'ERR_AI_UPSTREAM', false],
    [{ code: 'invalid_param', status: 400, message: 'Run failed: node exploded' }, 'ERR_AI_BAD_REQUEST', false],
    [{ code: 'internal_server_error', message: 'Internal Server Error, please contact support.', status: 500 }, 'ERR_AI_UPSTREAM', false],
    [{ code: 'provider_not_initialize', status: 400, message: 'no credentials' }, 'ERR_AI_UNAVAILABLE', false],
    [{ code: 'model_currently_not_support', status: 400, message: 'no gpt-4' }, 'ERR_AI_UNAVAILABLE', false],
    [{ code: 'invalid_param', status: 400, message: 'Too many requests. Please try again later.' }, 'ERR_AI_BUSY', true],
    [{ code: 'brand_new_code', status: 418, message: 'teapot' }, 'ERR_AI_STREAM_ERROR', false],
    [{ status: 500 }, 'ERR_AI_STREAM_ERROR', false]
  ]
  for (const [frame, code, isRetryable] of cases) {
    const err = mapStreamError({ event: 'error', ...frame })
    assert.equal(err.code, code, JSON.stringify(frame))
    assert.equal(err.isRetryable, isRetryable, JSON.stringify(frame))
    assert.ok(err.message.length > 0 && !err.message.includes('\n'))
  }
  assert.match(mapStreamError({ code: 'invalid_param', status: 400, message: 'Run failed: node exploded' }).message, /Run failed: node exploded/)
})

test('a stream without message_end finishes with hasEndEvent false', () => {
  const frames = fixtureFrames('chat-basic.sse').slice(0, 2)
  const end = run(frames).at(-1)
  assert.deepEqual(end, { type: 'end', citations: [], usage: null, hasEndEvent: false })
})

test('meta waits for a non-empty conversation_id, falls back at EOF, and is sent once', () => {
  const mapper = createDifyStreamMapper({ apiOrigin: ORIGIN })
  assert.deepEqual(mapper.push({ event: 'message', conversation_id: '', task_id: TASK, answer: 'a' }), [{ type: 'delta', text: 'a' }])
  assert.deepEqual(mapper.push({ event: 'message', answer: 'b' }), [{ type: 'delta', text: 'b' }])
  const end = mapper.push({ event: 'message_end', conversation_id: CONVERSATION, id: MESSAGE, metadata: {} })
  assert.deepEqual(end, [{ type: 'meta', conversationId: CONVERSATION, taskId: TASK, messageId: null }])
  assert.equal(mapper.push({ event: 'message', conversation_id: CONVERSATION, answer: '' }).length, 0)
  assert.deepEqual(mapper.finish().map((e) => e.type), ['end'])

  const idsOnly = createDifyStreamMapper({ apiOrigin: ORIGIN })
  idsOnly.push({ event: 'message', task_id: TASK, answer: 'x' })
  assert.deepEqual(idsOnly.finish()[0], { type: 'meta', conversationId: null, taskId: TASK, messageId: null })
  assert.deepEqual(createDifyStreamMapper({ apiOrigin: ORIGIN }).finish().map((e) => e.type), ['end'])
})

test('citations keep position, names, content and score from retriever_resources', () => {
  const citations = toCitations([
    { position: 1, dataset_id: 'd', dataset_name: 'Handbook', document_id: 'x', document_name: 'a.md', score: 0.87, content: 'Text', hit_count: 1 },
    { dataset_name: null, document_name: 'b.pdf', score: '0.5', content: null },
    'junk'
  ])
  assert.deepEqual(citations, [
    { position: 1, document_name: 'a.md', dataset_name: 'Handbook', content: 'Text', score: 0.87 },
    { position: 2, document_name: 'b.pdf', dataset_name: null, content: null, score: 0.5 }
  ])
  assert.deepEqual(toCitations(null), [])
  const mapper = createDifyStreamMapper({ apiOrigin: ORIGIN })
  mapper.push({ event: 'message_end', metadata: { retriever_resources: [{ position: 3, document_name: 'c.md' }], usage: { total_tokens: 9 } } })
  assert.deepEqual(mapper.finish().at(-1), {
    type: 'end',
    citations: [{ position: 3, document_name: 'c.md', dataset_name: null, content: null, score: null }],
    usage: { total_tokens: 9 },
    hasEndEvent: true
  })
})

test('HTTP errors before the stream map to clear codes, statuses and retryability', () => {
  const json = (code: string, message: string, status: number): string => JSON.stringify({ code, message, status })
  const cases: Array<[Parameters<typeof mapHttpError>[0], string, number, boolean]> = [
    [{ status: 401, body: json('unauthorized', 'Access token is invalid', 401) }, 'ERR_AI_AUTH', 502, false],
    [{ status: 403, body: json('forbidden', "The app's API service has been disabled.", 403) }, 'ERR_AI_UNAVAILABLE', 503, false],
    [{ status: 400, body: json('provider_quota_exceeded', 'Your quota…', 400) }, 'ERR_AI_QUOTA', 503, false],
    [{ status: 400, body: json('app_unavailable', 'App unavailable, please check your app configurations.', 400) }, 'ERR_AI_UNAVAILABLE', 503, false],
    [{ status: 400, body: json('not_chat_app', 'Please check if your app mode matches the right API route.', 400) }, 'ERR_AI_UNAVAILABLE', 503, false],
    [{ status: 400, body: json('invalid_param', 'query is required', 400) }, 'ERR_AI_BAD_REQUEST', 502, false],
    [{ status: 415, body: json('unsupported_media_type', 'Did not attempt to load JSON data', 415) }, 'ERR_AI_BAD_REQUEST', 502, false],
    [{ status: 404, body: json('not_found', 'Conversation Not Exists.', 404), hasConversation: true }, 'ERR_AI_CONVERSATION_NOT_FOUND', 404, false],
    [{ status: 404, body: json('not_found', 'Conversation Not Exists. You have requested this URI [/v1/chat-messages] but did you mean /v1/chat-messages ?', 404), hasConversation: true }, 'ERR_AI_CONVERSATION_NOT_FOUND', 404, false],
    [{ status: 404, body: json('not_found', 'The requested URL was not found on the server.', 404), hasConversation: true }, 'ERR_AI_UNAVAILABLE', 503, false],
    [{ status: 404, body: json('not_found', 'Conversation Not Exists.', 404), hasConversation: false }, 'ERR_AI_UNAVAILABLE', 503, false],
    [{ status: 404, body: '<html><title>404 Not Found</title></html>', contentType: 'text/html' }, 'ERR_AI_UNAVAILABLE', 503, false],
    [{ status: 429, body: json('too_many_requests', 'Too many requests. Please try again later.', 429) }, 'ERR_AI_BUSY', 503, true],
    [{ status: 400, body: json('invalid_param', 'Too many requests. Please try again later. The current maximum concurrent requests allowed for x is 1.', 400) }, 'ERR_AI_BUSY', 503, true],
    [{ status: 429, body: json('rate_limit_error', 'Workflow execution quota limit reached for tenant x', 429) }, 'ERR_AI_QUOTA', 503, false],
    [{ status: 429, body: '<!DOCTYPE html><html><title>Access denied | Cloudflare</title></html>', contentType: 'text/html', retryAfterMs: 1000 }, 'ERR_AI_BUSY', 503, true],
    [{ status: 500, body: json('internal_server_error', 'The server encountered an internal error', 500) }, 'ERR_AI_UPSTREAM', 502, true],
    [{ status: 500, body: '{"message": "Internal Server Error", "code": "unknown"}' }, 'ERR_AI_UPSTREAM', 502, true],
    [{ status: 502, body: '<html><head><title>502 Bad Gateway</title></head></html>', contentType: 'text/html' }, 'ERR_AI_UPSTREAM', 502, true],
    [{ status: 524, body: '' }, 'ERR_AI_UPSTREAM', 502, true],
    [{ status: 400, body: '<html>Bad Request</html>', contentType: 'text/html' }, 'ERR_AI_UPSTREAM', 502, false]
  ]
  for (const [input, code, statusCode, isRetryable] of cases) {
    const err = mapHttpError(input)
    const label = `${input.status} ${input.body.slice(0, 60)}`
    assert.equal(err.code, code, label)
    assert.equal(err.statusCode, statusCode, label)
    assert.equal(err.isRetryable, isRetryable, label)
  }
  assert.equal(mapHttpError({ status: 401, body: '' }).message, "The host's AI key was refused by the AI service.")
  assert.equal(mapHttpError({ status: 429, body: '', retryAfterMs: 2000 }).retryAfterMs, 2000)
})

test('upstream text in an error never carries the API key', () => {
  const secret = 'app-s3cr3t-KEY'
  const err = mapHttpError({ status: 400, body: JSON.stringify({ code: 'invalid_param', message: `bad header Bearer ${secret}`, status: 400 }), secret })
  assert.ok(!err.message.includes(secret))
  assert.match(err.message, /\[redacted\]/)
  const frame = mapStreamError({ code: 'completion_request_error', status: 400, message: `key ${secret} rejected` }, secret)
  assert.ok(!frame.message.includes(secret))
  assert.equal(redact(`a${secret}b${secret}`, secret), 'a[redacted]b[redacted]')
})

test('error bodies are parsed defensively', () => {
  assert.deepEqual(parseErrorBody('{"code": "not_found", "message": "Conversation Not Exists.", "status": 404}\n'), { code: 'not_found', message: 'Conversation Not Exists.', isHtml: false })
  assert.deepEqual(parseErrorBody('{"message": "Internal Server Error", "code": "unknown"}'), { code: 'unknown', message: 'Internal Server Error', isHtml: false })
  assert.deepEqual(parseErrorBody('<html><head><title>502 Bad Gateway</title></head></html>'), { code: null, message: '502 Bad Gateway', isHtml: true })
  assert.deepEqual(parseErrorBody(''), { code: null, message: null, isHtml: false })
  assert.deepEqual(parseErrorBody('{"broken'), { code: null, message: '{"broken', isHtml: false })
  assert.deepEqual(parseErrorBody('[1,2]'), { code: null, message: '[1,2]', isHtml: false })
})

test('Retry-After is read as seconds or an HTTP date', () => {
  assert.equal(parseRetryAfter('3'), 3000)
  assert.equal(parseRetryAfter(['0.5']), 500)
  assert.equal(parseRetryAfter(new Date(10_000).toUTCString(), 4_000), 6_000)
  assert.equal(parseRetryAfter('soon'), undefined)
  assert.equal(parseRetryAfter(undefined), undefined)
})

test('app info keeps the opening statement and string suggestions', () => {
  assert.deepEqual(toAppInfo({ opening_statement: 'Hi', suggested_questions: ['a', '', 3, 'b'] }), { openingStatement: 'Hi', suggestedQuestions: ['a', 'b'] })
  assert.deepEqual(toAppInfo({ opening_statement: '', suggested_questions: null }), { openingStatement: null, suggestedQuestions: [] })
  assert.deepEqual(toAppInfo('nope'), { openingStatement: null, suggestedQuestions: [] })
})

test('a blocking body maps to meta, one delta and end', () => {
  const body = JSON.parse('{"event": "message", "task_id": "c1d2e3f4-a5b6-4c7d-8e9f-0a1b2c3d4e5f", "id": "4b7e1d2a-8c3f-4e5a-b6d7-0a1b2c3d4e5f", "message_id": "4b7e1d2a-8c3f-4e5a-b6d7-0a1b2c3d4e5f", "conversation_id": "9f1c2b4e-6a0d-4c1e-9a57-3f0e8b2d7c11", "mode": "chat", "answer": "Hello! \\u4f60\\u597d", "metadata": {"annotation_reply": null, "retriever_resources": [], "usage": {"total_tokens": 25}}, "created_at": 1770180000}') as unknown
  assert.deepEqual(mapBlockingBody(body, { apiOrigin: ORIGIN }), [
    { type: 'meta', conversationId: CONVERSATION, taskId: TASK, messageId: MESSAGE },
    { type: 'delta', text: 'Hello! 你好' },
    { type: 'end', citations: [], usage: { total_tokens: 25 }, hasEndEvent: true }
  ])
})
