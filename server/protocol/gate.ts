/**
 * The teacher's gate, the projector and the lesson record over HTTP (PROTOCOL.md "Host console
 * additions"; CONTRACT.md "The teacher's gate"). Shared by the server, the console, the projector
 * page and the tests: it imports only `typebox`.
 */
import { Type, type Static } from 'typebox'
import { Citation, MessageFile, StopReason } from './messages.js'
import { ExportPoll } from './polls.js'

export const QuestionStatusSchema = Type.Union([Type.Literal('pending'), Type.Literal('approved'), Type.Literal('rejected'), Type.Literal('merged')])

export const QuestionItem = Type.Object({
  message_id: Type.Integer(),
  content: Type.String(),
  from_user: Type.String(),
  from_user_id: Type.Union([Type.Integer(), Type.Null()]),
  votes: Type.Integer(),
  status: QuestionStatusSchema,
  timestamp: Type.Number(),
  /** additive: the host's decision */
  reason: Type.Optional(Type.String()),
  edited: Type.Optional(Type.Boolean()),
  /** approved: what the AI was asked */
  asked: Type.Optional(Type.String()),
  merged_into: Type.Optional(Type.Integer()),
  reply_id: Type.Optional(Type.Integer()),
  decided_at: Type.Optional(Type.Number()),
  /** the question's photos, for the host to see before approving */
  files: Type.Optional(Type.Array(MessageFile))
})
export type QuestionItem = Static<typeof QuestionItem>

export const QuestionsResponse = Type.Object({ questions: Type.Array(QuestionItem), waiting_count: Type.Integer() })
export type QuestionsResponse = Static<typeof QuestionsResponse>

/** `GET /api/questions` (participants): the state of this session's questions and this participant's votes. */
export const ParticipantQuestion = Type.Object({
  message_id: Type.Integer(),
  status: QuestionStatusSchema,
  votes: Type.Integer(),
  my_vote: Type.Boolean(),
  reason: Type.Optional(Type.String()),
  edited: Type.Optional(Type.Boolean()),
  content: Type.Optional(Type.String()),
  merged_into: Type.Optional(Type.Integer())
})
export type ParticipantQuestion = Static<typeof ParticipantQuestion>
export const ParticipantQuestionsResponse = Type.Object({ questions: Type.Array(ParticipantQuestion), waiting_count: Type.Integer() })
export type ParticipantQuestionsResponse = Static<typeof ParticipantQuestionsResponse>

export const QuestionParams = Type.Object({ message_id: Type.Integer({ minimum: 1 }) })
export const ApproveBody = Type.Object({ content: Type.Optional(Type.String({ maxLength: 16_000 })) }, { additionalProperties: false })
export const RejectBody = Type.Object({ reason: Type.Optional(Type.String({ maxLength: 2000 })) }, { additionalProperties: false })
export const MergeBody = Type.Object({ into: Type.Integer({ minimum: 1 }) }, { additionalProperties: false })

export const QuestionResponse = Type.Object({ question: QuestionItem, reply_id: Type.Optional(Type.Integer()) })
export type QuestionResponse = Static<typeof QuestionResponse>

// ---------------------------------------------------------------- export

export const ExportFormat = Type.Union([Type.Literal('json'), Type.Literal('md'), Type.Literal('csv')])
export type ExportFormat = Static<typeof ExportFormat>
export const EXPORT_FORMATS = ['json', 'md', 'csv'] as const
/** Checked in the route, so a wrong value gets a message that lists the allowed ones. */
export const ExportQuery = Type.Object({
  format: Type.Optional(Type.String({ maxLength: 16 })),
  session: Type.Optional(Type.String({ maxLength: 16 }))
})

/** A photo in the lesson record: its id, the file it is kept in (in the host's data folder), its size. */
export const ExportFile = Type.Object({
  file_id: Type.String(),
  file_name: Type.String(),
  mime_type: Type.String(),
  width: Type.Integer(),
  height: Type.Integer()
})
export type ExportFile = Static<typeof ExportFile>

export const ExportMessage = Type.Object({
  id: Type.Integer(),
  seq: Type.Integer(),
  session_id: Type.Integer(),
  role: Type.Union([Type.Literal('user'), Type.Literal('assistant')]),
  content: Type.String(),
  status: Type.String(),
  from_user: Type.String(),
  from_user_id: Type.Union([Type.Integer(), Type.Null()]),
  timestamp: Type.Number(),
  reply_to: Type.Union([Type.Integer(), Type.Null()]),
  hidden: Type.Boolean(),
  citations: Type.Union([Type.Array(Citation), Type.Null()]),
  usage: Type.Union([Type.Record(Type.String(), Type.Unknown()), Type.Null()]),
  /** additive: the question's fate in approve mode */
  question: Type.Optional(Type.Union([Type.Null(), Type.Object({
    status: QuestionStatusSchema,
    votes: Type.Integer(),
    reason: Type.Optional(Type.String()),
    asked: Type.Optional(Type.String()),
    edited: Type.Optional(Type.Boolean()),
    merged_into: Type.Optional(Type.Integer())
  })])),
  /** additive: the participant was erased; their text is gone */
  erased: Type.Optional(Type.Boolean()),
  /** additive: photos attached to a user message */
  files: Type.Optional(Type.Array(ExportFile)),
  /** additive: the answer was cut at the host's answer limit of `cut_at_chars` characters */
  stop_reason: Type.Optional(StopReason),
  cut_at_chars: Type.Optional(Type.Integer()),
  /** additive: a user message that asked the AI when it was posted (in approve mode: went to the host's gate) */
  asks_ai: Type.Optional(Type.Boolean()),
  /** additive: participants' ratings of an AI answer */
  feedback: Type.Optional(Type.Object({ helpful: Type.Integer({ minimum: 0 }), confused: Type.Integer({ minimum: 0 }) }))
})
export type ExportMessage = Static<typeof ExportMessage>

export const ExportSession = Type.Object({
  id: Type.Integer(),
  started_at: Type.Number(),
  summary: Type.Union([Type.String(), Type.Null()])
})
export type ExportSession = Static<typeof ExportSession>

export const ExportDocument = Type.Object({
  room: Type.Object({ id: Type.String(), name: Type.String() }),
  exported_at: Type.Number(),
  sessions: Type.Array(ExportSession),
  messages: Type.Array(ExportMessage),
  /** additive: the lesson's polls with every participant's answer */
  polls: Type.Optional(Type.Array(ExportPoll))
})
export type ExportDocument = Static<typeof ExportDocument>

// ---------------------------------------------------------------- projector

export const ProjectorView = Type.Union([Type.Literal('qr'), Type.Literal('answer'), Type.Literal('auto')])
export type ProjectorView = Static<typeof ProjectorView>
/** `read_aloud` (additive): the projector reads each released answer aloud. */
export const ProjectorBody = Type.Object({ view: ProjectorView, hide_names: Type.Optional(Type.Boolean()), read_aloud: Type.Optional(Type.Boolean()) }, { additionalProperties: false })
export const ProjectorState = Type.Object({ view: ProjectorView, hide_names: Type.Boolean(), read_aloud: Type.Optional(Type.Boolean()) })
export type ProjectorState = Static<typeof ProjectorState>
/** Admin-only frame: the host switched the projector's view. */
export const ProjectorUpdateFrame = Type.Object({ type: Type.Literal('projector_update'), view: ProjectorView, hide_names: Type.Boolean(), read_aloud: Type.Optional(Type.Boolean()) })
export type ProjectorUpdateFrame = Static<typeof ProjectorUpdateFrame>

// ---------------------------------------------------------------- summary and retention

export const SummaryResponse = Type.Object({
  session_id: Type.Integer(),
  summary: Type.Union([Type.String(), Type.Null()]),
  at: Type.Union([Type.Number(), Type.Null()])
})
export type SummaryResponse = Static<typeof SummaryResponse>

export const RetentionBody = Type.Object({ days: Type.Union([Type.Integer({ minimum: 1, maximum: 3650 }), Type.Null()]) }, { additionalProperties: false })
export const RetentionResponse = Type.Object({ days: Type.Union([Type.Integer(), Type.Null()]), deleted_sessions: Type.Integer() })
export type RetentionResponse = Static<typeof RetentionResponse>

export const EraseResponse = Type.Object({ user_id: Type.Integer(), messages_erased: Type.Integer() })
export type EraseResponse = Static<typeof EraseResponse>
