/**
 * AiGateway on Dify's service API (`POST /chat-messages`, streaming), over undici with keep-alive.
 * Retries only before the first byte of a 200 answer; after that the caller keeps what it got.
 * @see /work/shared/dify-api.md
 * @see https://github.com/nodejs/undici/blob/main/docs/docs/api/Dispatcher.md#dispatcherrequestoptions-callback
 */
import { setTimeout as sleep } from 'node:timers/promises'
import { Agent, FormData, request, type Dispatcher } from 'undici'
import { createParser } from 'eventsource-parser'
import type { AiGateway, AiUpload, AppDescription, AppInfo, ReplyEvent, ReplyRequest } from '../ports.js'
import { AppError, Errors } from '../errors.js'
import {
  createDifyStreamMapper, isRecord, mapBlockingBody, mapHttpError, parseRetryAfter, redact, toAppDescription, toAppInfo
} from './dify-events.js'

export interface DifyLogger {
  warn (obj: object, msg: string): void
  debug? (obj: object, msg: string): void
}

export interface DifyGatewayOptions {
  /** Service API base, ending in `/v1` (e.g. `https://api.dify.ai/v1`). */
  baseUrl: string
  /** The app key (`app-…`). Never logged, never in an error. */
  apiKey: string
  /** Longest silence between bytes (headers included) before a reply fails; Dify pings every 10 s. */
  idleTimeoutMs: number
  /** Longest one reply may take, retries included. */
  deadlineMs: number
  /** Extra attempts before the first byte on 429, 5xx and connection errors. */
  retries: number
  /** First backoff step; attempt n waits about `retryBaseMs * 2^n`. */
  retryBaseMs: number
  /** Tests pass their own; otherwise a keep-alive Agent is created (and closed by `close()`). */
  dispatcher?: Dispatcher
  logger?: DifyLogger
  /** Longest wait honoured from `Retry-After` (default 30 s). */
  maxRetryAfterMs?: number
  /** Timeout of the best-effort stop call (default 5 s). */
  stopTimeoutMs?: number
}

const MAX_ERROR_BODY_BYTES = 64 * 1024
/** The longest audio of one answer kept (a few minutes of speech is well under). */
const MAX_AUDIO_BYTES = 20 * 1024 * 1024
const CONNECT_TIMEOUT_MS = 10_000
const CLOSE_GRACE_MS = 2_000
const UNREACHABLE_CODES = new Set([
  'ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT',
  'UND_ERR_CONNECT_TIMEOUT', 'UND_ERR_SOCKET'
])
const IDLE_CODES = new Set(['UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT'])

/** Creates the Dify gateway; one instance per configured app key. */
export function createDifyGateway (options: DifyGatewayOptions): AiGateway {
  const baseUrl = options.baseUrl.replace(/\/+$/, '')
  const apiOrigin = new URL(baseUrl).origin
  const secret = options.apiKey
  const ownedAgent = options.dispatcher === undefined
    ? new Agent({
      connections: 128,
      pipelining: 1,
      connect: { timeout: Math.min(CONNECT_TIMEOUT_MS, options.idleTimeoutMs) }
    })
    : null
  const dispatcher: Dispatcher = options.dispatcher ?? ownedAgent as Agent
  const logger = options.logger
  const maxRetryAfterMs = options.maxRetryAfterMs ?? 30_000
  const headers = {
    authorization: `Bearer ${options.apiKey}`,
    'content-type': 'application/json',
    'user-agent': 'mindweb-host'
  }
  let isClosed = false

  function warn (obj: Record<string, unknown>, msg: string): void {
    logger?.warn(scrub(obj, secret), msg)
  }
  function debug (obj: Record<string, unknown>, msg: string): void {
    logger?.debug?.(scrub(obj, secret), msg)
  }

  /** One HTTP exchange; non-2xx answers become AppErrors (their bodies read and released). */
  async function send (path: string, init: { method: 'GET' | 'POST', body?: unknown, signal: AbortSignal, hasConversation?: boolean }): Promise<Dispatcher.ResponseData> {
    const res = await request(`${baseUrl}${path}`, {
      method: init.method,
      headers: init.method === 'POST' ? headers : { authorization: headers.authorization, 'user-agent': headers['user-agent'] },
      body: init.body === undefined ? undefined : JSON.stringify(init.body),
      dispatcher,
      signal: init.signal,
      headersTimeout: options.idleTimeoutMs,
      bodyTimeout: options.idleTimeoutMs
    })
    if (res.statusCode >= 200 && res.statusCode < 300) return res
    const body = await readCapped(res.body, MAX_ERROR_BODY_BYTES)
    throw mapHttpError({
      status: res.statusCode,
      body,
      contentType: headerValue(res.headers['content-type']),
      retryAfterMs: parseRetryAfter(res.headers['retry-after']),
      hasConversation: init.hasConversation,
      secret
    })
  }

  /** Runs `attempt` until it succeeds, fails for good, or retries/deadline run out. */
  async function withRetries<T> (what: string, signal: AbortSignal, deadlineAt: number, attempt: () => Promise<T>): Promise<T> {
    for (let n = 0; ; n++) {
      try {
        return await attempt()
      } catch (err) {
        if (signal.aborted) throw err
        const error = classifyBeforeStream(err)
        if (!error.isRetryable || n >= options.retries) throw error
        const wait = backoffMs(n, error.retryAfterMs)
        if (Date.now() + wait >= deadlineAt) throw error
        warn({ what, attempt: n + 1, code: error.code, waitMs: wait }, 'AI service call failed; retrying')
        await sleep(wait, undefined, { signal })
      }
    }
  }

  function backoffMs (n: number, retryAfterMs: number | undefined): number {
    const step = options.retryBaseMs * 2 ** n
    const jittered = step / 2 + Math.random() * step / 2
    return Math.round(Math.min(Math.max(jittered, retryAfterMs ?? 0), Math.max(maxRetryAfterMs, step)))
  }

  async function * streamReply (req: ReplyRequest, signal: AbortSignal): AsyncGenerator<ReplyEvent> {
    signal.throwIfAborted()
    if (isClosed) throw closedError()
    const deadline = new AbortController()
    const deadlineAt = Date.now() + options.deadlineMs
    const timer = setTimeout(() => { deadline.abort(new Error('deadline reached')) }, options.deadlineMs)
    timer.unref()
    const combined = AbortSignal.any([signal, deadline.signal])
    const stopReason = (err: unknown): unknown => {
      if (signal.aborted) return signal.reason
      if (deadline.signal.aborted) return Errors.aiDeadline().with({ cause: err })
      return null
    }
    let body: Dispatcher.ResponseData['body'] | null = null
    try {
      const conversationId = req.conversationId ?? ''
      const res = await withRetries('chat-messages', combined, deadlineAt, async () => await send('/chat-messages', {
        method: 'POST',
        signal: combined,
        hasConversation: conversationId !== '',
        body: {
          inputs: req.inputs ?? {},
          query: req.query,
          user: req.user,
          conversation_id: conversationId,
          response_mode: 'streaming',
          auto_generate_name: true,
          // photos uploaded first through /files/upload by the same user
          ...(req.imageUploadIds !== undefined && req.imageUploadIds.length > 0
            ? { files: req.imageUploadIds.map(id => ({ type: 'image', transfer_method: 'local_file', upload_file_id: id })) }
            : {})
        }
      })).catch((err: unknown) => { throw stopReason(err) ?? err })
      body = res.body
      const contentType = headerValue(res.headers['content-type']) ?? ''
      if (/json/i.test(contentType)) {
        // A blocking answer where a stream was asked for (some proxies): still an answer.
        let data: unknown
        try {
          data = await res.body.json()
        } catch (err) {
          throw stopReason(err) ?? Errors.aiUpstream('The AI service sent an answer that is not JSON').with({ cause: err })
        }
        yield * mapBlockingBody(data, { apiOrigin, secret })
        return
      }
      // Anything else is read as SSE (some proxies drop or rewrite the type), except a web page.
      if (/html/i.test(contentType)) {
        throw Errors.aiUpstream('The AI service answered with a web page instead of a stream (a proxy or login page in between?)').with(
          { cause: { status: res.statusCode, contentType } })
      }
      const mapper = createDifyStreamMapper({ apiOrigin, secret })
      try {
        for await (const frame of readFrames(res.body, warn)) {
          for (const event of mapper.push(frame)) yield event
        }
      } catch (err) {
        const reason = stopReason(err)
        if (signal.aborted) throw reason
        if (err instanceof AppError && reason === null) throw err
        // The answer was complete: a failure while draining trailing frames does not undo it.
        if (!mapper.hasEndEvent) throw reason ?? classifyMidStream(err)
        debug({ err: describe(err) }, 'AI stream failed after message_end; keeping the answer')
      }
      for (const event of mapper.finish()) yield event
    } finally {
      clearTimeout(timer)
      if (body !== null && !body.destroyed) body.destroy()
    }
  }

  async function stop (taskId: string, user: string): Promise<void> {
    const timeoutMs = options.stopTimeoutMs ?? 5_000
    try {
      const res = await send(`/chat-messages/${encodeURIComponent(taskId)}/stop`, {
        method: 'POST',
        body: { user },
        signal: AbortSignal.timeout(timeoutMs)
      })
      await res.body.dump()
    } catch (err) {
      warn({ taskId, err: describe(err) }, 'could not ask the AI service to stop a reply')
    }
  }

  /** One GET of the app's settings (`/parameters`, `/info`) as JSON, bounded in time, with the gateway's retries. */
  async function getJson (path: string, signal?: AbortSignal): Promise<unknown> {
    if (isClosed) throw closedError()
    const limitMs = Math.min(options.deadlineMs, 30_000)
    const combined = signal === undefined ? AbortSignal.timeout(limitMs) : AbortSignal.any([signal, AbortSignal.timeout(limitMs)])
    try {
      const res = await withRetries(path.slice(1), combined, Date.now() + limitMs, async () => await send(path, { method: 'GET', signal: combined }))
      try {
        return await res.body.json()
      } catch (err) {
        throw Errors.aiUpstream(`The AI service answered ${path} with something that is not JSON (is this the service API address, ending in /v1?)`).with({ cause: err })
      }
    } catch (err) {
      if (signal?.aborted === true) throw signal.reason
      if (combined.aborted) throw Errors.aiIdle().with({ cause: err })
      throw err
    }
  }

  async function appInfo (signal?: AbortSignal): Promise<AppInfo> {
    return toAppInfo(await getJson('/parameters', signal))
  }

  async function describeApp (signal?: AbortSignal): Promise<AppDescription> {
    // /info first: the cheapest check of the key; then the form and the greeting. Dify versions
    // without /info (404) still describe their form; the key is then checked by /parameters.
    let info: unknown = null
    try {
      info = await getJson('/info', signal)
    } catch (err) {
      if (!(err instanceof AppError) || (err.cause as { status?: unknown } | undefined)?.status !== 404) throw err
    }
    return toAppDescription(info, await getJson('/parameters', signal))
  }

  async function suggestedQuestions (messageId: string, user: string, signal?: AbortSignal): Promise<string[]> {
    const body = await getJson(`/messages/${encodeURIComponent(messageId)}/suggested?user=${encodeURIComponent(user)}`, signal)
    const data = isRecord(body) && Array.isArray(body.data) ? body.data : []
    return data.filter((q): q is string => typeof q === 'string')
  }

  /**
   * One POST of JSON to the app, bounded in time. Retried like the rest only when `isIdempotent`:
   * a second annotation would be a duplicate, a second audio is the same audio.
   */
  async function postJson (path: string, body: unknown, signal: AbortSignal | undefined, isIdempotent: boolean): Promise<Dispatcher.ResponseData> {
    if (isClosed) throw closedError()
    const limitMs = Math.min(options.deadlineMs, 60_000)
    const combined = signal === undefined ? AbortSignal.timeout(limitMs) : AbortSignal.any([signal, AbortSignal.timeout(limitMs)])
    const attempt = async (): Promise<Dispatcher.ResponseData> => await send(path, { method: 'POST', body, signal: combined })
    try {
      return isIdempotent ? await withRetries(path.slice(1), combined, Date.now() + limitMs, attempt) : await attempt().catch(err => { throw classifyBeforeStream(err) })
    } catch (err) {
      if (signal?.aborted === true) throw signal.reason
      if (combined.aborted) throw Errors.aiIdle().with({ cause: err })
      throw err
    }
  }

  async function createAnnotation (question: string, answer: string, signal?: AbortSignal): Promise<string> {
    const res = await postJson('/apps/annotations', { question, answer }, signal, false)
    let body: unknown
    try { body = await res.body.json() } catch (err) { throw Errors.aiUpstream('The AI service answered the annotation with something that is not JSON').with({ cause: err }) }
    const id = isRecord(body) && typeof body.id === 'string' ? body.id : null
    if (id === null) throw Errors.aiUpstream('The AI service saved the annotation but named no id for it')
    return id
  }

  async function rateAnswer (messageId: string, rating: 'like' | 'dislike' | null, user: string, signal?: AbortSignal): Promise<void> {
    const res = await postJson(`/messages/${encodeURIComponent(messageId)}/feedbacks`, { rating, user }, signal, true)
    await res.body.dump()
  }

  async function textToAudio (text: string, user: string, signal?: AbortSignal): Promise<{ contentType: string, bytes: Buffer }> {
    const res = await postJson('/text-to-audio', { text, user }, signal, true)
    const contentType = headerValue(res.headers['content-type'])?.split(';')[0]?.trim().toLowerCase() ?? ''
    if (!contentType.startsWith('audio/')) {
      const start = await readCapped(res.body, 200)
      throw Errors.aiUpstream(`The AI service answered text-to-audio with ${contentType === '' ? 'no content type' : contentType}, not audio`, start.slice(0, 120))
    }
    const chunks: Buffer[] = []
    let size = 0
    for await (const chunk of res.body) {
      size += (chunk as Buffer).byteLength
      if (size > MAX_AUDIO_BYTES) { res.body.destroy(); throw Errors.aiUpstream(`The AI service's audio for one answer is larger than ${MAX_AUDIO_BYTES / 1024 / 1024} MB`) }
      chunks.push(chunk as Buffer)
    }
    if (size === 0) throw Errors.aiUpstream('The AI service answered text-to-audio with no audio')
    return { contentType, bytes: Buffer.concat(chunks) }
  }

  /**
   * One photo to `POST /files/upload` (multipart: `file` and `user`); returns Dify's file id.
   * Not retried: the caller fails the answer and keeps the question.
   */
  async function uploadFile (file: AiUpload, user: string, signal?: AbortSignal): Promise<string> {
    if (isClosed) throw closedError()
    const limitMs = Math.min(options.deadlineMs, 60_000)
    const combined = signal === undefined ? AbortSignal.timeout(limitMs) : AbortSignal.any([signal, AbortSignal.timeout(limitMs)])
    const form = new FormData()
    form.set('user', user)
    form.set('file', new Blob([new Uint8Array(file.data)], { type: file.mimeType }), file.name)
    try {
      const res = await request(`${baseUrl}/files/upload`, {
        method: 'POST',
        headers: { authorization: headers.authorization, 'user-agent': headers['user-agent'] },
        body: form,
        dispatcher,
        signal: combined,
        headersTimeout: options.idleTimeoutMs,
        bodyTimeout: options.idleTimeoutMs
      })
      if (res.statusCode < 200 || res.statusCode >= 300) {
        const body = await readCapped(res.body, MAX_ERROR_BODY_BYTES)
        throw mapHttpError({ status: res.statusCode, body, contentType: headerValue(res.headers['content-type']), retryAfterMs: parseRetryAfter(res.headers['retry-after']), secret })
      }
      const data: unknown = await res.body.json().catch(() => null)
      if (!isRecord(data) || typeof data.id !== 'string' || data.id === '') throw Errors.aiUpstream('The AI service answered /files/upload without a file id')
      return data.id
    } catch (err) {
      if (signal?.aborted === true) throw signal.reason
      if (err instanceof AppError) throw err
      throw classifyBeforeStream(err)
    }
  }

  let closing: Promise<void> | null = null
  async function close (): Promise<void> {
    isClosed = true
    closing ??= closeAgent()
    await closing
  }

  async function closeAgent (): Promise<void> {
    if (ownedAgent === null) return
    const grace = new AbortController()
    const closed = ownedAgent.close()
    await Promise.race([closed, sleep(CLOSE_GRACE_MS, undefined, { signal: grace.signal }).catch(() => {})])
    grace.abort()
    // Streams still open after the grace period are cut (their callers see ERR_AI_STREAM_CUT).
    await ownedAgent.destroy().catch(() => {})
  }

  return { streamReply, stop, appInfo, describeApp, suggestedQuestions, uploadFile, createAnnotation, rateAnswer, textToAudio, close }
}

// ---------------------------------------------------------------- stream reading

type Warn = (obj: Record<string, unknown>, msg: string) => void

/** The JSON payloads of a Dify SSE body, decoded as UTF-8 across chunk boundaries. */
async function * readFrames (body: AsyncIterable<Uint8Array>, warn: Warn): AsyncGenerator<unknown> {
  const decoder = new TextDecoder('utf-8')
  const payloads: string[] = []
  const parser = createParser({
    onEvent (message) {
      // `event: ping` frames carry no data; Dify never names data events, so ignore the name.
      if (message.event === 'ping' || message.data.trim() === '') return
      payloads.push(message.data)
    },
    onError (error) {
      warn({ err: error.message }, 'skipping a malformed line of the AI stream')
    }
  })
  let tail = ''
  for await (const chunk of body) {
    const text = decoder.decode(chunk, { stream: true })
    if (text === '') continue
    tail = text
    parser.feed(text)
    yield * parsePayloads(payloads, warn)
  }
  const rest = decoder.decode()
  if (rest !== '') { tail = rest; parser.feed(rest) }
  // A last complete line whose blank line never came (a proxy trimmed it) still counts.
  if (tail.endsWith('\n') || tail.endsWith('\r')) parser.feed('\n')
  yield * parsePayloads(payloads, warn)
}

function * parsePayloads (payloads: string[], warn: Warn): Generator<unknown> {
  while (payloads.length > 0) {
    const data = payloads.shift() as string
    let frame: unknown
    try {
      frame = JSON.parse(data)
    } catch {
      warn({ sample: data.slice(0, 120), length: data.length }, 'skipping an AI stream frame that is not JSON')
      continue
    }
    if (!isRecord(frame)) {
      warn({ sample: data.slice(0, 120) }, 'skipping an AI stream frame that is not a JSON object')
      continue
    }
    yield frame
  }
}

// ---------------------------------------------------------------- errors

function classifyBeforeStream (err: unknown): AppError {
  if (err instanceof AppError) return err
  const code = errorCode(err)
  if (code !== undefined && IDLE_CODES.has(code)) {
    // Dify is already generating: a second request would duplicate the answer, so no retry.
    return Errors.aiIdle().with({ cause: err })
  }
  if (code !== undefined && /CERT|TLS|SSL/i.test(code)) {
    return Errors.aiTlsFailed().with({ cause: err })
  }
  return Errors.aiUnreachable().with({
    cause: err,
    isRetryable: code !== undefined && UNREACHABLE_CODES.has(code)
  })
}

function classifyMidStream (err: unknown): AppError {
  const code = errorCode(err)
  if (code !== undefined && IDLE_CODES.has(code)) {
    return Errors.aiIdle().with({ cause: err })
  }
  return Errors.aiStreamCut().with({ cause: err })
}

function closedError (): AppError {
  return Errors.shuttingDown()
}

/** The error code of a Node/undici error, looking into AggregateError and `cause`. */
function errorCode (err: unknown): string | undefined {
  if (!isRecord(err) && !(err instanceof Error)) return undefined
  const record = err as { code?: unknown, errors?: unknown, cause?: unknown }
  if (typeof record.code === 'string') return record.code
  if (Array.isArray(record.errors)) {
    for (const inner of record.errors) {
      const code = errorCode(inner)
      if (code !== undefined) return code
    }
  }
  return record.cause === undefined || record.cause === err ? undefined : errorCode(record.cause)
}

function describe (err: unknown): Record<string, unknown> {
  if (err instanceof AppError) return { code: err.code, message: err.message }
  if (err instanceof Error) return { name: err.name, code: errorCode(err), message: err.message }
  return { message: String(err) }
}

/** A log object with the secret removed from every string in it (shallow objects only). */
function scrub (obj: Record<string, unknown>, secret: string): Record<string, unknown> {
  const out: Record<string, unknown> = {}
  for (const [key, value] of Object.entries(obj)) {
    if (typeof value === 'string') out[key] = redact(value, secret)
    else if (isRecord(value)) out[key] = scrub(value, secret)
    else out[key] = value
  }
  return out
}

async function readCapped (body: AsyncIterable<Uint8Array> & { destroy (): unknown }, maxBytes: number): Promise<string> {
  const chunks: Uint8Array[] = []
  let size = 0
  try {
    for await (const chunk of body) {
      chunks.push(chunk)
      size += chunk.byteLength
      if (size >= maxBytes) break
    }
  } catch {
    // the error body is a hint only: keep what arrived
  } finally {
    body.destroy()
  }
  return Buffer.concat(chunks).toString('utf8').slice(0, maxBytes)
}

function headerValue (value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value
}
