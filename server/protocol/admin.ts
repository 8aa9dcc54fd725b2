/**
 * The host console's contract (PROTOCOL.md "Host console additions" and the host's own additions in
 * docs/PROTOCOL.md): bodies, answers and admin-only frames of `/api/admin/*` and the admin socket.
 * Routes validate with these schemas; the console and the tests import the types.
 */
import { Type, type Static } from 'typebox'
import { AiMessageChunkFrame, AiMessageReplaceFrame, AiModeSchema, MAX_MESSAGE_CODE_POINTS, MessageFile, PhotosModeSchema, Room, ErrorBody, type ServerFrame } from './messages.js'
import { ProjectorUpdateFrame } from './gate.js'
import { HistoryMessage } from './http.js'
import { SignalsFrame } from './signals.js'
import { PollGroupsFrame } from './polls.js'

// ---------------------------------------------------------------- shared pieces

/*
 * "T or null" written as a JSON Schema type list rather than TypeBox's anyOf: the response
 * serializer handles a type list directly, while anyOf runs a schema check per value (a People
 * list of 500 took 30 ms to serialize instead of 2).
 */
const NullableNumber = Type.Unsafe<number | null>({ type: ['number', 'null'] })
const NullableString = Type.Unsafe<string | null>({ type: ['string', 'null'] })
const NullableObject = Type.Unsafe<Record<string, unknown> | null>({ type: ['object', 'null'], additionalProperties: true })

export const Ok = Type.Object({ ok: Type.Boolean() })
export type Ok = Static<typeof Ok>

export const IdParams = Type.Object({ id: Type.Integer({ minimum: 1 }) })
export const UserIdParams = Type.Object({ user_id: Type.Integer({ minimum: 1 }) })

export const AdminStats = Type.Object({
  messages: Type.Integer(),
  ai_answered: Type.Integer(),
  ai_failed: Type.Integer(),
  ai_waiting: Type.Integer(),
  tokens_used: Type.Integer(),
  ttft_median_ms: Type.Union([Type.Number(), Type.Null()])
})
export type AdminStats = Static<typeof AdminStats>

// ---------------------------------------------------------------- status

export const AdminStatus = Type.Object({
  room: Room,
  ai_mode: AiModeSchema,
  ai_available: Type.Boolean(),
  online_count: Type.Integer(),
  connections: Type.Integer(),
  ai: Type.Object({ active: Type.Integer(), queued: Type.Integer() }),
  last_seq: Type.Integer(),
  peak_online: Type.Integer(),
  locked: Type.Boolean(),
  slow_mode_s: Type.Integer(),
  announcement: Type.String(),
  /** Additive: anonymous room (names hidden from participants and the projector) */
  anonymous: Type.Optional(Type.Boolean()),
  /** photos: off, check (the host sees them first) or on */
  photos: Type.Optional(PhotosModeSchema),
  session_id: Type.Integer(),
  session_started_at: Type.Number(),
  pin_required: Type.Boolean(),
  stats: AdminStats
})
export type AdminStatus = Static<typeof AdminStatus>

// ---------------------------------------------------------------- network

export const AddressKind = Type.Union([Type.Literal('lan'), Type.Literal('loopback'), Type.Literal('link-local'), Type.Literal('virtual')])
export type AddressKind = Static<typeof AddressKind>

export const JoinAddress = Type.Object({
  address: Type.String(),
  url: Type.String(),
  interface: Type.String(),
  kind: AddressKind,
  is_default: Type.Boolean()
})
export type JoinAddress = Static<typeof JoinAddress>

export const Diagnostic = Type.Object({
  level: Type.Union([Type.Literal('info'), Type.Literal('warn')]),
  code: Type.String(),
  message: Type.String()
})
export type Diagnostic = Static<typeof Diagnostic>

export const NetworkResponse = Type.Object({
  port: Type.Integer(),
  pin: Type.Union([Type.String(), Type.Null()]),
  addresses: Type.Array(JoinAddress),
  diagnostics: Type.Array(Diagnostic)
})
export type NetworkResponse = Static<typeof NetworkResponse>

// ---------------------------------------------------------------- participants

export const ParticipantScope = Type.Union([Type.Literal('session'), Type.Literal('online'), Type.Literal('all')])
export type ParticipantScope = Static<typeof ParticipantScope>
export const ParticipantsQuery = Type.Object({ scope: Type.Optional(ParticipantScope) })

export const AdminParticipant = Type.Object({
  user_id: Type.Integer(),
  username: Type.String(),
  emoji: Type.String(),
  online: Type.Boolean(),
  message_count: Type.Integer(),
  muted_until: NullableNumber,
  banned: Type.Boolean(),
  /** kicked or banned: the token no longer works */
  removed: Type.Boolean(),
  address: NullableString,
  joined_at: Type.Number(),
  last_seen: NullableNumber
})
export type AdminParticipant = Static<typeof AdminParticipant>

export const ParticipantsResponse = Type.Object({ participants: Type.Array(AdminParticipant) })
export type ParticipantsResponse = Static<typeof ParticipantsResponse>

/** Minutes of silence; 0 lifts a mute. At most a day. */
export const MuteBody = Type.Object({ minutes: Type.Integer({ minimum: 0, maximum: 1440 }) }, { additionalProperties: false })
export type MuteBody = Static<typeof MuteBody>

export const ParticipantResponse = Type.Object({ participant: AdminParticipant })
export type ParticipantResponse = Static<typeof ParticipantResponse>
/** A ban's answer: `removed_count` identities were removed, the banned one and every other one on its address. */
export const BanResponse = Type.Object({ participant: AdminParticipant, removed_count: Type.Integer({ minimum: 1 }) })
export type BanResponse = Static<typeof BanResponse>

export const Ban = Type.Object({
  address: Type.String(),
  user_id: NullableNumber,
  username: NullableString,
  at: Type.Number()
})
export type Ban = Static<typeof Ban>
export const BansResponse = Type.Object({ bans: Type.Array(Ban) })
export type BansResponse = Static<typeof BansResponse>
export const AddressParams = Type.Object({ address: Type.String({ minLength: 1, maxLength: 64 }) })

// ---------------------------------------------------------------- messages

export const HostMessageBody = Type.Object({ content: Type.String({ maxLength: MAX_MESSAGE_CODE_POINTS * 2 }) })
export type HostMessageBody = Static<typeof HostMessageBody>
export const HostMessageResponse = Type.Object({
  id: Type.Integer(),
  seq: Type.Integer(),
  /** the AI reply it started, if it asked the AI */
  reply_id: Type.Union([Type.Integer(), Type.Null()])
})
export type HostMessageResponse = Static<typeof HostMessageResponse>

/** `seq`: of the message_hidden / message_unhidden frame, or the message's own when nothing changed. */
export const HideResponse = Type.Object({ id: Type.Integer(), seq: Type.Integer(), hidden: Type.Boolean() })
export type HideResponse = Static<typeof HideResponse>

export const AdminMessagesResponse = Type.Object({ messages: Type.Array(HistoryMessage) })
export type AdminMessagesResponse = Static<typeof AdminMessagesResponse>
/** Console history lines: the participant shape, hidden ones keep `content` and carry `hidden: true`. */
export type AdminMessage = HistoryMessage

// ---------------------------------------------------------------- room and sessions

export const MAX_ANNOUNCEMENT_CODE_POINTS = 500
export const MAX_SLOW_MODE_S = 3600

export const RoomPatchBody = Type.Object({
  locked: Type.Optional(Type.Boolean()),
  slow_mode_s: Type.Optional(Type.Integer({ minimum: 0, maximum: MAX_SLOW_MODE_S })),
  announcement: Type.Optional(Type.String({ maxLength: MAX_ANNOUNCEMENT_CODE_POINTS * 2 })),
  /** anonymous room: names hidden from participants (and the projector), shown to the host */
  anonymous: Type.Optional(Type.Boolean()),
  photos: Type.Optional(PhotosModeSchema)
}, { minProperties: 1, additionalProperties: false })
export type RoomPatchBody = Static<typeof RoomPatchBody>

export const RoomStateResponse = Type.Object({
  locked: Type.Boolean(),
  slow_mode_s: Type.Integer(),
  announcement: Type.String(),
  anonymous: Type.Boolean(),
  photos: PhotosModeSchema
})
export type RoomStateResponse = Static<typeof RoomStateResponse>

export const SessionResponse = Type.Object({ session_id: Type.Integer(), started_at: Type.Number(), seq: Type.Integer() })
export type SessionResponse = Static<typeof SessionResponse>

// ---------------------------------------------------------------- settings

export const RateSetting = Type.Object({
  count: Type.Integer({ minimum: 1, maximum: 100_000 }),
  per_s: Type.Integer({ minimum: 1, maximum: 86_400 })
})
export type RateSetting = Static<typeof RateSetting>

export const LimitsSetting = Type.Object({
  chat_rate: RateSetting,
  ai_rate: RateSetting,
  room_ai_rate: RateSetting,
  join_rate: RateSetting
})
export type LimitsSetting = Static<typeof LimitsSetting>
export const LIMIT_NAMES = ['chat_rate', 'ai_rate', 'room_ai_rate', 'join_rate'] as const

export const DifyInputValue = Type.Union([Type.String({ maxLength: 10_000 }), Type.Number(), Type.Boolean()])
export type DifyInputValue = Static<typeof DifyInputValue>

export const KeyState = Type.Object({
  is_set: Type.Boolean(),
  /** the last 4 characters: the key never leaves the host in full */
  last4: Type.Union([Type.String(), Type.Null()]),
  /** stored sealed by the operating system's key store (desktop) or as plain text (headless) */
  is_encrypted: Type.Boolean()
})
export type KeyState = Static<typeof KeyState>

export const MAX_AI_CONCURRENCY = 200
/** The longest AI answer, in characters (code points): the default and what the setting allows. */
export const ANSWER_LIMIT = { default: 100_000, min: 1_000, max: 1_000_000 } as const

export const Settings = Type.Object({
  room_name: Type.String(),
  ai_mode: AiModeSchema,
  dify_api_url: Type.Union([Type.String(), Type.Null()]),
  dify_api_key: KeyState,
  dify_inputs: Type.Record(Type.String(), DifyInputValue),
  ai_concurrency: Type.Integer(),
  /** an answer stops at this many characters (`stop_reason: "length"` on its end) */
  ai_max_answer_chars: Type.Integer(),
  review_answers: Type.Boolean(),
  allowed_hosts: Type.Array(Type.String()),
  limits: LimitsSetting,
  /** the join PIN (4-8 digits), null: anyone on the network may join */
  pin: Type.Optional(Type.Union([Type.String(), Type.Null()]))
})
export type Settings = Static<typeof Settings>

export const SettingsResponse = Type.Object({
  settings: Settings,
  /** setting name → the launch flag or environment variable that fixed it */
  locked: Type.Record(Type.String(), Type.String()),
  defaults: LimitsSetting
})
export type SettingsResponse = Static<typeof SettingsResponse>

export const SettingsUpdate = Type.Object({
  room_name: Type.Optional(Type.String({ maxLength: 256 })),
  ai_mode: Type.Optional(Type.String()),
  dify_api_url: Type.Optional(Type.Union([Type.String({ maxLength: 2048 }), Type.Null()])),
  /** plain text here; "" clears it */
  dify_api_key: Type.Optional(Type.String({ maxLength: 512 })),
  dify_inputs: Type.Optional(Type.Record(Type.String({ maxLength: 128 }), DifyInputValue)),
  ai_concurrency: Type.Optional(Type.Integer()),
  ai_max_answer_chars: Type.Optional(Type.Integer()),
  review_answers: Type.Optional(Type.Boolean()),
  allowed_hosts: Type.Optional(Type.Array(Type.String({ maxLength: 253 }), { maxItems: 50 })),
  limits: Type.Optional(Type.Partial(LimitsSetting)),
  /** 4-8 digits; "" or null turns the PIN off */
  pin: Type.Optional(Type.Union([Type.String({ maxLength: 16 }), Type.Null()]))
}, { additionalProperties: false })
export type SettingsUpdate = Static<typeof SettingsUpdate>

// ---------------------------------------------------------------- the AI app

export const FormFieldType = Type.Union([
  Type.Literal('text-input'), Type.Literal('paragraph'), Type.Literal('select'), Type.Literal('number'), Type.Literal('checkbox')
])
export type FormFieldType = Static<typeof FormFieldType>

export const FormField = Type.Object({
  variable: Type.String(),
  label: Type.String(),
  type: FormFieldType,
  required: Type.Boolean(),
  options: Type.Optional(Type.Array(Type.String())),
  default: Type.Optional(Type.Union([DifyInputValue, Type.Null()])),
  max_length: Type.Optional(Type.Union([Type.Integer(), Type.Null()]))
})
export type FormField = Static<typeof FormField>

export const AiAppInfo = Type.Object({
  name: Type.Union([Type.String(), Type.Null()]),
  description: Type.Union([Type.String(), Type.Null()]),
  mode: Type.Union([Type.String(), Type.Null()]),
  opening_statement: Type.Union([Type.String(), Type.Null()]),
  suggested_questions: Type.Array(Type.String()),
  /** Additive: the app's switches the room's features depend on */
  features: Type.Optional(Type.Object({ vision: Type.Boolean(), text_to_speech: Type.Boolean(), follow_ups: Type.Boolean(), annotation_reply: Type.Boolean() }))
})
export type AiAppInfo = Static<typeof AiAppInfo>

export const AiTestBody = Type.Object({
  dify_api_url: Type.Optional(Type.String({ maxLength: 2048 })),
  dify_api_key: Type.Optional(Type.String({ maxLength: 512 }))
}, { additionalProperties: false })
export type AiTestBody = Static<typeof AiTestBody>

export const AiTestResponse = Type.Union([
  Type.Object({ ok: Type.Literal(true), app: AiAppInfo, form: Type.Array(FormField), missing_inputs: Type.Array(Type.String()) }),
  Type.Object({ ok: Type.Literal(false), error: ErrorBody })
])
export type AiTestResponse = Static<typeof AiTestResponse>

export const AiFormResponse = Type.Object({
  form: Type.Array(FormField),
  values: Type.Record(Type.String(), DifyInputValue)
})
export type AiFormResponse = Static<typeof AiFormResponse>

// ---------------------------------------------------------------- audit

export const AuditEntry = Type.Object({
  id: Type.Integer(),
  at: Type.Number(),
  action: Type.String(),
  target: NullableString,
  detail: NullableObject
})
export type AuditEntry = Static<typeof AuditEntry>
export const AuditQuery = Type.Object({ limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000 })) })
export const AuditResponse = Type.Object({ entries: Type.Array(AuditEntry) })
export type AuditResponse = Static<typeof AuditResponse>

// ---------------------------------------------------------------- admin-only frames

export const AdminStatsFrame = Type.Object({
  type: Type.Literal('admin_stats'),
  stats: AdminStats,
  online_count: Type.Integer(),
  peak_online: Type.Integer(),
  at: Type.Number()
})
export type AdminStatsFrame = Static<typeof AdminStatsFrame>

export const AdminParticipantFrame = Type.Object({ type: Type.Literal('admin_participant'), participant: AdminParticipant })
export type AdminParticipantFrame = Static<typeof AdminParticipantFrame>

export const AdminAuditFrame = Type.Object({ type: Type.Literal('admin_audit'), entry: AuditEntry })
export type AdminAuditFrame = Static<typeof AdminAuditFrame>

export const AdminSettingsFrame = Type.Object({
  type: Type.Literal('admin_settings'),
  settings: Settings,
  locked: Type.Record(Type.String(), Type.String())
})
export type AdminSettingsFrame = Static<typeof AdminSettingsFrame>

/** Right after `message_hidden`, to admin sockets only: the text the participants no longer see. */
export const MessageHiddenAdminFrame = Type.Object({ type: Type.Literal('message_hidden_admin'), id: Type.Integer(), content: Type.String() })
export type MessageHiddenAdminFrame = Static<typeof MessageHiddenAdminFrame>

/** The word list held a message for the host (it is not in the room's log). */
export const MessageHeldFrame = Type.Object({
  type: Type.Literal('message_held'),
  id: Type.Integer(),
  user_id: Type.Integer(),
  username: Type.String(),
  matched: Type.String(),
  at: Type.Number(),
  /** photos of the held message (held because the host sees photos first) */
  files: Type.Optional(Type.Array(MessageFile))
})
export type MessageHeldFrame = Static<typeof MessageHeldFrame>

/** An answer held for the host's review streams to admin sockets only, marked `review`. */
export const ReviewChunkFrame = Type.Object({ ...AiMessageChunkFrame.properties, review: Type.Literal(true) })
export type ReviewChunkFrame = Static<typeof ReviewChunkFrame>
export const ReviewReplaceFrame = Type.Object({ ...AiMessageReplaceFrame.properties, review: Type.Literal(true) })
export type ReviewReplaceFrame = Static<typeof ReviewReplaceFrame>

/** Feedback on one answer changed: its counts. */
export const FeedbackCounts = Type.Object({ message_id: Type.Integer(), helpful: Type.Integer({ minimum: 0 }), confused: Type.Integer({ minimum: 0 }) })
export type FeedbackCounts = Static<typeof FeedbackCounts>
export const FeedbackUpdateFrame = Type.Object({ type: Type.Literal('feedback_update'), ...FeedbackCounts.properties })
export type FeedbackUpdateFrame = Static<typeof FeedbackUpdateFrame>
/** `GET /api/admin/feedback`: every rated answer of the lesson, most "still confused" first. */
export const FeedbackResponse = Type.Object({ answers: Type.Array(FeedbackCounts) })
export type FeedbackResponse = Static<typeof FeedbackResponse>

export const AdminOnlyFrame = Type.Union([
  AdminStatsFrame, AdminParticipantFrame, AdminAuditFrame, AdminSettingsFrame, MessageHiddenAdminFrame, MessageHeldFrame, FeedbackUpdateFrame,
  ProjectorUpdateFrame, ReviewChunkFrame, ReviewReplaceFrame, SignalsFrame, PollGroupsFrame
])
export type AdminOnlyFrame = Static<typeof AdminOnlyFrame>
/** Every frame an admin socket may carry: the room's and the host's own. */
export type AdminFrame = ServerFrame | AdminOnlyFrame
