/**
 * The HTTP contract (PROTOCOL.md "Participants", "Asking the AI", "History").
 * Route schemas and the browser client both use these.
 */
import { ReactionCounts } from './signals.js'
import { Type, type Static } from 'typebox'
import { Citation, FileId, MessageFile, MessageStatusSchema, PhotosModeSchema, Room, AiModeSchema, MAX_MESSAGE_CODE_POINTS, StopReason } from './messages.js'

export const ErrorResponse = Type.Object({
  error: Type.Object({ code: Type.String(), message: Type.String() })
})
export type ErrorResponse = Static<typeof ErrorResponse>

export const JoinBody = Type.Object({
  // Lengths are checked in code points after NFC; the schema only bounds the raw size.
  username: Type.String({ maxLength: 256 }),
  emoji: Type.Optional(Type.String({ maxLength: 64 })),
  /** Additive: the room PIN, when the host set one. */
  pin: Type.Optional(Type.String({ maxLength: 32 }))
})
export type JoinBody = Static<typeof JoinBody>

export const JoinResponse = Type.Object({
  user_id: Type.Integer(),
  token: Type.String(),
  username: Type.String(),
  emoji: Type.String(),
  room: Room,
  /** Host console: the name as asked, when the host changed it to keep names unique in this session */
  requested_username: Type.Optional(Type.String()),
  renamed: Type.Optional(Type.Boolean())
})
export type JoinResponse = Static<typeof JoinResponse>

export const UserSummary = Type.Object({
  user_id: Type.Integer(),
  username: Type.String(),
  emoji: Type.String(),
  online: Type.Boolean()
})
export type UserSummary = Static<typeof UserSummary>

export const UsersResponse = Type.Object({
  users: Type.Array(UserSummary),
  /** Additive, anonymous room: participants get only themselves in `users`, and this count. */
  anonymous: Type.Optional(Type.Boolean()),
  online_count: Type.Optional(Type.Integer())
})
export type UsersResponse = Static<typeof UsersResponse>

export const MessagesQuery = Type.Object({
  since: Type.Optional(Type.Integer({ minimum: 0 })),
  limit: Type.Optional(Type.Integer({ minimum: 1 }))
})
export type MessagesQuery = Static<typeof MessagesQuery>

export const HistoryMessage = Type.Object({
  id: Type.Integer(),
  seq: Type.Integer(),
  role: Type.Union([Type.Literal('user'), Type.Literal('assistant')]),
  content: Type.String(),
  /** `hidden` when the host hid it (then `content` is "" for participants) */
  status: Type.Union([MessageStatusSchema, Type.Literal('hidden')]),
  from_user: Type.String(),
  // a type list, not anyOf: the response serializer checks anyOf value by value (history of 500 messages: 12 ms → 6 ms)
  from_user_id: Type.Unsafe<number | null>({ type: ['integer', 'null'] }),
  emoji: Type.String(),
  timestamp: Type.Number(),
  reply_to: Type.Optional(Type.Integer()),
  /** Additive: citations kept with an AI answer. */
  citations: Type.Optional(Type.Array(Citation)),
  /** Additive: why an AI answer failed. */
  error: Type.Optional(Type.Object({ code: Type.String(), message: Type.String() })),
  /** Additive: the answer was cut at the host's answer limit (as on `ai_message_end`). */
  stop_reason: Type.Optional(StopReason),
  cut_at_chars: Type.Optional(Type.Integer()),
  /** Host console history only: hidden by the host (`content` kept, `status` the real one). */
  hidden: Type.Optional(Type.Boolean()),
  asks_ai: Type.Optional(Type.Boolean()),
  is_host: Type.Optional(Type.Boolean()),
  /** Additive: an answer the host edited before releasing it (as `ai_message_end.edited_by_host`). */
  edited_by_host: Type.Optional(Type.Boolean()),
  /** Host console history only: the host's rating of this answer, as sent to the AI app. */
  host_rating: Type.Optional(Type.Union([Type.Literal('like'), Type.Literal('dislike')])),
  /** Additive: the AI app answered from an annotation the host taught it (as `ai_message_end.teachers_answer`). */
  teachers_answer: Type.Optional(Type.Boolean()),
  /** Additive: the host is checking this answer before the room sees it (as `ai_review` `reviewing`). */
  reviewing: Type.Optional(Type.Boolean()),
  /** Follow-ups: the AI app's suggested next questions for this answer (as `ai_suggestions`). */
  suggestions: Type.Optional(Type.Array(Type.String())),
  /** Additive, per participant: their own rating of this answer (the `feedback` frame). */
  my_feedback: Type.Optional(Type.Union([Type.Literal('helpful'), Type.Literal('confused')])),
  /** Reactions: the counts by emoji, and (participant history) the reader's own */
  reactions: Type.Optional(ReactionCounts),
  my_reactions: Type.Optional(Type.Array(Type.String())),
  /** Additive: posted while the room hid names (as `user_message.anonymous`). */
  anonymous: Type.Optional(Type.Boolean()),
  /** Photos attached to a user message (as on `user_message`) */
  files: Type.Optional(Type.Array(MessageFile))
})
export type HistoryMessage = Static<typeof HistoryMessage>

export const MessagesResponse = Type.Object({ messages: Type.Array(HistoryMessage) })
export type MessagesResponse = Static<typeof MessagesResponse>

export const ChatStreamBody = Type.Object({
  message: Type.String({ maxLength: MAX_MESSAGE_CODE_POINTS * 2 }),
  conversation_id: Type.Optional(Type.Union([Type.String({ maxLength: 128 }), Type.Null()])),
  username: Type.Optional(Type.String({ maxLength: 256 })),
  emoji: Type.Optional(Type.String({ maxLength: 64 })),
  /** Photos: the sender's own uploads, as in the chat frame */
  files: Type.Optional(Type.Array(FileId, { maxItems: 16 }))
})
export type ChatStreamBody = Static<typeof ChatStreamBody>

/** `GET /api/room`: what a page needs before it joins or right after (additive). */
export const RoomInfoResponse = Type.Object({
  room: Room,
  ai_mode: AiModeSchema,
  ai_available: Type.Boolean(),
  pin_required: Type.Boolean(),
  /** Host console: new joins are refused while the host keeps the room locked */
  locked: Type.Optional(Type.Boolean()),
  /** Additive, anonymous room: participants do not see each other's names */
  anonymous: Type.Optional(Type.Boolean()),
  /** Photos: off, check (the host sees them first) or on */
  photos: Type.Optional(PhotosModeSchema),
  opening_statement: Type.Union([Type.String(), Type.Null()]),
  suggested_questions: Type.Array(Type.String()),
  limits: Type.Object({ max_message_length: Type.Integer() })
})
export type RoomInfoResponse = Static<typeof RoomInfoResponse>

/** `POST /api/files`: the stored photo (re-encoded, no EXIF), ready to name in a chat's `files`. */
export const FileUploadResponse = Type.Object({
  file_id: Type.String(),
  url: Type.String(),
  thumb_url: Type.String(),
  width: Type.Integer(),
  height: Type.Integer(),
  bytes: Type.Integer(),
  mime_type: Type.String()
})
export type FileUploadResponse = Static<typeof FileUploadResponse>

export const HealthResponse = Type.Object({ ok: Type.Boolean() })
