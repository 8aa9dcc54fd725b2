/**
 * The one catalogue of errors. Every HTTP error body is `{ error: { code, message } }` and every
 * WebSocket error frame carries the same code (PROTOCOL.md "Errors").
 */

export interface AppErrorOptions {
  cause?: unknown
  /** for ERR_RATE_LIMITED: how long to wait */
  retryAfterMs?: number
  /** for ERR_AI_*: whether a retry (before the first byte) may succeed */
  isRetryable?: boolean
}

export class AppError extends Error {
  readonly code: string
  readonly statusCode: number
  readonly retryAfterMs: number | undefined
  readonly isRetryable: boolean

  constructor (code: string, statusCode: number, message: string, options: AppErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause })
    this.name = 'AppError'
    this.code = code
    this.statusCode = statusCode
    this.retryAfterMs = options.retryAfterMs
    this.isRetryable = options.isRetryable ?? false
  }
}

/** Error codes, one place. */
export const ErrorCode = {
  badRequest: 'ERR_BAD_REQUEST',
  validation: 'ERR_VALIDATION',
  badJson: 'ERR_BAD_JSON',
  unknownType: 'ERR_UNKNOWN_TYPE',
  frameTooLarge: 'ERR_FRAME_TOO_LARGE',
  messageEmpty: 'ERR_MESSAGE_EMPTY',
  messageTooLong: 'ERR_MESSAGE_TOO_LONG',
  nameInvalid: 'ERR_USERNAME_INVALID',
  nameReserved: 'ERR_USERNAME_RESERVED',
  nameTaken: 'ERR_USERNAME_TAKEN',
  emojiInvalid: 'ERR_EMOJI_INVALID',
  unauthorized: 'ERR_UNAUTHORIZED',
  forbidden: 'ERR_FORBIDDEN',
  badOrigin: 'ERR_ORIGIN_FORBIDDEN',
  notFound: 'ERR_NOT_FOUND',
  rateLimited: 'ERR_RATE_LIMITED',
  roomLocked: 'ERR_ROOM_LOCKED',
  roomFull: 'ERR_ROOM_FULL',
  pinRequired: 'ERR_PIN_REQUIRED',
  pinWrong: 'ERR_PIN_WRONG',
  storage: 'ERR_STORAGE',
  storageFull: 'ERR_STORAGE_FULL',
  storageBusy: 'ERR_STORAGE_BUSY',
  internal: 'ERR_INTERNAL',
  shuttingDown: 'ERR_SHUTTING_DOWN',
  aiNotConfigured: 'ERR_AI_NOT_CONFIGURED',
  aiOff: 'ERR_AI_OFF',
  aiAuth: 'ERR_AI_AUTH',
  aiQuota: 'ERR_AI_QUOTA',
  aiUnavailable: 'ERR_AI_UNAVAILABLE',
  aiBadRequest: 'ERR_AI_BAD_REQUEST',
  aiConversationGone: 'ERR_AI_CONVERSATION_NOT_FOUND',
  aiBusy: 'ERR_AI_BUSY',
  aiUpstream: 'ERR_AI_UPSTREAM',
  aiUnreachable: 'ERR_AI_UNREACHABLE',
  aiStreamCut: 'ERR_AI_STREAM_CUT',
  aiIdleTimeout: 'ERR_AI_IDLE_TIMEOUT',
  aiDeadline: 'ERR_AI_DEADLINE',
  aiStreamError: 'ERR_AI_STREAM_ERROR',
  aiInterrupted: 'ERR_AI_INTERRUPTED',
  aiQueueFull: 'ERR_AI_QUEUE_FULL',
  replyNotFound: 'ERR_REPLY_NOT_FOUND',
  removed: 'ERR_REMOVED',
  banned: 'ERR_BANNED',
  muted: 'ERR_MUTED',
  slowMode: 'ERR_SLOW_MODE',
  settingLocked: 'ERR_SETTING_LOCKED',
  settingInvalid: 'ERR_SETTING_INVALID',
  hostNotAllowed: 'ERR_HOST_NOT_ALLOWED',
  participantNotFound: 'ERR_PARTICIPANT_NOT_FOUND',
  messageNotFound: 'ERR_MESSAGE_NOT_FOUND',
  banNotFound: 'ERR_BAN_NOT_FOUND',
  aiNotChat: 'ERR_AI_NOT_CHAT_APP',
  aiInputsMissing: 'ERR_AI_INPUTS_MISSING'
} as const
export type ErrorCode = typeof ErrorCode[keyof typeof ErrorCode]

/** The JSON body of every error response. */
export function errorBody (code: string, message: string): { error: { code: string, message: string } } {
  return { error: { code, message } }
}

/** Turns anything thrown into an AppError (unknown errors become a generic 500). */
export function toAppError (err: unknown): AppError {
  if (err instanceof AppError) return err
  return new AppError(ErrorCode.internal, 500, 'Something went wrong on the host.', { cause: err })
}

/** One error: its code, HTTP status and default message, defined together (fastify's createError idea). */
export interface ErrorDef {
  readonly code: ErrorCode
  readonly statusCode: number
  readonly message: string
}

function def (code: ErrorCode, statusCode: number, message: string): ErrorDef {
  return { code, statusCode, message }
}

/**
 * The errors of the host console and the rules it enforces, each defined once. Throw them by name:
 * `throw appError(Errors.muted, 'You are muted for 4 more minutes.', { retryAfterMs })`.
 */
export const Errors = {
  adminUnauthorized: def(ErrorCode.unauthorized, 401, 'Missing or wrong admin token. Open the console from the link the host printed (it carries the token).'),
  adminForbidden: def(ErrorCode.forbidden, 403, 'The admin API is only available on the host computer.'),
  metricsUnauthorized: def(ErrorCode.unauthorized, 401, 'Metrics need the admin token (or a request from the host computer).'),
  participantUnauthorized: def(ErrorCode.unauthorized, 401, 'Missing or unknown token. Please join the room again.'),
  aiNotConfigured: def(ErrorCode.aiNotConfigured, 503, 'The AI assistant is not set up on this host.'),
  removed: def(ErrorCode.removed, 401, 'The host removed you from the room.'),
  banned: def(ErrorCode.banned, 403, 'The host does not let this device join the room.'),
  muted: def(ErrorCode.muted, 403, 'The host has muted you for a while.'),
  slowMode: def(ErrorCode.slowMode, 429, 'Slow mode is on: please wait before posting again.'),
  roomLocked: def(ErrorCode.roomLocked, 403, 'The room is locked: the host is not letting new people in right now.'),
  settingLocked: def(ErrorCode.settingLocked, 409, 'This setting was fixed when the host was started.'),
  settingInvalid: def(ErrorCode.settingInvalid, 400, 'That value is not allowed for this setting.'),
  hostNotAllowed: def(ErrorCode.hostNotAllowed, 403, 'This address is not one of the host computer\'s names.'),
  participantNotFound: def(ErrorCode.participantNotFound, 404, 'No participant with that id.'),
  messageNotFound: def(ErrorCode.messageNotFound, 404, 'No message with that id.'),
  banNotFound: def(ErrorCode.banNotFound, 404, 'No ban for that address.')
} as const satisfies Record<string, ErrorDef>

/** An AppError from a catalogue entry, with a more precise message when one helps. */
export function appError (e: ErrorDef, message: string = e.message, options: AppErrorOptions = {}): AppError {
  return new AppError(e.code, e.statusCode, message, options)
}
