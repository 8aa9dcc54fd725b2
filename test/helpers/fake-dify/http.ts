/**
 * The request side of the fake Dify: directives in the query, Dify's validation and auth answers,
 * body reading and the JSON replies.
 * @see /work/shared/dify-api.md §1, §2.1, §4
 */
import type { IncomingMessage, ServerResponse } from 'node:http'
import { envelope, type ErrorReply } from './errors.js'
import { pyDumps, type Encoding } from './wire.js'

const MAX_BODY_BYTES = 1024 * 1024

export interface Directives {
  question: string
  scenario?: string
  arg?: string
  encoding?: Encoding
  seed?: number
  delay?: number
}

/** Reads `[[scenario:name[:arg]]]`, `[[encoding:legacy|orjson]]`, `[[seed:N]]`, `[[delay:MS]]` anywhere in the query. */
export function parseDirectives (query: string): Directives {
  const out: Directives = { question: query.replace(/\[\[[a-z]+:[^\]]*\]\]/gi, '').replace(/[ \t]{2,}/g, ' ').trim() }
  for (const match of query.matchAll(/\[\[([a-z]+):([^\]]*)\]\]/gi)) {
    const key = (match[1] ?? '').toLowerCase()
    const value = (match[2] ?? '').trim()
    if (key === 'scenario') {
      const [name, ...rest] = value.split(':')
      out.scenario = name
      if (rest.length > 0) out.arg = rest.join(':')
    } else if (key === 'encoding' && (value === 'legacy' || value === 'orjson')) {
      out.encoding = value
    } else if (key === 'seed' && /^\d+$/.test(value)) {
      out.seed = Number(value)
    } else if (key === 'delay' && /^\d+$/.test(value)) {
      out.delay = Number(value)
    }
  }
  return out
}

export function validateChat (body: Record<string, unknown>): string | null {
  const missing = ['inputs', 'query'].filter((key) => body[key] === undefined)
  if (missing.length > 0) {
    return `${missing.length} validation error${missing.length > 1 ? 's' : ''} for ChatRequestPayload\n` +
      missing.map((key) => `${key}\n  Field required [type=missing, input_value={...}, input_type=dict]`).join('\n')
  }
  if (!isObject(body.inputs)) return '1 validation error for ChatRequestPayload\ninputs\n  Input should be a valid dictionary [type=dict_type]'
  if (typeof body.query !== 'string') return '1 validation error for ChatRequestPayload\nquery\n  Input should be a valid string [type=string_type]'
  if (body.query.trim() === '') return 'query is required'
  const mode = body.response_mode
  if (mode !== undefined && mode !== null && mode !== 'streaming' && mode !== 'blocking') {
    return "1 validation error for ChatRequestPayload\nresponse_mode\n  Input should be 'blocking' or 'streaming'"
  }
  return null
}

export function checkAuth (header: string | undefined, apiKey: string): ErrorReply | null {
  const headers = { 'www-authenticate': 'Bearer realm="api"' }
  const match = /^(\S+)\s+(.*)$/.exec(header ?? '')
  if (match === null) {
    return { ...envelope(401, 'unauthorized', "Authorization header must be provided and start with 'Bearer'"), headers }
  }
  if ((match[1] ?? '').toLowerCase() !== 'bearer') return { ...envelope(401, 'unauthorized', "Authorization scheme must be 'Bearer'"), headers }
  if ((match[2] ?? '').trim() !== apiKey) return { ...envelope(401, 'unauthorized', 'Access token is invalid'), headers }
  return null
}

export function reply (res: ServerResponse, answer: ErrorReply): void {
  res.writeHead(answer.status, { 'content-type': answer.contentType, ...answer.headers })
  res.end(answer.body)
}

export function replyJson (res: ServerResponse, data: unknown): void {
  reply(res, { status: 200, body: `${pyDumps(data)}\n`, contentType: 'application/json' })
}

export async function readBody (req: IncomingMessage): Promise<string> {
  return (await readRawBody(req, MAX_BODY_BYTES)).toString('utf8')
}

/** The body's bytes, up to `maxBytes` (the rest is dropped unread). */
export async function readRawBody (req: IncomingMessage, maxBytes: number): Promise<Buffer> {
  const chunks: Buffer[] = []
  let size = 0
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length
    if (size > maxBytes) break
    chunks.push(chunk)
  }
  return Buffer.concat(chunks)
}

export function parseMaybeJson (raw: string): unknown {
  try {
    return raw === '' ? '' : JSON.parse(raw) as unknown
  } catch {
    return raw
  }
}

export function redactHeaders (headers: IncomingMessage['headers']): IncomingMessage['headers'] {
  const out: IncomingMessage['headers'] = { ...headers }
  if (typeof headers.authorization === 'string') {
    out.authorization = headers.authorization.replace(/^(\S+\s+).*$/, '$1[redacted]')
  }
  return out
}

export function isObject (value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

export const PARAMETERS = {
  opening_statement: "Hi! I'm the room's AI assistant. Mention @ai in a message and I'll answer for everyone. 大家好！",
  suggested_questions: [
    'What can you help our team with?',
    'Summarise the last discussion in three bullet points.',
    '用中文解释一下什么是流式输出？'
  ],
  suggested_questions_after_answer: { enabled: false },
  speech_to_text: { enabled: false },
  text_to_speech: { enabled: false, voice: '', language: '' },
  retriever_resource: { enabled: true },
  annotation_reply: { enabled: false },
  more_like_this: { enabled: false },
  user_input_form: [],
  sensitive_word_avoidance: { enabled: false, type: '', configs: [] },
  file_upload: { image: { enabled: false, number_limits: 3, detail: 'high', transfer_methods: ['remote_url', 'local_file'] } },
  system_parameters: { image_file_size_limit: 10, video_file_size_limit: 100, audio_file_size_limit: 50, file_size_limit: 15, workflow_file_upload_limit: 10 }
}
