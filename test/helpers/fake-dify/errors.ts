/**
 * Pre-stream failures of the fake Dify: JSON envelopes as Dify writes them, and the HTML pages
 * proxies answer with. A failure can repeat N times for the same question, then let it through.
 * @see /work/shared/dify-api.md §4
 */
import { HTML_500, HTML_502, HTML_CLOUDFLARE_1015 } from './content.js'
import { pyDumps } from './wire.js'

export interface ErrorReply {
  status: number
  body: string
  contentType: string
  headers?: Record<string, string>
}

export interface PreflightInput {
  arg: string | undefined
  conversationId: string
  /** How many times this scenario already failed this same question for this user. */
  failures: number
}

/** Returns an error reply to send instead of the stream, or null to go on with `stream`. */
export type Preflight = (input: PreflightInput) => ErrorReply | null

/** A Dify JSON error envelope: json.dumps spacing, key order code, message, status, trailing newline. */
export function envelope (status: number, code: string, message: string): ErrorReply {
  return {
    status,
    body: `${pyDumps({ code, message, status })}\n`,
    contentType: 'application/json'
  }
}

const UNAUTHORIZED_HEADERS = { 'www-authenticate': 'Bearer realm="api"' }
const TOO_MANY = 'Too many requests. Please try again later. The current maximum concurrent requests allowed for 0a9b8c7d-6e5f-4a3b-2c1d-0e9f8a7b6c5d is 1.'
const QUOTA = 'Your quota for Dify Hosted OpenAI has been exhausted. Please go to Settings -> Model Provider to complete your own provider credentials.'

/** Pre-stream failure for the first `arg` (default `defaultTimes`) attempts of the same question. */
function failTimes (reply: ErrorReply, defaultTimes: number): Preflight {
  return ({ arg, failures }) => failures < (arg !== undefined && /^\d+$/.test(arg) ? Number(arg) : defaultTimes) ? reply : null
}

const always = (reply: ErrorReply): Preflight => () => reply

/** Pre-stream failures by scenario name; after them (when they let go) the chat stream runs. */
export const PREFLIGHTS: Record<string, Preflight> = {
  'http-401': always({ ...envelope(401, 'unauthorized', 'Access token is invalid'), headers: UNAUTHORIZED_HEADERS }),
  'http-403': always(envelope(403, 'forbidden', "The app's API service has been disabled.")),
  'http-400-quota': always(envelope(400, 'provider_quota_exceeded', QUOTA)),
  'http-400-app-unavailable': always(envelope(400, 'app_unavailable', 'App unavailable, please check your app configurations.')),
  'http-400-not-chat-app': always(envelope(400, 'not_chat_app', 'Please check if your app mode matches the right API route.')),
  'http-404-conversation': ({ conversationId }) => conversationId === '' ? null : envelope(404, 'not_found', 'Conversation Not Exists.'),
  'http-429': failTimes(envelope(429, 'too_many_requests', TOO_MANY), 1),
  'http-429-html': failTimes({ status: 429, body: HTML_CLOUDFLARE_1015, contentType: 'text/html; charset=UTF-8', headers: { 'retry-after': '1' } }, 1),
  'http-429-quota': always(envelope(429, 'rate_limit_error', 'Workflow execution quota limit reached for tenant 0a9b8c7d')),
  'concurrency-400': failTimes(envelope(400, 'invalid_param', TOO_MANY), Number.POSITIVE_INFINITY),
  'http-500': always(envelope(500, 'internal_server_error', 'The server encountered an internal error and was unable to complete your request. Either the server is overloaded or there is an error in the application.')),
  'http-500-legacy': always({ status: 500, body: '{"message": "Internal Server Error", "code": "unknown"}\n', contentType: 'application/json' }),
  'http-500-html': always({ status: 500, body: HTML_500, contentType: 'text/html' }),
  'http-502-html': failTimes({ status: 502, body: HTML_502, contentType: 'text/html' }, 1)
}
