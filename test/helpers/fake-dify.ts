/**
 * A fake Dify service API on a real HTTP server (127.0.0.1), byte-faithful to the chat-family
 * endpoints: bearer auth, request validation, conversations per user, streaming with realistic TCP
 * chunking and pings, stop, parameters and info. Pick a scenario per request with a directive in
 * the query text, e.g. `[[scenario:agent]]`, `[[scenario:http-429:2]]` (see fake-dify/scenarios.ts);
 * `[[encoding:legacy]]`, `[[seed:7]]` and `[[delay:5]]` tune one request.
 * @see /work/shared/dify-api.md
 */
import { randomUUID } from 'node:crypto'
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { TINY_PNG } from './fake-dify/content.js'
import { envelope } from './fake-dify/errors.js'
import { checkAuth, isObject, PARAMETERS, parseDirectives, parseMaybeJson, readBody, readRawBody, redactHeaders, reply, replyJson, validateChat } from './fake-dify/http.js'
import { handleUpload, type FakeUpload } from './fake-dify/upload.js'
import { SCENARIOS, annotationReply } from './fake-dify/scenarios.js'
import { blockingBody, collectFrames, runStream, type RunningTask, type StreamInit } from './fake-dify/stream.js'
import { createRandom, type Encoding } from './fake-dify/wire.js'

export interface FakeDifyOptions {
  /** 0 (default) picks a free port. */
  port?: number
  apiKey?: string
  /** Mean delay between tokens (default 30 ms). */
  tokenDelayMs?: number
  /** Keep-alive pings on this clock (default 10 s, as Dify). */
  pingIntervalMs?: number
  /** Chance of an extra ping before any frame (default 0.05). */
  pingChance?: number
  /** Seeds the chunking PRNG; request n uses seed + n unless the query says `[[seed:N]]`. */
  seed?: number
  encoding?: Encoding
  /** Scenario when the query names none (default `chat`). */
  defaultScenario?: string
  /**
   * The app's `user_input_form` (Dify's shape, e.g. `[{ select: { variable, label, required, options } }]`).
   * Like Dify, a question without a required input is refused: 400 invalid_param "<variable> is required in input form".
   */
  inputForm?: unknown[]
  /** What GET /info says (default: a chat app named "MindWeb fake Dify"). */
  app?: { name?: string, description?: string, mode?: string }
  /**
   * The app's "suggested questions after answer": on, GET /messages/{id}/suggested gives three
   * follow-ups about the question; off (the default), 400 bad_request as Dify answers.
   */
  suggestedAfterAnswer?: boolean
  /**
   * Text-to-speech on: POST /text-to-audio answers a short WAV tone (real Dify answers MP3; a WAV
   * needs no encoder here and every browser plays it). Off (the default): 400 invalid_param
   * "TTS is not enabled", as Dify answers.
   */
  textToSpeech?: boolean
  /**
   * Annotation reply on: a question whose words match a saved annotation's question (POST
   * /apps/annotations) is answered with its answer, one character per `message` event, and
   * `message_end.metadata.annotation_reply` names it, as Dify does. Annotations are saved either way.
   */
  annotationReply?: boolean
  /** The app's vision (file_upload.image.enabled in GET /parameters); Dify ignores `files` when it is off. */
  vision?: boolean
}

/** One annotation the fake keeps (Dify's shape). */
export interface FakeAnnotation { id: string, question: string, answer: string, hit_count: number, created_at: number }

/** An app with the input form a school's Dify app might declare: a required subject, an optional grade. */
export const CLASS_INPUT_FORM: unknown[] = [
  { select: { label: 'Subject', variable: 'subject', required: true, options: ['Maths', 'History', 'Biology'], default: '' } },
  { 'text-input': { label: 'Grade', variable: 'grade', required: false, max_length: 20, default: '7' } },
  { paragraph: { label: 'Notes for the assistant', variable: 'notes', required: false, max_length: 500 } },
  { number: { label: 'Answer length (words)', variable: 'words', required: false } },
  { checkbox: { label: 'Simple language', variable: 'simple', required: false, default: false } },
  { file: { label: 'Worksheet', variable: 'sheet', required: false, allowed_file_types: ['document'] } }
]

export interface RecordedRequest {
  method: string
  /** Path and query string, e.g. `/v1/chat-messages`. */
  path: string
  /** Request headers; the authorization value is replaced by `Bearer [redacted]`. */
  headers: Record<string, string | string[] | undefined>
  /** Parsed JSON when it was JSON, else the raw text ('' when empty). */
  body: unknown
  /** Whether the bearer key matched. */
  isAuthorized: boolean
  /** The chosen scenario, for chat-messages. */
  scenario?: string
  at: number
}

export interface FakeDifyStats {
  /** Streams open right now. */
  readonly open: number
  /** Most streams open at the same time since start (or the last reset). */
  readonly maxOpen: number
  /** Streams started. */
  readonly started: number
  /** Streams the client closed before they ended (a stop that aborted the HTTP request). */
  readonly abandoned: number
}

export interface FakeDify {
  /** Service API base, ending in `/v1`. */
  url: string
  origin: string
  port: number
  apiKey: string
  requests: RecordedRequest[]
  /** annotations saved through POST /apps/annotations, oldest first */
  annotations: FakeAnnotation[]
  /** each answer's rating as last set through POST /messages/{id}/feedbacks */
  feedbacks: ReadonlyMap<string, 'like' | 'dislike' | null>
  /** Every file POST /files/upload took, with its bytes as they arrived. */
  uploads: FakeUpload[]
  /** The next uploads fail with this Dify error (null: they work again). */
  failUploads (error: { status: number, code: string, message: string } | null): void
  stats: FakeDifyStats
  /** Changes the default scenario (null: back to the option's). */
  setScenario (name: string | null): void
  resetStats (): void
  close (): Promise<void>
}

export const DEFAULT_FAKE_DIFY_KEY = 'app-test-key'
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i
const KNOWN_PATHS = new Set(['/chat-messages', '/parameters', '/info', '/meta', '/files/upload'])
/** Dify's nginx takes bodies up to 100 MB; its image limit (10 MB) is checked after. */
const MAX_UPLOAD_BODY_BYTES = 32 * 1024 * 1024
const NOT_FOUND_TEXT = 'The requested URL was not found on the server. If you entered the URL manually please check your spelling and try again.'

/** Starts the fake on 127.0.0.1. */
export async function startFakeDify (options: FakeDifyOptions = {}): Promise<FakeDify> {
  const apiKey = options.apiKey ?? DEFAULT_FAKE_DIFY_KEY
  const conversations = new Map<string, { user: string, turns: number }>()
  /** every answer's message id, with its question and user (for /messages/{id}/suggested) */
  const answered = new Map<string, { question: string, user: string }>()
  const tasks = new Map<string, RunningTask>()
  const failures = new Map<string, number>()
  const requests: RecordedRequest[] = []
  const annotations: FakeAnnotation[] = []
  const feedbacks = new Map<string, 'like' | 'dislike' | null>()
  const uploads: FakeUpload[] = []
  let uploadFailure: { status: number, code: string, message: string } | null = null
  const counters = { open: 0, maxOpen: 0, started: 0, abandoned: 0 }
  let defaultScenario = options.defaultScenario ?? 'chat'
  let requestCount = 0

  const server = createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      if (!res.headersSent) reply(res, envelope(500, 'internal_server_error', String(err)))
      else res.destroy()
    })
  })

  async function handle (req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1')
    const isUpload = req.method === 'POST' && url.pathname === '/v1/files/upload'
    const bytes = isUpload ? await readRawBody(req, MAX_UPLOAD_BODY_BYTES) : null
    const raw = bytes === null ? await readBody(req) : `[${bytes.length} bytes of multipart]`
    const record: RecordedRequest = {
      method: req.method ?? 'GET',
      path: `${url.pathname}${url.search}`,
      headers: redactHeaders(req.headers),
      body: parseMaybeJson(raw),
      isAuthorized: false,
      at: Date.now()
    }
    requests.push(record)

    if (req.method === 'GET' && url.pathname.startsWith('/files/tools/')) {
      res.writeHead(200, { 'content-type': 'image/png', 'content-length': TINY_PNG.length }).end(TINY_PNG)
      return
    }
    if (!url.pathname.startsWith('/v1/')) return reply(res, envelope(404, 'not_found', NOT_FOUND_TEXT))
    const auth = checkAuth(req.headers.authorization, apiKey)
    if (auth !== null) return reply(res, auth)
    record.isAuthorized = true

    const route = `${req.method ?? 'GET'} ${url.pathname.slice(3)}`
    const stop = /^POST \/chat-messages\/([^/]+)\/stop$/.exec(route)
    if (stop !== null) return handleStop(res, decodeURIComponent(stop[1] ?? ''), raw)
    const feedback = /^POST \/messages\/([^/]+)\/feedbacks$/.exec(route)
    if (feedback !== null) return handleFeedback(res, decodeURIComponent(feedback[1] ?? ''), raw)
    const suggested = /^GET \/messages\/([^/]+)\/suggested$/.exec(route)
    if (suggested !== null) return handleSuggested(res, decodeURIComponent(suggested[1] ?? ''), url.searchParams.get('user'))
    switch (route) {
      case 'POST /chat-messages': return await handleChat(req, res, raw, record)
      case 'POST /text-to-audio': return handleTextToAudio(res, raw)
      case 'POST /apps/annotations': return handleAnnotation(res, raw)
      case 'GET /apps/annotations': return replyJson(res, { data: annotations, has_more: false, limit: 20, total: annotations.length, page: 1 })
      case 'GET /parameters': return replyJson(res, {
        ...PARAMETERS,
        user_input_form: options.inputForm ?? [],
        suggested_questions_after_answer: { enabled: options.suggestedAfterAnswer === true },
        text_to_speech: options.textToSpeech === true ? { enabled: true, voice: 'alloy', language: 'en-US', autoPlay: 'disabled' } : PARAMETERS.text_to_speech,
        annotation_reply: { enabled: options.annotationReply === true },
        file_upload: { image: { ...PARAMETERS.file_upload.image, enabled: options.vision === true } }
      })
      case 'POST /files/upload': {
        if (uploadFailure !== null) return reply(res, envelope(uploadFailure.status, uploadFailure.code, uploadFailure.message))
        return reply(res, await handleUpload(req.headers['content-type'] ?? '', bytes ?? Buffer.alloc(0), uploads))
      }
      case 'GET /info': return replyJson(res, {
        name: options.app?.name ?? 'MindWeb fake Dify',
        description: options.app?.description ?? 'A local stand-in for a Dify chat app.',
        tags: [],
        mode: options.app?.mode ?? 'chat',
        author_name: 'MindWeb'
      })
      case 'GET /meta': return replyJson(res, { tool_icons: {} })
      default:
        if (KNOWN_PATHS.has(url.pathname.slice(3))) {
          return reply(res, envelope(405, 'method_not_allowed', 'The method is not allowed for the requested URL.'))
        }
        return reply(res, envelope(404, 'not_found', NOT_FOUND_TEXT))
    }
  }

  function handleStop (res: ServerResponse, taskId: string, raw: string): void {
    const body = parseMaybeJson(raw)
    const user = isObject(body) && typeof body.user === 'string' ? body.user : ''
    if (user === '') return reply(res, envelope(400, 'invalid_param', 'Arg user must be provided.'))
    const task = tasks.get(taskId)
    // Dify answers success whatever happened (unknown task, wrong user, already done).
    if (task !== undefined && task.user === user) task.stop()
    replyJson(res, { result: 'success' })
  }

  function handleFeedback (res: ServerResponse, messageId: string, raw: string): void {
    const body = parseMaybeJson(raw)
    if (!isObject(body) || typeof body.user !== 'string' || body.user.trim() === '') return reply(res, envelope(400, 'invalid_param', 'Arg user must be provided.'))
    if (body.rating !== null && body.rating !== 'like' && body.rating !== 'dislike') return reply(res, envelope(400, 'invalid_param', 'rating must be like, dislike or null'))
    const message = answered.get(messageId)
    if (message === undefined || message.user !== body.user) return reply(res, envelope(404, 'not_found', 'Message Not Exists.'))
    feedbacks.set(messageId, body.rating)
    replyJson(res, { result: 'success' })
  }

  function handleTextToAudio (res: ServerResponse, raw: string): void {
    const body = parseMaybeJson(raw)
    if (!isObject(body)) return reply(res, envelope(400, 'bad_request', 'Invalid JSON payload received or JSON payload is empty.'))
    if (typeof body.user !== 'string' || body.user.trim() === '') return reply(res, envelope(400, 'invalid_param', 'Arg user must be provided.'))
    if (options.textToSpeech !== true) return reply(res, envelope(400, 'invalid_param', 'TTS is not enabled'))
    const text = typeof body.message_id === 'string' ? answered.get(body.message_id)?.question ?? '' : typeof body.text === 'string' ? body.text : ''
    if (text.trim() === '') return reply(res, envelope(400, 'invalid_param', 'Text is required'))
    const audio = toneWav(text)
    res.writeHead(200, { 'content-type': 'audio/wav', 'content-length': audio.length })
    res.end(audio)
  }

  function handleAnnotation (res: ServerResponse, raw: string): void {
    const body = parseMaybeJson(raw)
    if (!isObject(body)) return reply(res, envelope(400, 'bad_request', 'Invalid JSON payload received or JSON payload is empty.'))
    const question = typeof body.question === 'string' ? body.question.trim() : ''
    const answer = typeof body.answer === 'string' ? body.answer.trim() : ''
    if (question === '') return reply(res, envelope(400, 'invalid_param', 'question is required'))
    if (answer === '') return reply(res, envelope(400, 'invalid_param', 'answer is required'))
    const annotation: FakeAnnotation = { id: randomUUID(), question, answer, hit_count: 0, created_at: Math.floor(Date.now() / 1000) }
    annotations.push(annotation)
    replyJson(res, annotation)
  }

  /** The annotation that answers this question, when annotation reply is on (Dify matches by meaning; the fake by words). */
  function annotationFor (question: string): FakeAnnotation | null {
    if (options.annotationReply !== true) return null
    const key = annotationKey(question)
    const hit = annotations.findLast(a => annotationKey(a.question) === key) ?? null
    if (hit !== null) hit.hit_count++
    return hit
  }

  function handleSuggested (res: ServerResponse, messageId: string, user: string | null): void {
    if (user === null || user === '') return reply(res, envelope(400, 'invalid_param', 'Arg user must be provided.'))
    if (options.suggestedAfterAnswer !== true) return reply(res, envelope(400, 'bad_request', 'Suggested Questions Is Disabled.'))
    const message = answered.get(messageId)
    if (message === undefined || message.user !== user) return reply(res, envelope(404, 'not_found', 'Message Not Exists.'))
    // The host asks "<name>: <question>": the follow-ups are about the question.
    const topic = message.question.replace(/^[^:\n]{1,64}:\s*/, '').replace(/@ai\b/gi, '').replace(/[?？!.。]+$/u, '').trim().slice(0, 60) || 'this'
    replyJson(res, { result: 'success', data: [`Can you give an example of ${topic}?`, `Why does ${topic} matter?`, `What should I read next about ${topic}?`] })
  }

  async function handleChat (req: IncomingMessage, res: ServerResponse, raw: string, record: RecordedRequest): Promise<void> {
    if (!/application\/json/i.test(req.headers['content-type'] ?? '')) {
      return reply(res, envelope(415, 'unsupported_media_type', "Did not attempt to load JSON data because the request Content-Type was not 'application/json'."))
    }
    if (raw.trim() === '') return reply(res, envelope(400, 'bad_request', 'Invalid JSON payload received or JSON payload is empty.'))
    let body: unknown
    try {
      body = JSON.parse(raw)
    } catch (err) {
      return reply(res, envelope(400, 'bad_request', `Failed to decode JSON object: ${(err as Error).message}`))
    }
    if (!isObject(body)) return reply(res, envelope(400, 'bad_request', 'Invalid JSON payload received or JSON payload is empty.'))
    const user = typeof body.user === 'string' ? body.user.trim() : ''
    if (user === '') return reply(res, envelope(400, 'invalid_param', 'Arg user must be provided.'))
    const invalid = validateChat(body)
    if (invalid !== null) return reply(res, envelope(400, 'invalid_param', invalid))
    const badFile = checkFiles(body.files, user)
    if (badFile !== null) return reply(res, badFile)
    const missingInput = missingRequiredInput(options.inputForm ?? [], body.inputs as Record<string, unknown>)
    if (missingInput !== null) return reply(res, envelope(400, 'invalid_param', `${missingInput} is required in input form`))
    const query = (body.query as string).replace(/\0/g, '')
    const conversationId = typeof body.conversation_id === 'string' ? body.conversation_id.trim() : ''

    const directives = parseDirectives(query)
    const taught = annotationFor(directives.question)
    const scenarioName = taught !== null ? 'annotation' : directives.scenario ?? defaultScenario
    const scenario = taught !== null ? { stream: annotationReply(taught) } : SCENARIOS[scenarioName]
    record.scenario = scenarioName
    // Not Dify behaviour, on purpose: a typo in a directive should be loud, not a silent default.
    if (scenario === undefined) {
      return reply(res, envelope(400, 'invalid_param', `Unknown fake scenario "${scenarioName}". Known: ${Object.keys(SCENARIOS).join(', ')}`))
    }

    if (conversationId !== '' && !UUID.test(conversationId)) {
      return reply(res, envelope(400, 'invalid_param', 'conversation_id must be a valid UUID'))
    }
    const failureKey = `${scenarioName}|${user}|${query}`
    const preflight = scenario.preflight?.({ arg: directives.arg, conversationId, failures: failures.get(failureKey) ?? 0 }) ?? null
    if (preflight !== null) {
      failures.set(failureKey, (failures.get(failureKey) ?? 0) + 1)
      return reply(res, preflight)
    }
    const known = conversations.get(conversationId)
    if (conversationId !== '' && (known === undefined || known.user !== user)) {
      return reply(res, envelope(404, 'not_found', 'Conversation Not Exists.'))
    }
    const id = conversationId !== '' ? conversationId : randomUUID()
    conversations.set(id, { user, turns: (known?.turns ?? 0) + 1 })

    const n = requestCount++
    const messageId = randomUUID()
    answered.set(messageId, { question: directives.question, user })
    const init: StreamInit = {
      question: directives.question,
      arg: directives.arg,
      ids: { conversationId: id, messageId, taskId: randomUUID(), createdAt: Math.floor(Date.now() / 1000) },
      random: createRandom(directives.seed ?? (options.seed ?? 1) + n),
      encoding: directives.encoding ?? (scenarioName === 'legacy' ? 'legacy' : options.encoding ?? 'orjson'),
      tokenDelayMs: directives.delay ?? options.tokenDelayMs ?? 30,
      pingIntervalMs: options.pingIntervalMs ?? 10_000,
      pingChance: options.pingChance ?? 0.05
    }
    if (body.response_mode !== 'streaming' || scenario.isBlocking === true) {
      const frames = await collectFrames(scenario.stream, init)
      const failed = frames.find((f) => f.event === 'error')
      if (failed !== undefined) return reply(res, envelope(Number(failed.status), String(failed.code), String(failed.message)))
      return reply(res, { status: 200, body: blockingBody(frames, 'chat'), contentType: 'application/json; charset=utf-8' })
    }

    const task: RunningTask = { user, stop () {} }
    tasks.set(init.ids.taskId, task)
    counters.open++
    counters.started++
    counters.maxOpen = Math.max(counters.maxOpen, counters.open)
    try {
      await runStream(res, scenario.stream, init, task)
      if (!res.writableEnded) counters.abandoned++
    } finally {
      counters.open--
      tasks.delete(init.ids.taskId)
    }
  }

  /** `files` of a chat: each local_file must be an upload of the same user (Dify looks it up by both). */
  function checkFiles (files: unknown, user: string): ReturnType<typeof envelope> | null {
    if (files === undefined || files === null) return null
    if (!Array.isArray(files)) return envelope(400, 'invalid_param', 'files must be a list')
    for (const f of files) {
      if (!isObject(f) || typeof f.type !== 'string' || typeof f.transfer_method !== 'string') return envelope(400, 'invalid_param', 'Invalid file: type and transfer_method are required')
      if (f.transfer_method === 'local_file') {
        const upload = uploads.find(u => u.id === f.upload_file_id)
        if (upload === undefined || upload.user !== user) return envelope(400, 'invalid_param', 'Invalid upload file id.')
      } else if (f.transfer_method === 'remote_url') {
        if (typeof f.url !== 'string') return envelope(400, 'invalid_param', 'url is required for remote_url')
      } else {
        return envelope(400, 'invalid_param', `Invalid transfer method ${String(f.transfer_method)}`)
      }
    }
    return null
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(options.port ?? 0, '127.0.0.1', () => { server.off('error', reject); resolve() })
  })
  const port = (server.address() as AddressInfo).port
  const origin = `http://127.0.0.1:${port}`

  return {
    url: `${origin}/v1`,
    origin,
    port,
    apiKey,
    requests,
    annotations,
    feedbacks,
    uploads,
    failUploads (error) { uploadFailure = error },
    stats: {
      get open () { return counters.open },
      get maxOpen () { return counters.maxOpen },
      get started () { return counters.started },
      get abandoned () { return counters.abandoned }
    },
    setScenario (name) { defaultScenario = name ?? options.defaultScenario ?? 'chat' },
    resetStats () { counters.maxOpen = counters.open; counters.started = 0; counters.abandoned = 0 },
    async close () {
      for (const task of tasks.values()) task.stop()
      server.closeAllConnections()
      await new Promise<void>((resolve) => server.close(() => resolve()))
    }
  }
}

/** The words of a question as the fake compares them: no "<name>: " prefix, no @ai, no case or punctuation. */
function annotationKey (question: string): string {
  return question.replace(/^[^:\n]{1,64}:\s*/, '').replace(/@ai\b/gi, '').toLowerCase().replace(/[\p{P}\s]+/gu, ' ').trim()
}

/** A quiet tone as 8 kHz 8-bit mono WAV, longer for a longer text (at most two seconds). */
function toneWav (text: string): Buffer {
  const rate = 8000
  const samples = Math.min(rate * 2, Math.max(rate / 4, text.length * 40))
  const wav = Buffer.alloc(44 + samples)
  wav.write('RIFF', 0, 'ascii'); wav.writeUInt32LE(36 + samples, 4); wav.write('WAVE', 8, 'ascii')
  wav.write('fmt ', 12, 'ascii'); wav.writeUInt32LE(16, 16); wav.writeUInt16LE(1, 20); wav.writeUInt16LE(1, 22)
  wav.writeUInt32LE(rate, 24); wav.writeUInt32LE(rate, 28); wav.writeUInt16LE(1, 32); wav.writeUInt16LE(8, 34)
  wav.write('data', 36, 'ascii'); wav.writeUInt32LE(samples, 40)
  for (let i = 0; i < samples; i++) wav[44 + i] = 128 + Math.round(20 * Math.sin(2 * Math.PI * 440 * i / rate))
  return wav
}

/** The first required variable of the form with no value (as Dify checks before it answers). */
function missingRequiredInput (form: unknown[], inputs: Record<string, unknown>): string | null {
  for (const item of form) {
    if (!isObject(item)) continue
    const spec = Object.values(item)[0]
    if (!isObject(spec) || spec.required !== true || typeof spec.variable !== 'string') continue
    const value = inputs[spec.variable]
    if (value === undefined || value === null || value === '') return spec.variable
  }
  return null
}
