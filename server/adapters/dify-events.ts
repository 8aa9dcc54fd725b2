/**
 * Pure translation of Dify's wire data into our own terms: streaming JSON events become
 * `ReplyEvent`s, error frames and non-2xx bodies become `AppError`s. No I/O here, so every rule can
 * be tested with plain objects.
 * @see /work/shared/dify-api.md §3 (streaming events) and §4 (HTTP errors)
 */
import type { AgentStep, AppDescription, AppFormField, AppInfo, ReplyEvent } from '../ports.js'
import type { Citation } from '../protocol/index.js'
import { AppError, Errors } from '../errors.js'

type JsonObject = Record<string, unknown>

export interface DifyIds {
  conversationId: string | null
  taskId: string | null
  messageId: string | null
}

/** Turns the frames of one streaming reply into `ReplyEvent`s, remembering what spans frames. */
export interface DifyStreamMapper {
  /** Maps one parsed `data:` payload; throws an `AppError` for an `error` frame. */
  push (frame: unknown): ReplyEvent[]
  /** Call once at EOF: a `meta` if none was sent yet and ids are known, then the single `end`. */
  finish (): ReplyEvent[]
  /** True once `message_end` was seen (the answer is complete even if the tail of the stream fails). */
  readonly hasEndEvent: boolean
}

export interface MapperOptions {
  /** Origin of the API (`https://host`), used to resolve relative file URLs. */
  apiOrigin: string
  /** Text to scrub from any upstream message that ends up in an error (the API key). */
  secret?: string
}

/** Human messages, one place: they reach the room, so they say what happened, not how. */
/** Creates the stateful mapper for one streaming reply. */
export function createDifyStreamMapper (options: MapperOptions): DifyStreamMapper {
  const ids: DifyIds = { conversationId: null, taskId: null, messageId: null }
  let isMetaSent = false
  let hasEndEvent = false
  let citations: Citation[] = []
  let usage: Record<string, unknown> | null = null
  // the annotation the app answered from (Dify: metadata.annotation_reply {id, account})
  let annotationId: string | null = null

  function remember (frame: JsonObject): void {
    ids.conversationId ??= nonEmpty(frame.conversation_id)
    ids.taskId ??= nonEmpty(frame.task_id)
    ids.messageId ??= nonEmpty(frame.message_id)
  }

  function meta (): ReplyEvent {
    isMetaSent = true
    return { type: 'meta', ...ids }
  }

  return {
    get hasEndEvent () { return hasEndEvent },

    push (frame) {
      if (!isRecord(frame)) return []
      remember(frame)
      const out: ReplyEvent[] = []
      // Agent streams start with agent_thought, chatflow with workflow_started: any frame will do.
      if (!isMetaSent && ids.conversationId !== null) out.push(meta())
      const event = typeof frame.event === 'string' ? frame.event : ''
      if (event === 'error') throw mapStreamError(frame, options.secret)
      if (event === 'message_end') {
        hasEndEvent = true
        const metadata = isRecord(frame.metadata) ? frame.metadata : {}
        citations = toCitations(metadata.retriever_resources)
        usage = isRecord(metadata.usage) ? metadata.usage : null
        const annotation = metadata.annotation_reply
        annotationId = isRecord(annotation) && typeof annotation.id === 'string' && annotation.id !== '' ? annotation.id : null
        return out
      }
      const mapped = mapEvent(event, frame, options.apiOrigin)
      if (mapped !== null) out.push(mapped)
      return out
    },

    finish () {
      const out: ReplyEvent[] = []
      const hasIds = ids.conversationId !== null || ids.taskId !== null || ids.messageId !== null
      if (!isMetaSent && hasIds) out.push(meta())
      out.push(annotationId === null ? { type: 'end', citations, usage, hasEndEvent } : { type: 'end', citations, usage, hasEndEvent, annotationId })
      return out
    }
  }
}

/** Maps one non-terminal event; null for events we ignore (pings, TTS, unknown). */
export function mapEvent (event: string, frame: JsonObject, apiOrigin: string): ReplyEvent | null {
  switch (event) {
    // New Agent's final full `message` is out of scope: every `message` is a delta.
    case 'message':
    case 'agent_message':
      return delta(frame.answer)
    case 'message_file': {
      const url = nonEmpty(frame.url)
      // Since Dec 2025 text deltas of turns with attached files are labelled message_file (§6.12).
      if (url === null) return delta(frame.answer)
      return {
        type: 'file',
        id: nonEmpty(frame.id) ?? '',
        fileType: nonEmpty(frame.type) ?? 'file',
        url: resolveUrl(url, apiOrigin)
      }
    }
    case 'agent_thought':
      // The thought repeats the round's text already streamed as agent_message: never append it.
      return { type: 'step', step: toStep(frame) }
    case 'message_replace':
      return { type: 'replace', text: typeof frame.answer === 'string' ? frame.answer : '' }
    default: {
      const label = progressLabel(event, frame)
      return label === null ? null : { type: 'progress', label }
    }
  }
}

/** Maps an in-stream `error` frame (HTTP 200 already sent) to an AppError. */
export function mapStreamError (frame: JsonObject, secret?: string): AppError {
  const code = nonEmpty(frame.code) ?? 'unknown'
  const status = typeof frame.status === 'number' ? frame.status : 0
  const detail = cleanDetail(frame.message, secret)
  const cause = { code, status }
  if (isTooManyRequests(code, detail)) return busy(cause)
  switch (code) {
    case 'provider_quota_exceeded':
      return Errors.aiQuota().with({ cause })
    case 'provider_not_initialize':
    case 'model_currently_not_support':
      return Errors.aiUnavailable("The AI app's model is not available", detail).with({ cause })
    case 'app_unavailable':
      return Errors.aiUnavailable('The AI app is unavailable', detail).with({ cause })
    case 'completion_request_error':
      return Errors.aiUpstream('The AI model failed while answering', detail).with({ cause })
    case 'invalid_param':
    case 'bad_request':
      return Errors.aiBadRequest('The AI app could not answer this', detail).with({ cause })
    case 'internal_server_error':
      return Errors.aiUpstream('The AI service had an internal error while answering').with({ cause })
    default:
      return Errors.aiStreamError(detail).with({ cause })
  }
}

export interface HttpErrorInput {
  status: number
  body: string
  contentType?: string | undefined
  /** From `Retry-After`, already parsed. */
  retryAfterMs?: number | undefined
  /** Whether the request named an existing conversation (a 404 then means it is gone). */
  hasConversation?: boolean
  secret?: string | undefined
}

/** Maps a non-2xx answer (Dify envelope, legacy envelope, proxy HTML or nothing) to an AppError. */
export function mapHttpError (input: HttpErrorInput): AppError {
  const { status } = input
  const parsed = parseErrorBody(input.body, input.contentType)
  const code = parsed.code ?? ''
  const detail = cleanDetail(parsed.message, input.secret)
  const cause = { status, code: parsed.code, isHtml: parsed.isHtml }
  const retryAfterMs = input.retryAfterMs

  if (status === 401) return Errors.aiAuth().with({ cause })
  if (status === 403) {
    return Errors.aiUnavailable('The AI service refused this app', detail).with({ cause })
  }
  if (code === 'rate_limit_error') return Errors.aiQuota().with({ cause })
  if (status === 429 || isTooManyRequests(code, detail)) return busy(cause, retryAfterMs)
  if (status === 404) {
    const isConversationGone = input.hasConversation === true && code === 'not_found' &&
      !/requested URL was not found/i.test(detail)
    if (isConversationGone) return Errors.aiConversationGone().with({ cause })
    return Errors.aiUnavailable('The AI service address looks wrong (HTTP 404). It usually ends in /v1').with({ cause })
  }
  if (status >= 500 || parsed.isHtml) {
    return Errors.aiUpstream(`The AI service is having trouble (HTTP ${status})`).with({ cause, isRetryable: status >= 500, retryAfterMs })
  }
  if (status >= 400) {
    switch (code) {
      case 'provider_quota_exceeded':
        return Errors.aiQuota().with({ cause })
      case 'app_unavailable':
      case 'not_chat_app':
        return Errors.aiUnavailable('The AI app is unavailable: it must be a published Chatbot, Agent or Chatflow app').with({ cause })
      case 'provider_not_initialize':
      case 'model_currently_not_support':
        return Errors.aiUnavailable("The AI app's model is not available", detail).with({ cause })
      case 'completion_request_error':
        return Errors.aiUpstream('The AI model failed', detail).with({ cause })
      default:
        return Errors.aiBadRequest('The AI service rejected the request', detail).with({ cause })
    }
  }
  return Errors.aiUpstream(`The AI service gave an unexpected answer (HTTP ${status})`).with({ cause })
}

/** Reads a Dify error body defensively: `{code,message,status}`, legacy `{message,code}`, HTML or empty. */
export function parseErrorBody (body: string, contentType?: string): { code: string | null, message: string | null, isHtml: boolean } {
  const text = body.trim()
  const isHtml = /html/i.test(contentType ?? '') || text.startsWith('<')
  if (text.startsWith('{')) {
    try {
      const data: unknown = JSON.parse(text)
      if (isRecord(data)) {
        const message = nonEmpty(data.message) ?? nonEmpty(data.error) ?? nonEmpty(data.detail)
        return { code: nonEmpty(data.code), message, isHtml: false }
      }
    } catch {
      // not JSON after all: fall through
    }
  }
  if (isHtml) {
    const title = /<title[^>]*>([^<]*)<\/title>/i.exec(text)?.[1]?.trim()
    return { code: null, message: title !== undefined && title !== '' ? title : null, isHtml: true }
  }
  return { code: null, message: text === '' ? null : text.slice(0, 200), isHtml: false }
}

/** `Retry-After` (seconds or an HTTP date) in milliseconds, or undefined. */
export function parseRetryAfter (value: string | string[] | undefined, now = Date.now()): number | undefined {
  const raw = Array.isArray(value) ? value[0] : value
  if (raw === undefined || raw.trim() === '') return undefined
  if (/^\s*\d+(\.\d+)?\s*$/.test(raw)) return Math.round(Number(raw) * 1000)
  const at = Date.parse(raw)
  return Number.isNaN(at) ? undefined : Math.max(0, at - now)
}

/** Citations kept from `message_end.metadata.retriever_resources`. */
export function toCitations (resources: unknown): Citation[] {
  if (!Array.isArray(resources)) return []
  const out: Citation[] = []
  for (const [index, item] of resources.entries()) {
    if (!isRecord(item)) continue
    out.push({
      position: typeof item.position === 'number' ? item.position : index + 1,
      document_name: stringOrNull(item.document_name),
      dataset_name: stringOrNull(item.dataset_name),
      content: stringOrNull(item.content),
      score: numberOrNull(item.score)
    })
  }
  return out
}

/** What `GET /parameters` says that the room shows. */
export function toAppInfo (data: unknown): AppInfo {
  const body = isRecord(data) ? data : {}
  const questions = Array.isArray(body.suggested_questions) ? body.suggested_questions : []
  return {
    openingStatement: nonEmpty(body.opening_statement),
    suggestedQuestions: questions.filter((q): q is string => typeof q === 'string' && q.trim() !== '')
  }
}

const FORM_TYPES = new Set(['text-input', 'paragraph', 'select', 'number', 'checkbox'])

/**
 * The input variables of Dify's `user_input_form` (a list of `{ <type>: { label, variable, required,
 * default?, max_length?, options? } }`). File inputs and unknown types are left out: the room cannot fill them.
 */
export function toFormFields (data: unknown): AppFormField[] {
  const body = isRecord(data) ? data : {}
  const list = Array.isArray(body.user_input_form) ? body.user_input_form : []
  const out: AppFormField[] = []
  for (const item of list) {
    if (!isRecord(item)) continue
    const type = Object.keys(item)[0]
    const spec = type === undefined ? undefined : item[type]
    if (type === undefined || !FORM_TYPES.has(type) || !isRecord(spec) || typeof spec.variable !== 'string' || spec.variable === '') continue
    const field: AppFormField = {
      variable: spec.variable,
      label: typeof spec.label === 'string' && spec.label !== '' ? spec.label : spec.variable,
      type: type as AppFormField['type'],
      required: spec.required === true
    }
    if (Array.isArray(spec.options)) field.options = spec.options.filter((x): x is string => typeof x === 'string')
    const d = spec.default
    if (typeof d === 'string' || typeof d === 'number' || typeof d === 'boolean') field.default = d
    if (typeof spec.max_length === 'number' && spec.max_length > 0) field.maxLength = spec.max_length
    out.push(field)
  }
  return out
}

/** The app's identity (GET /info) with its greeting and form (GET /parameters). */
export function toAppDescription (info: unknown, parameters: unknown): AppDescription {
  const i = isRecord(info) ? info : {}
  return {
    ...toAppInfo(parameters),
    name: nonEmpty(i.name),
    description: nonEmpty(i.description),
    mode: nonEmpty(i.mode),
    form: toFormFields(parameters),
    features: toFeatures(parameters)
  }
}

/** The app's switches the room's features depend on (absent ones are off). */
function toFeatures (parameters: unknown): AppDescription['features'] {
  const p = isRecord(parameters) ? parameters : {}
  const on = (value: unknown): boolean => isRecord(value) && value.enabled === true
  const upload = isRecord(p.file_upload) ? p.file_upload : {}
  return { vision: on(upload.image), textToSpeech: on(p.text_to_speech), followUps: on(p.suggested_questions_after_answer), annotationReply: on(p.annotation_reply) }
}

/** Maps a blocking-mode body (a `message` JSON) as if it had been streamed. */
export function mapBlockingBody (data: unknown, options: MapperOptions): ReplyEvent[] {
  if (!isRecord(data) || typeof data.answer !== 'string') return []
  const mapper = createDifyStreamMapper(options)
  return [
    ...mapper.push({ ...data, event: 'message' }),
    ...mapper.push({ event: 'message_end', metadata: data.metadata }),
    ...mapper.finish()
  ]
}

/** Removes every occurrence of `secret` from `text`. */
export function redact (text: string, secret: string | undefined): string {
  return secret === undefined || secret === '' ? text : text.split(secret).join('[redacted]')
}

export function isRecord (value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

// ---------------------------------------------------------------- helpers

function delta (answer: unknown): ReplyEvent | null {
  return typeof answer === 'string' && answer !== '' ? { type: 'delta', text: answer } : null
}

function toStep (frame: JsonObject): AgentStep {
  return {
    id: nonEmpty(frame.id) ?? '',
    position: typeof frame.position === 'number' ? frame.position : 0,
    thought: text(frame.thought),
    tool: text(frame.tool),
    toolInput: text(frame.tool_input),
    observation: text(frame.observation)
  }
}

const PROGRESS_PREFIXES = ['workflow_', 'node_', 'iteration_', 'loop_']

function progressLabel (event: string, frame: JsonObject): string | null {
  if (event !== 'agent_log' && !PROGRESS_PREFIXES.some((p) => event.startsWith(p))) return null
  const data = isRecord(frame.data) ? frame.data : {}
  const title = nonEmpty(data.title) ?? nonEmpty(data.node_type) ?? 'Step'
  const status = nonEmpty(data.status)
  switch (event) {
    case 'workflow_started': return 'Workflow started'
    case 'workflow_finished': return `Workflow ${status ?? 'finished'}`
    case 'node_started':
    case 'iteration_started':
    case 'loop_started': return title
    case 'node_finished': return `${title}: ${status ?? 'finished'}`
    case 'node_retry': return `${title}: retry ${typeof data.retry_index === 'number' ? data.retry_index : ''}`.trimEnd()
    case 'iteration_next':
    case 'loop_next': return typeof data.index === 'number' ? `${title}: step ${data.index + 1}` : title
    case 'iteration_completed':
    case 'loop_completed': return `${title}: done`
    case 'agent_log': return nonEmpty(data.label) ?? 'Agent'
    default: return event.replace(/_/g, ' ')
  }
}

function busy (cause: unknown, retryAfterMs?: number): AppError {
  return Errors.aiBusy().with({ cause, isRetryable: true, retryAfterMs })
}

function isTooManyRequests (code: string, message: string): boolean {
  return code === 'too_many_requests' || /^too many requests/i.test(message)
}

function resolveUrl (url: string, apiOrigin: string): string {
  try {
    return new URL(url, apiOrigin).href
  } catch {
    return url
  }
}

/** One line, bounded, without the secret: upstream text is shown to people. */
function cleanDetail (value: unknown, secret: string | undefined): string {
  if (typeof value !== 'string') return ''
  const line = redact(value, secret).replace(/\s+/g, ' ').trim()
  return line.length > 240 ? `${line.slice(0, 239)}…` : line
}

function nonEmpty (value: unknown): string | null {
  return typeof value === 'string' && value.trim() !== '' ? value : null
}

function text (value: unknown): string {
  return typeof value === 'string' ? value : ''
}

function stringOrNull (value: unknown): string | null {
  return typeof value === 'string' ? value : null
}

function numberOrNull (value: unknown): number | null {
  if (typeof value === 'number' && Number.isFinite(value)) return value
  if (typeof value === 'string' && value.trim() !== '' && Number.isFinite(Number(value))) return Number(value)
  return null
}
