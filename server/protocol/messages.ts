/**
 * The WebSocket wire contract (PROTOCOL.md, "The room over WebSocket").
 * Shared by the server, the browser clients and the tests: it imports only `typebox`.
 */
import { Type, type Static } from 'typebox'
import { PollAnswerFrame, PollResultsFrame, PollUpdateFrame } from './polls.js'
import { ReactFrame, ReactionsFrame, SignalClearedFrame, SignalFrame } from './signals.js'

/** Protocol version announced in `hello`. */
export const PROTOCOL_VERSION = 1
/** Longest chat message, in Unicode code points after normalisation. */
export const MAX_MESSAGE_CODE_POINTS = 4000
/** Longest `client_msg_id`, in characters. */
export const MAX_CLIENT_MSG_ID_LENGTH = 64
/** Largest WebSocket frame a client may send, in bytes (4,000 code points of 4-byte UTF-8 plus JSON). */
export const MAX_CLIENT_FRAME_BYTES = 64 * 1024

/** Error code sent to each socket of a participant the host removed, just before the close. */
export const ERR_REMOVED = 'ERR_REMOVED'
/** WebSocket close code after `ERR_REMOVED` (kick or ban): the token is refused from then on. */
export const CLOSE_REMOVED = 4001
/** How often a client pings when nothing else is sent (the server answers `pong`). */
export const CLIENT_PING_MS = 25_000
/** A client that has heard nothing for this long (no pong either) treats the link as dead. */
export const CLIENT_STALE_MS = 60_000

export const AiMode = { mention: 'mention', all: 'all', approve: 'approve', off: 'off' } as const
export type AiMode = typeof AiMode[keyof typeof AiMode]
export const AiModeSchema = Type.Union([Type.Literal('mention'), Type.Literal('all'), Type.Literal('approve'), Type.Literal('off')])

export const MessageStatus = {
  complete: 'complete',
  streaming: 'streaming',
  stopped: 'stopped',
  failed: 'failed',
  interrupted: 'interrupted'
} as const
export type MessageStatus = typeof MessageStatus[keyof typeof MessageStatus]
export const MessageStatusSchema = Type.Union([
  Type.Literal('complete'), Type.Literal('streaming'), Type.Literal('stopped'),
  Type.Literal('failed'), Type.Literal('interrupted')
])

/** Why an answer stopped when the host, not the asker, ended it: `length` = the answer limit. */
export const StopReason = Type.Literal('length')
export type StopReason = Static<typeof StopReason>

export const Room = Type.Object({ id: Type.String(), name: Type.String() })
export type Room = Static<typeof Room>

/** Photos in the room (the host's choice): refused, held for the host first, or posted directly. */
export const PhotosMode = { off: 'off', check: 'check', on: 'on' } as const
export type PhotosMode = typeof PhotosMode[keyof typeof PhotosMode]
export const PhotosModeSchema = Type.Union([Type.Literal('off'), Type.Literal('check'), Type.Literal('on')])
/** Most photos one message may carry. */
export const MAX_FILES_PER_MESSAGE = 4
/** Largest photo a participant may upload, in bytes (Dify's own image limit is 10 MB too). */
export const MAX_UPLOAD_BYTES = 10 * 1024 * 1024
/** An uploaded photo's id (random, unguessable): what a chat frame names in `files`. */
export const FileId = Type.String({ minLength: 1, maxLength: 64, pattern: '^[A-Za-z0-9_-]+$' })

/** A photo as a message carries it. */
export const MessageFile = Type.Object({
  file_id: Type.String(),
  url: Type.String(),
  thumb_url: Type.String(),
  width: Type.Integer(),
  height: Type.Integer()
})
export type MessageFile = Static<typeof MessageFile>

export const ErrorBody = Type.Object({ code: Type.String(), message: Type.String() })
export type ErrorBody = Static<typeof ErrorBody>

/** A citation kept from Dify's `message_end.metadata.retriever_resources`. */
export const Citation = Type.Object({
  position: Type.Number(),
  document_name: Type.Optional(Type.Union([Type.String(), Type.Null()])),
  dataset_name: Type.Optional(Type.Union([Type.String(), Type.Null()])),
  content: Type.Optional(Type.Union([Type.String(), Type.Null()])),
  score: Type.Optional(Type.Union([Type.Number(), Type.Null()]))
})
export type Citation = Static<typeof Citation>

// ---------------------------------------------------------------- client -> server

export const ChatFrame = Type.Object({
  type: Type.Literal('chat'),
  content: Type.String(),
  client_msg_id: Type.Optional(Type.String({ minLength: 1, maxLength: MAX_CLIENT_MSG_ID_LENGTH })),
  /** Additive: asks the AI without an `@ai` mention (in `approve` mode the host decides first). */
  ask_ai: Type.Optional(Type.Boolean()),
  /** Photos: the sender's own uploads (POST /api/files), at most MAX_FILES_PER_MESSAGE */
  files: Type.Optional(Type.Array(FileId, { maxItems: 16 }))
})
export type ChatFrame = Static<typeof ChatFrame>

export const PingFrame = Type.Object({ type: Type.Literal('ping') })
export type PingFrame = Static<typeof PingFrame>

/** Additive: the asker (or the host) stops an AI reply that is streaming or queued. */
export const StopFrame = Type.Object({ type: Type.Literal('stop'), id: Type.Integer({ minimum: 1 }) })
export type StopFrame = Static<typeof StopFrame>

/** The teacher's gate: a participant's vote for a waiting question (`up: false` takes it back). */
export const VoteFrame = Type.Object({ type: Type.Literal('vote'), message_id: Type.Integer({ minimum: 1 }), up: Type.Boolean() })
export type VoteFrame = Static<typeof VoteFrame>

/** Feedback: a participant's rating of an AI answer (one per participant per answer; null takes it back). */
export const FeedbackRating = Type.Union([Type.Literal('helpful'), Type.Literal('confused')])
export type FeedbackRating = Static<typeof FeedbackRating>
export const FeedbackFrame = Type.Object({ type: Type.Literal('feedback'), message_id: Type.Integer({ minimum: 1 }), rating: Type.Union([FeedbackRating, Type.Null()]) })
export type FeedbackFrame = Static<typeof FeedbackFrame>

export const ClientFrame = Type.Union([ChatFrame, PingFrame, StopFrame, VoteFrame, FeedbackFrame, PollAnswerFrame, SignalFrame, ReactFrame])
export type ClientFrame = Static<typeof ClientFrame>
export const CLIENT_FRAME_TYPES = ['chat', 'ping', 'stop', 'vote', 'feedback', 'poll_answer', 'signal', 'react'] as const

// ---------------------------------------------------------------- server -> client

export const HelloFrame = Type.Object({
  type: Type.Literal('hello'),
  protocol: Type.Literal(PROTOCOL_VERSION),
  room: Room,
  user_id: Type.Integer(),
  last_seq: Type.Integer(),
  online_count: Type.Integer(),
  ai_mode: AiModeSchema,
  /** Additive: whether an AI service is configured at all. */
  ai_available: Type.Optional(Type.Boolean()),
  /** Additive: server time, so clients can correct clock skew. */
  server_time: Type.Optional(Type.Number()),
  /** Host console: the room's current state (PROTOCOL.md "Room"). */
  locked: Type.Optional(Type.Boolean()),
  slow_mode_s: Type.Optional(Type.Integer({ minimum: 0 })),
  announcement: Type.Optional(Type.String()),
  /** the current session (lesson) */
  session_id: Type.Optional(Type.Integer()),
  /** Additive: this participant is muted until then (ms since epoch); absent when not muted. */
  muted_until: Type.Optional(Type.Number()),
  /** Additive, anonymous room: participants do not see each other's names (the host does). */
  anonymous: Type.Optional(Type.Boolean()),
  /** Additive, participants: their own signals now, so that a reloaded page shows them pressed. */
  my_signals: Type.Optional(Type.Object({ feeling: Type.Union([Type.Literal('lost'), Type.Literal('got_it'), Type.Null()]), hand: Type.Boolean() })),
  /** Photos: off, check (the host sees them first) or on */
  photos: Type.Optional(PhotosModeSchema)
})
export type HelloFrame = Static<typeof HelloFrame>

export const UserMessageFrame = Type.Object({
  type: Type.Literal('user_message'),
  id: Type.Integer(),
  seq: Type.Integer(),
  content: Type.String(),
  from_user: Type.String(),
  from_user_id: Type.Integer(),
  emoji: Type.String(),
  timestamp: Type.Number(),
  client_msg_id: Type.Optional(Type.String()),
  /** Additive: true when this message asks the AI (a reply with `reply_to` = id follows). */
  asks_ai: Type.Optional(Type.Boolean()),
  /** Host console: posted by the host (`from_user: "Host"`, `from_user_id: 0`). */
  is_host: Type.Optional(Type.Boolean()),
  /** Host console: hidden by the host. Participants get `content: ""`; admin sockets keep the text. */
  hidden: Type.Optional(Type.Boolean()),
  /**
   * Additive: posted while the room hid names. Other participants get `from_user: "Anonymous"`,
   * `from_user_id: 0` and a neutral emoji; its author and admin sockets get the real ones.
   */
  anonymous: Type.Optional(Type.Boolean()),
  /** Photos attached to the message (absent when none; participants get none while it is hidden) */
  files: Type.Optional(Type.Array(MessageFile))
})
export type UserMessageFrame = Static<typeof UserMessageFrame>

export const AiMessageStartFrame = Type.Object({
  type: Type.Literal('ai_message_start'),
  id: Type.Integer(),
  seq: Type.Integer(),
  reply_to: Type.Integer(),
  timestamp: Type.Number(),
  queue_position: Type.Integer({ minimum: 0 })
})
export type AiMessageStartFrame = Static<typeof AiMessageStartFrame>

export const AiMessageQueueFrame = Type.Object({
  type: Type.Literal('ai_message_queue'),
  id: Type.Integer(),
  queue_position: Type.Integer({ minimum: 0 })
})
export type AiMessageQueueFrame = Static<typeof AiMessageQueueFrame>

export const AiMessageChunkFrame = Type.Object({
  type: Type.Literal('ai_message_chunk'),
  id: Type.Integer(),
  reply_to: Type.Integer(),
  content: Type.String(),
  conversation_id: Type.String(),
  timestamp: Type.Number(),
  snapshot: Type.Optional(Type.Boolean())
})
export type AiMessageChunkFrame = Static<typeof AiMessageChunkFrame>

export const AiMessageReplaceFrame = Type.Object({
  type: Type.Literal('ai_message_replace'),
  id: Type.Integer(),
  content: Type.String()
})
export type AiMessageReplaceFrame = Static<typeof AiMessageReplaceFrame>

export const AiMessageEndFrame = Type.Object({
  type: Type.Literal('ai_message_end'),
  id: Type.Integer(),
  seq: Type.Integer(),
  reply_to: Type.Integer(),
  content: Type.String(),
  status: Type.Union([Type.Literal('complete'), Type.Literal('stopped')]),
  conversation_id: Type.String(),
  timestamp: Type.Number(),
  /** Additive: citations from the knowledge base, when the AI used one. */
  citations: Type.Optional(Type.Array(Citation)),
  /** Additive: the host edited this answer before releasing it (review answers first). */
  edited_by_host: Type.Optional(Type.Boolean()),
  /** Additive: the AI app answered with an annotation the host taught it ("the teacher's answer"). */
  teachers_answer: Type.Optional(Type.Boolean()),
  /** Additive, with `status: "stopped"`: the answer reached the host's answer limit and was cut there. */
  stop_reason: Type.Optional(StopReason),
  /** Additive, with `stop_reason`: the limit in characters; `content` holds exactly that many. */
  cut_at_chars: Type.Optional(Type.Integer({ minimum: 1 })),
  /** Host console: hidden by the host (see UserMessageFrame.hidden). */
  hidden: Type.Optional(Type.Boolean())
})
export type AiMessageEndFrame = Static<typeof AiMessageEndFrame>

export const AiMessageErrorFrame = Type.Object({
  type: Type.Literal('ai_message_error'),
  id: Type.Integer(),
  seq: Type.Integer(),
  reply_to: Type.Integer(),
  content: Type.String(),
  status: Type.Union([Type.Literal('failed'), Type.Literal('interrupted')]),
  error: ErrorBody,
  timestamp: Type.Number(),
  /** Host console: hidden by the host (see UserMessageFrame.hidden). */
  hidden: Type.Optional(Type.Boolean())
})
export type AiMessageErrorFrame = Static<typeof AiMessageErrorFrame>

export const PresenceUser = Type.Object({ user_id: Type.Integer(), username: Type.String(), emoji: Type.String() })
export type PresenceUser = Static<typeof PresenceUser>

export const PresenceFrame = Type.Object({
  type: Type.Literal('presence'),
  joined: Type.Array(PresenceUser),
  left: Type.Array(Type.Integer()),
  online_count: Type.Integer(),
  /**
   * Additive: in a large room the changes are not listed (that would cost every participant a
   * message per join); this many were left out. Read the list from GET /api/users when needed.
   */
  changes_omitted: Type.Optional(Type.Integer({ minimum: 1 }))
})
export type PresenceFrame = Static<typeof PresenceFrame>

export const PongFrame = Type.Object({ type: Type.Literal('pong') })
export type PongFrame = Static<typeof PongFrame>

export const ErrorFrame = Type.Object({
  type: Type.Literal('error'),
  code: Type.String(),
  message: Type.String(),
  retry_after_ms: Type.Optional(Type.Integer({ minimum: 0 })),
  /** Additive: the chat this error refused (it was not posted; a resend counts as new). */
  client_msg_id: Type.Optional(Type.String())
})
export type ErrorFrame = Static<typeof ErrorFrame>

/** Additive: the host changed how the room asks the AI. */
export const RoomUpdateFrame = Type.Object({
  type: Type.Literal('room_update'),
  ai_mode: AiModeSchema,
  ai_available: Type.Boolean(),
  /** Host console: the fields the host changed (PROTOCOL.md "Room"). */
  locked: Type.Optional(Type.Boolean()),
  slow_mode_s: Type.Optional(Type.Integer({ minimum: 0 })),
  announcement: Type.Optional(Type.String()),
  room: Type.Optional(Room),
  /** the host set or removed the join PIN: pages about to join ask for it, or no longer */
  pin_required: Type.Optional(Type.Boolean()),
  /** the host hid or showed participants' names (anonymous room) */
  anonymous: Type.Optional(Type.Boolean()),
  /** the host changed the photo rule */
  photos: Type.Optional(PhotosModeSchema)
})
export type RoomUpdateFrame = Static<typeof RoomUpdateFrame>

/** Host console: a message was hidden (persisted). Show a tombstone; history lists it as `status: "hidden"`. */
export const MessageHiddenFrame = Type.Object({ type: Type.Literal('message_hidden'), id: Type.Integer(), seq: Type.Integer() })
export type MessageHiddenFrame = Static<typeof MessageHiddenFrame>

/** Host console: the host took a hide back (persisted); `message` is the frame that shows it again. */
export const MessageUnhiddenFrame = Type.Object({
  type: Type.Literal('message_unhidden'),
  id: Type.Integer(),
  seq: Type.Integer(),
  message: Type.Union([UserMessageFrame, AiMessageEndFrame, AiMessageErrorFrame])
})
export type MessageUnhiddenFrame = Static<typeof MessageUnhiddenFrame>

/** Host console: a new session (lesson) began (persisted); clients clear what they show. */
export const RoomClearedFrame = Type.Object({ type: Type.Literal('room_cleared'), seq: Type.Integer(), session_id: Type.Integer() })
export type RoomClearedFrame = Static<typeof RoomClearedFrame>

/** The teacher's gate: a question's state changed (persisted; replayed by since=). */
export const QuestionUpdateFrame = Type.Object({
  type: Type.Literal('question_update'),
  message_id: Type.Integer(),
  seq: Type.Integer(),
  status: Type.Union([Type.Literal('pending'), Type.Literal('approved'), Type.Literal('rejected'), Type.Literal('merged')]),
  votes: Type.Integer({ minimum: 0 }),
  /** the host's reason (rejected) */
  reason: Type.Optional(Type.String()),
  /** approved after the host edited the text; `content` is what the AI was asked */
  edited: Type.Optional(Type.Boolean()),
  content: Type.Optional(Type.String()),
  /** merged: the question that answers this one */
  merged_into: Type.Optional(Type.Integer()),
  /** questions still waiting for the host after this change */
  waiting_count: Type.Optional(Type.Integer({ minimum: 0 })),
  /** only to the participant whose vote this was: whether they now vote for it */
  my_vote: Type.Optional(Type.Boolean())
})
export type QuestionUpdateFrame = Static<typeof QuestionUpdateFrame>

/**
 * Review answers first: `reviewing` (to everyone, when an answer is held for the host), `ready` (to
 * the host's sockets, with the whole answer), `released` (everyone, right after the persisted
 * `ai_message_end` with the whole answer; `edited` when the host changed it) or `discarded` (with the
 * host's note, after an empty `stopped` end).
 */
export const AiReviewFrame = Type.Object({
  type: Type.Literal('ai_review'),
  id: Type.Integer(),
  reply_to: Type.Integer(),
  status: Type.Union([Type.Literal('reviewing'), Type.Literal('ready'), Type.Literal('released'), Type.Literal('discarded')]),
  note: Type.Optional(Type.String()),
  edited: Type.Optional(Type.Boolean()),
  content: Type.Optional(Type.String())
})
export type AiReviewFrame = Static<typeof AiReviewFrame>

/**
 * Additive, to the muted participant's own sockets only (not persisted): the host muted them until
 * `until` (ms since epoch), or lifted it (`until: null`). `hello.muted_until` carries it on reconnect.
 */
export const MutedFrame = Type.Object({ type: Type.Literal('muted'), until: Type.Union([Type.Number(), Type.Null()]) })
export type MutedFrame = Static<typeof MutedFrame>

/** Follow-ups: the AI app's suggested next questions after an answer (no `seq`; history lists them). */
export const AiSuggestionsFrame = Type.Object({ type: Type.Literal('ai_suggestions'), message_id: Type.Integer(), suggestions: Type.Array(Type.String()) })
export type AiSuggestionsFrame = Static<typeof AiSuggestionsFrame>

export const ServerFrame = Type.Union([
  HelloFrame, UserMessageFrame, AiMessageStartFrame, AiMessageQueueFrame, AiMessageChunkFrame,
  AiMessageReplaceFrame, AiMessageEndFrame, AiMessageErrorFrame, PresenceFrame, PongFrame, ErrorFrame, RoomUpdateFrame,
  MessageHiddenFrame, MessageUnhiddenFrame, RoomClearedFrame,
  QuestionUpdateFrame, AiReviewFrame, MutedFrame, AiSuggestionsFrame, PollUpdateFrame, PollResultsFrame, SignalClearedFrame, ReactionsFrame
])
export type ServerFrame = Static<typeof ServerFrame>
/** Frames that carry a `seq` and are replayed on resume. */
export type PersistedFrame = UserMessageFrame | AiMessageStartFrame | AiMessageEndFrame | AiMessageErrorFrame | QuestionUpdateFrame
  | MessageHiddenFrame | MessageUnhiddenFrame | RoomClearedFrame | PollUpdateFrame

// ---------------------------------------------------------------- text rules shared by both sides

export const MAX_USERNAME_CODE_POINTS = 32

const AI_MENTION = /(^|[^\p{L}\p{N}_@])@ai(?![\p{L}\p{N}_])/iu
/** The same, global, for replace(): compiled once (a Unicode-aware case-insensitive class is costly to compile). */
const AI_MENTIONS = new RegExp(AI_MENTION.source, 'giu')

/** True when a chat asks the AI in `mention` mode: `@ai` as a word, any case. */
export function mentionsAi (content: string): boolean {
  return AI_MENTION.test(content)
}

/** The question without its `@ai` mentions (what the AI is asked). */
export function withoutAiMention (content: string): string {
  const stripped = content.replace(AI_MENTIONS, '$1').replace(/[ \t]{2,}/g, ' ').trim()
  return stripped === '' ? content.trim() : stripped
}

/** Number of Unicode code points (what every length limit counts). */
export function codePointLength (text: string): number {
  let n = 0
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i)
    // a high surrogate followed by a low one is one code point
    if (code >= 0xD800 && code <= 0xDBFF && i + 1 < text.length) {
      const next = text.charCodeAt(i + 1)
      if (next >= 0xDC00 && next <= 0xDFFF) i++
    }
    n++
  }
  return n
}

// eslint-disable-next-line no-control-regex -- the point is to match control characters
const CONTROL_EXCEPT_NL_TAB = /[\u0000-\u0008\u000B-\u001F\u007F-\u009F\u200E\u200F\u202A-\u202E\u2066-\u2069]/g
// eslint-disable-next-line no-control-regex -- the point is to match control characters
const ANY_CONTROL = /[\u0000-\u001F\u007F-\u009F\u202A-\u202E\u2066-\u2069]/

/** Chat text as stored: NFC, control characters other than newline and tab removed, CRLF as LF. */
export function normalizeChatText (raw: string): string {
  return raw.replace(/\r\n?/g, '\n').normalize('NFC').replace(CONTROL_EXCEPT_NL_TAB, '')
}

/** True when a name holds a control character (refused, never silently stripped). */
export function hasControlCharacters (text: string): boolean {
  return ANY_CONTROL.test(text)
}
