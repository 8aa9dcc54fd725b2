/**
 * The one catalogue of errors: every code with its one HTTP status, and every error the host makes,
 * defined once and thrown by name. Every HTTP error body is `{ error: { code, message } }` and every
 * WebSocket error frame carries the same code (PROTOCOL.md "Errors"; each code: docs/errors.md).
 */

export interface AppErrorOptions {
  cause?: unknown
  /** for ERR_RATE_LIMITED: how long to wait */
  retryAfterMs?: number
  /** for ERR_AI_*: whether a retry (before the first byte) may succeed */
  isRetryable?: boolean
}

export class AppError extends Error {
  readonly code: ErrorCode
  readonly statusCode: number
  readonly retryAfterMs: number | undefined
  readonly isRetryable: boolean

  /** Its HTTP status is the code's own (`ErrorStatus`): one code never answers two statuses. */
  constructor (code: ErrorCode, message: string, options: AppErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause })
    this.name = 'AppError'
    this.code = code
    this.statusCode = ErrorStatus[code]
    this.retryAfterMs = options.retryAfterMs
    this.isRetryable = options.isRetryable ?? false
  }

  /** The same error with a wait, a cause or retryability: `Errors.busy().with({ retryAfterMs })`. */
  with (options: AppErrorOptions): AppError {
    const cause = options.cause ?? this.cause
    return new AppError(this.code, this.message, {
      ...(cause !== undefined ? { cause } : {}),
      ...(this.retryAfterMs !== undefined ? { retryAfterMs: this.retryAfterMs } : {}),
      isRetryable: this.isRetryable,
      ...options
    })
  }
}

/** Error codes, one place: the name code compares against, and the code on the wire. */
export const ErrorCode = {
  badRequest: 'ERR_BAD_REQUEST',
  validation: 'ERR_VALIDATION',
  badJson: 'ERR_BAD_JSON',
  unknownType: 'ERR_UNKNOWN_TYPE',
  frameTooLarge: 'ERR_FRAME_TOO_LARGE',
  messageEmpty: 'ERR_MESSAGE_EMPTY',
  messageTooLong: 'ERR_MESSAGE_TOO_LONG',
  messageFiltered: 'ERR_MESSAGE_FILTERED',
  messageHeld: 'ERR_MESSAGE_HELD',
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
  aiNotChat: 'ERR_AI_NOT_CHAT_APP',
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
  questionNotFound: 'ERR_QUESTION_NOT_FOUND',
  questionDecided: 'ERR_QUESTION_DECIDED',
  nothingToSummarise: 'ERR_NOTHING_TO_SUMMARISE',
  pollClosed: 'ERR_POLL_CLOSED',
  notFinished: 'ERR_NOT_FINISHED',
  ttsOff: 'ERR_TTS_OFF',
  photosOff: 'ERR_PHOTOS_OFF',
  fileTooLarge: 'ERR_FILE_TOO_LARGE',
  fileType: 'ERR_FILE_TYPE',
  aiPhotoUpload: 'ERR_AI_PHOTO_UPLOAD'
} as const
export type ErrorCode = typeof ErrorCode[keyof typeof ErrorCode]

/** Every code's one HTTP status (an error frame carries the same code without it). */
export const ErrorStatus = {
  ERR_BAD_REQUEST: 400,
  ERR_VALIDATION: 400,
  ERR_BAD_JSON: 400,
  ERR_UNKNOWN_TYPE: 400,
  ERR_FRAME_TOO_LARGE: 413,
  ERR_MESSAGE_EMPTY: 400,
  ERR_MESSAGE_TOO_LONG: 400,
  ERR_MESSAGE_FILTERED: 422,
  ERR_MESSAGE_HELD: 403,
  ERR_USERNAME_INVALID: 400,
  ERR_USERNAME_RESERVED: 400,
  ERR_USERNAME_TAKEN: 409,
  ERR_EMOJI_INVALID: 400,
  ERR_UNAUTHORIZED: 401,
  ERR_FORBIDDEN: 403,
  ERR_ORIGIN_FORBIDDEN: 403,
  ERR_NOT_FOUND: 404,
  ERR_RATE_LIMITED: 429,
  ERR_ROOM_LOCKED: 403,
  ERR_ROOM_FULL: 503,
  ERR_PIN_REQUIRED: 401,
  ERR_PIN_WRONG: 403,
  ERR_STORAGE: 500,
  ERR_STORAGE_FULL: 507,
  ERR_STORAGE_BUSY: 503,
  ERR_INTERNAL: 500,
  ERR_SHUTTING_DOWN: 503,
  ERR_AI_NOT_CONFIGURED: 503,
  ERR_AI_AUTH: 502,
  ERR_AI_QUOTA: 503,
  ERR_AI_UNAVAILABLE: 503,
  ERR_AI_BAD_REQUEST: 502,
  ERR_AI_CONVERSATION_NOT_FOUND: 404,
  ERR_AI_BUSY: 503,
  ERR_AI_UPSTREAM: 502,
  ERR_AI_UNREACHABLE: 502,
  ERR_AI_STREAM_CUT: 502,
  ERR_AI_IDLE_TIMEOUT: 504,
  ERR_AI_DEADLINE: 504,
  ERR_AI_STREAM_ERROR: 502,
  ERR_AI_INTERRUPTED: 503,
  ERR_AI_QUEUE_FULL: 429,
  ERR_AI_NOT_CHAT_APP: 400,
  ERR_REPLY_NOT_FOUND: 404,
  ERR_REMOVED: 401,
  ERR_BANNED: 403,
  ERR_MUTED: 403,
  ERR_SLOW_MODE: 429,
  ERR_SETTING_LOCKED: 409,
  ERR_SETTING_INVALID: 400,
  ERR_HOST_NOT_ALLOWED: 403,
  ERR_PARTICIPANT_NOT_FOUND: 404,
  ERR_MESSAGE_NOT_FOUND: 404,
  ERR_BAN_NOT_FOUND: 404,
  ERR_QUESTION_NOT_FOUND: 404,
  ERR_QUESTION_DECIDED: 409,
  ERR_NOTHING_TO_SUMMARISE: 409,
  ERR_POLL_CLOSED: 409,
  ERR_NOT_FINISHED: 409,
  ERR_TTS_OFF: 409,
  ERR_PHOTOS_OFF: 403,
  ERR_FILE_TOO_LARGE: 413,
  ERR_FILE_TYPE: 415,
  ERR_AI_PHOTO_UPLOAD: 502
} as const satisfies Record<ErrorCode, number>

/** The JSON body of every error response. */
export function errorBody (code: string, message: string): { error: { code: string, message: string } } {
  return { error: { code, message } }
}

/** Turns anything thrown into an AppError (unknown errors become a generic 500). */
export function toAppError (err: unknown): AppError {
  if (err instanceof AppError) return err
  return Errors.internal().with({ cause: err })
}

/** One error of the catalogue: its code, its status, and the error itself, made by calling it. */
export interface ErrorDef<A extends unknown[] = []> {
  readonly code: ErrorCode
  readonly statusCode: number
  (...args: A): AppError
}

function define<A extends unknown[] = []> (code: ErrorCode, message: string | ((...args: A) => string)): ErrorDef<A> {
  const make = (...args: A): AppError => new AppError(code, typeof message === 'string' ? message : message(...args))
  return Object.assign(make, { code, statusCode: ErrorStatus[code] })
}

const minutesLeft = (minutes: number): string => minutes <= 1 ? 'about a minute' : `${minutes} more minutes`
/** A Dify error's own words after ours, when it gave any. */
export function withDetail (lead: string, detail: string | null): string {
  return detail === null || detail === '' ? `${lead}.` : `${lead}: ${detail}`
}

/**
 * Every error the host makes, each defined once (as fastify's `lib/errors.js` does) and thrown by
 * name: `throw Errors.muted(4).with({ retryAfterMs })`. Its code and status come from the tables
 * above; docs/errors.md lists every code, and a test keeps the three in step.
 */
export const Errors = {
  // ---- requests and frames
  validation: define(ErrorCode.validation, (detail: string) => detail),
  badFrame: define(ErrorCode.badRequest, 'Frames must be JSON text.'),
  badJsonFrame: define(ErrorCode.badJson, 'That frame is not valid JSON.'),
  frameNotObject: define(ErrorCode.validation, 'A frame must be a JSON object with a "type".'),
  unknownFrame: define(ErrorCode.unknownType, (type: unknown, expected: string) => `Unknown frame type ${JSON.stringify(type)}; ${expected}.`),
  frameTooLarge: define(ErrorCode.frameTooLarge, (maxBytes: number) => `Frames may be at most ${maxBytes} bytes.`),
  framesTooFast: define(ErrorCode.rateLimited, 'You are sending frames too fast; some were ignored.'),
  notFound: define(ErrorCode.notFound, (what: string) => what),
  internal: define(ErrorCode.internal, 'Something went wrong on the host.'),
  shuttingDown: define(ErrorCode.shuttingDown, 'The host is shutting down.'),

  // ---- who may do what
  participantUnauthorized: define(ErrorCode.unauthorized, 'Missing or unknown token. Please join the room again.'),
  adminUnauthorized: define(ErrorCode.unauthorized, 'Missing or wrong admin token. Open the console from the link the host printed (it carries the token).'),
  adminForbidden: define(ErrorCode.forbidden, 'The admin API is only available on the host computer.'),
  metricsUnauthorized: define(ErrorCode.unauthorized, 'Metrics need the admin token (or a request from the host computer).'),
  badOrigin: define(ErrorCode.badOrigin, 'This page may not connect to the room.'),
  hostNotAllowed: define(ErrorCode.hostNotAllowed, (detail: string) => detail),
  badHost: define(ErrorCode.badRequest, 'The Host header must be a host name or address with an optional port (1-65535), and nothing else.'),
  notAsker: define(ErrorCode.forbidden, 'Only the person who asked (or the host) can stop this answer.'),
  gatedAskAi: define(ErrorCode.forbidden, 'In this room the host approves questions before the AI answers: ask in the room\'s chat.'),
  pinRequired: define(ErrorCode.pinRequired, 'This room needs a PIN. Ask the host for it.'),
  pinWrong: define(ErrorCode.pinWrong, 'That PIN is not right. Ask the host for it.'),

  // ---- joining and names
  nameControl: define(ErrorCode.nameInvalid, 'Names cannot contain control characters.'),
  nameEmpty: define(ErrorCode.nameInvalid, 'Please enter a name.'),
  nameTooLong: define(ErrorCode.nameInvalid, (max: number) => `Names can be at most ${max} characters long.`),
  nameInvisible: define(ErrorCode.nameInvalid, 'Please enter a name people can see.'),
  nameHasInvisible: define(ErrorCode.nameInvalid, 'Names cannot contain invisible characters.'),
  nameReserved: define(ErrorCode.nameReserved, (name: string) => `"${name}" is reserved. Please choose another name.`),
  nameTaken: define(ErrorCode.nameTaken, 'That name is taken. Please choose another one.'),
  nameLookalike: define(ErrorCode.nameTaken, 'That name looks too much like the name of someone already in this lesson. Please choose another one.'),
  emojiInvalid: define(ErrorCode.emojiInvalid, 'Please pick a single emoji.'),
  roomLocked: define(ErrorCode.roomLocked, 'The room is locked: the host is not letting new people in right now.'),
  roomFull: define(ErrorCode.roomFull, 'The room is full right now. Please try again in a minute.'),
  tooManyConnections: define(ErrorCode.rateLimited, (max: number) => `Too many open connections from your device (at most ${max}). Close some tabs and try again.`),
  banned: define(ErrorCode.banned, 'The host does not let this device join the room.'),
  removed: define(ErrorCode.removed, 'The host removed you from the room.'),

  // ---- posting
  messageEmpty: define(ErrorCode.messageEmpty, 'Messages cannot be empty.'),
  messageTooLong: define(ErrorCode.messageTooLong, (max: number, length: number) => `Messages can be at most ${max} characters long (this one has ${length}).`),
  messageFiltered: define(ErrorCode.messageFiltered, (word: string) => `Your message was not sent: this room does not allow “${word}”.`),
  messageHeld: define(ErrorCode.messageHeld, (word: string) => `Your message is waiting for the host to check it (it contains “${word}”). The room sees it only if the host lets it through.`),
  muted: define(ErrorCode.muted, (minutes: number) => `The host has muted you for ${minutesLeft(minutes)}.`),
  slowMode: define(ErrorCode.slowMode, (everyS: number, waitS: number) => `Slow mode is on: you can post once every ${everyS} s (again in ${waitS} s).`),
  rateLimited: define(ErrorCode.rateLimited, (detail: string) => detail),

  // ---- the console's objects
  participantNotFound: define(ErrorCode.participantNotFound, (id: number) => `No participant with id ${id}.`),
  messageNotFound: define(ErrorCode.messageNotFound, (id: number) => `No message with id ${id}.`),
  banNotFound: define(ErrorCode.banNotFound, (address: string) => `No ban for the address ${address}.`),
  heldNotFound: define(ErrorCode.notFound, (id: number) => `No held message ${id}: it was released or discarded already.`),
  heldAuthorGone: define(ErrorCode.notFound, 'The person who wrote it is no longer in the room.'),
  starterListNotFound: define(ErrorCode.notFound, (lang: string, lists: readonly string[]) => `No starter list "${lang}"; there are: ${lists.join(', ')}.`),
  reviewNotFound: define(ErrorCode.replyNotFound, (id: number) => `No answer ${id} is waiting for review (it may still be written, or was released or discarded already).`),
  replyNotStreaming: define(ErrorCode.replyNotFound, 'That answer is not being written any more.'),
  replyRowMissing: define(ErrorCode.replyNotFound, 'No AI reply with that id is being written.'),
  settingLocked: define(ErrorCode.settingLocked, (name: string, flag: string) => `${name} was set by ${flag} when the host was started; change or remove ${flag} and restart to change it here.`),
  settingInvalid: define(ErrorCode.settingInvalid, (detail: string) => detail),

  // ---- the teacher's gate
  questionNotFound: define(ErrorCode.questionNotFound, (id: number) => `No question with message id ${id}. Only messages that ask the AI in approve mode are questions.`),
  questionDecided: define(ErrorCode.questionDecided, (status: string) => `That question was already ${status}; only pending questions can be approved, rejected, merged or voted on.`),
  questionDecidedMeanwhile: define(ErrorCode.questionDecided, 'That question was decided in the meantime.'),
  mergeTarget: define(ErrorCode.questionDecided, (id: number, status: string) => `Question ${id} was ${status}; merge into a pending or approved question.`),
  mergeSelf: define(ErrorCode.validation, 'A question cannot be merged into itself; "into" must be another question\'s message id.'),
  ownVote: define(ErrorCode.validation, 'You cannot vote for your own question.'),
  emptyEdit: define(ErrorCode.messageEmpty, 'The edited question cannot be empty.'),
  questionsWaitingForHost: define(ErrorCode.aiQueueFull, (n: number) => `You already have ${n} questions waiting for the host. Please wait until the host has looked at them.`),
  nothingToSummarise: define(ErrorCode.nothingToSummarise, 'This lesson has no questions or answers yet: there is nothing to summarise.'),

  // ---- polls
  pollNotFound: define(ErrorCode.notFound, (id: number) => `No poll with id ${id}.`),
  pollClosed: define(ErrorCode.pollClosed, 'This poll is closed: it takes no more answers.'),
  replyNotFinished: define(ErrorCode.notFinished, 'This answer is still being written; try again when it has finished.'),
  ttsOff: define(ErrorCode.ttsOff, (detail: string | null = null) => withDetail('The AI app has text-to-speech turned off, so the host cannot read answers aloud with it', detail)),
  pollChoiceShape: define(ErrorCode.validation, (kind: string) => kind === 'open'
    ? 'This poll takes a short text answer: send "text", not "choice".'
    : kind === 'single' ? 'This poll takes exactly one choice: send "choice" with one option number.' : 'This poll takes one or more choices: send "choice" with option numbers, each once.'),
  pollBadIndex: define(ErrorCode.validation, (index: number, count: number) => `There is no option ${index}: this poll has options 0 to ${count - 1}.`),
  pollTextEmpty: define(ErrorCode.validation, 'Please write an answer.'),
  pollTextTooLong: define(ErrorCode.validation, (max: number, length: number) => `Answers can be at most ${max} characters long (this one has ${length}).`),
  pollInvalid: define(ErrorCode.validation, (detail: string) => detail),
  nothingToQuiz: define(ErrorCode.nothingToSummarise, (minutes: number) => `Nothing was asked or answered in the last ${minutes} minutes: there is nothing to draft a quiz from.`),
  handNotRaised: define(ErrorCode.notFound, (userId: number) => `Participant ${userId} has no hand raised.`),
  nothingToGroup: define(ErrorCode.nothingToSummarise, 'Nobody has answered this poll yet: there is nothing to group.'),
  groupChoicePoll: define(ErrorCode.validation, 'Only a poll with open answers can have its answers grouped.'),
  explainOpenPoll: define(ErrorCode.validation, 'Close the poll first: the AI explains a result once everyone has answered.'),
  explainTextPoll: define(ErrorCode.validation, 'Only a poll with options has a result the AI can explain.'),

  // ---- photos
  photosOff: define(ErrorCode.photosOff, 'The host has turned photos off in this room.'),
  fileTooLarge: define(ErrorCode.fileTooLarge, (maxMb: number) => `That photo is too large: photos can be at most ${maxMb} MB.`),
  fileType: define(ErrorCode.fileType, 'That file is not a photo the room can show (JPEG, PNG, WebP or GIF).'),
  fileMissing: define(ErrorCode.validation, 'Send the photo as one multipart part named "file".'),
  tooManyFiles: define(ErrorCode.validation, (max: number) => `A message can carry at most ${max} photos.`),
  fileNotYours: define(ErrorCode.validation, (id: string) => `No photo ${JSON.stringify(id)} of yours is waiting to be sent: attach photos you uploaded yourself, each once.`),
  photoHeld: define(ErrorCode.messageHeld, 'Your photo is waiting for the host to look at it. The room sees it only if the host lets it through.'),
  aiPhotoUpload: define(ErrorCode.aiPhotoUpload, (detail: string | null) => withDetail('The AI service did not take the photo, so the question was not asked', detail)),

  // ---- the AI
  aiNotConfigured: define(ErrorCode.aiNotConfigured, 'The AI assistant is not set up on this host.'),
  aiNotConfiguredFor: define(ErrorCode.aiNotConfigured, (why: string) => `The AI assistant is not set up on this host, so ${why}.`),
  aiNotSwappable: define(ErrorCode.aiNotConfigured, 'This host cannot change its AI service while it runs; restart it with DIFY_API_URL and DIFY_API_KEY.'),
  aiQueueFull: define(ErrorCode.aiQueueFull, 'Too many questions are waiting for the AI. Please try again in a minute.'),
  aiQueueFullForAsker: define(ErrorCode.aiQueueFull, (n: number) => `You already have ${n} questions waiting for the AI. Please wait for an answer first.`),
  aiInterrupted: define(ErrorCode.aiInterrupted, 'The host stopped while this answer was being written.'),
  aiAuth: define(ErrorCode.aiAuth, "The host's AI key was refused by the AI service."),
  aiQuota: define(ErrorCode.aiQuota, "The AI service's usage quota is used up. The host needs to check the AI account."),
  aiBusy: define(ErrorCode.aiBusy, 'The AI service is busy right now. Please try again in a moment.'),
  aiConversationGone: define(ErrorCode.aiConversationGone, 'The AI conversation no longer exists on the AI service.'),
  aiUnreachable: define(ErrorCode.aiUnreachable, 'The AI service cannot be reached. Check the network and the AI service address.'),
  aiTlsFailed: define(ErrorCode.aiUnreachable, 'The secure connection to the AI service failed.'),
  aiIdle: define(ErrorCode.aiIdleTimeout, 'The AI service stopped responding.'),
  aiDeadline: define(ErrorCode.aiDeadline, 'The AI answer took too long and was stopped.'),
  aiStreamCut: define(ErrorCode.aiStreamCut, 'The connection to the AI service was cut before the answer was complete.'),
  aiUnavailable: define(ErrorCode.aiUnavailable, (lead: string, detail: string | null = null) => withDetail(lead, detail)),
  aiUpstream: define(ErrorCode.aiUpstream, (lead: string, detail: string | null = null) => withDetail(lead, detail)),
  aiBadRequest: define(ErrorCode.aiBadRequest, (lead: string, detail: string | null = null) => withDetail(lead, detail)),
  aiStreamError: define(ErrorCode.aiStreamError, (detail: string | null) => withDetail('The AI service reported an error', detail)),
  aiNotChat: define(ErrorCode.aiNotChat, (mode: string) => `This Dify app is a "${mode}" app; MindWeb needs a chat app (chatbot, agent or chatflow).`),

  // ---- storage
  storage: define(ErrorCode.storage, 'The host could not read or save the chat.'),
  storageRowMissing: define(ErrorCode.storage, (what: string) => `A ${what} the host just wrote is missing.`),
  storageNewer: define(ErrorCode.storage, 'The chat data was written by a newer version of MindWeb Host.'),
  storageFull: define(ErrorCode.storageFull, 'The host\'s disk is full; your message was not saved.'),
  storageBusy: define(ErrorCode.storageBusy, 'The host\'s storage is busy; please try again.'),
  nameTakenInStore: define(ErrorCode.nameTaken, 'That name is already taken in this room.')
} as const
