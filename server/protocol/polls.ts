/**
 * Polls (PROTOCOL.md "Polls and signals"): the host asks, participants answer from the room's
 * socket, counts go out coalesced. Shared by the server, the page, the console and the tests: it
 * imports only `typebox`, so `messages.ts` can put the poll frames in the server's frame union.
 */
import { Type, type Static } from 'typebox'

/** An open answer is a few words on a phone, not an essay: the page says so next to the field. */
export const MAX_POLL_TEXT_CODE_POINTS = 80
export const MIN_POLL_OPTIONS = 2
export const MAX_POLL_OPTIONS = 10
export const MAX_POLL_QUESTION_CODE_POINTS = 500
export const MAX_POLL_OPTION_CODE_POINTS = 200

export const PollKindSchema = Type.Union([Type.Literal('single'), Type.Literal('multi'), Type.Literal('open')])
export type PollKind = Static<typeof PollKindSchema>
export const PollStatusSchema = Type.Union([Type.Literal('open'), Type.Literal('closed')])
export type PollStatus = Static<typeof PollStatusSchema>

/** Counts are one number per option; an open poll's are `[]` (its texts are the host's, in GET /api/admin/polls/:id). */
const Counts = Type.Array(Type.Integer({ minimum: 0 }))

/** What every view of a poll says of it: the frame, the page's list, the console's and the export's. */
const PollCore = {
  poll_id: Type.Integer(),
  status: PollStatusSchema,
  kind: PollKindSchema,
  question: Type.String(),
  options: Type.Array(Type.String())
}

/** What a participant may see of the results: counts only while shown (or once closed). */
const ShownResults = {
  show_results: Type.Boolean(),
  /** null while the results are hidden from participants (the host's sockets always get them) */
  counts: Type.Union([Counts, Type.Null()]),
  /** how many participants answered */
  total: Type.Integer({ minimum: 0 })
}

/** The host's record of a poll (the console and the export): the correct options and the times. */
const PollRecord = {
  correct: Type.Array(Type.Integer()),
  counts: Counts,
  total: Type.Integer(),
  created_at: Type.Number(),
  closed_at: Type.Union([Type.Number(), Type.Null()])
}

/** Persisted (replayed by since=): a poll opened, showed or hid its results, or closed. */
export const PollUpdateFrame = Type.Object({
  type: Type.Literal('poll_update'),
  seq: Type.Integer(),
  ...PollCore,
  ...ShownResults
})
export type PollUpdateFrame = Static<typeof PollUpdateFrame>

/** Live counts (no seq), coalesced per poll: the host's sockets always, participants while shown. */
export const PollResultsFrame = Type.Object({
  type: Type.Literal('poll_results'),
  poll_id: Type.Integer(),
  counts: Counts,
  total: Type.Integer({ minimum: 0 })
})
export type PollResultsFrame = Static<typeof PollResultsFrame>

/** Client frame: a participant's answer (again: it replaces the earlier one). The kind decides which field. */
export const PollAnswerFrame = Type.Object({
  type: Type.Literal('poll_answer'),
  poll_id: Type.Integer({ minimum: 1 }),
  choice: Type.Optional(Type.Array(Type.Integer(), { maxItems: MAX_POLL_OPTIONS })),
  // the raw limit is generous: the 80-code-point rule is checked after normalising, with its own message
  text: Type.Optional(Type.String({ maxLength: 2000 }))
})
export type PollAnswerFrame = Static<typeof PollAnswerFrame>

// ---------------------------------------------------------------- HTTP

export const CreatePollBody = Type.Object({
  question: Type.String({ maxLength: 4000 }),
  kind: PollKindSchema,
  options: Type.Optional(Type.Array(Type.String({ maxLength: 1000 }), { maxItems: 50 })),
  correct: Type.Optional(Type.Array(Type.Integer(), { maxItems: 50 }))
}, { additionalProperties: false })
export type CreatePollBody = Static<typeof CreatePollBody>
export const CreatePollResponse = Type.Object({ poll_id: Type.Integer() })

export const PollParams = Type.Object({ id: Type.Integer({ minimum: 1 }) })
export const PollShowBody = Type.Object({ show_results: Type.Boolean() }, { additionalProperties: false })

/** One participant's answer: `choice` for single/multi, `text` for open. */
export const PollAnswerItem = Type.Object({
  user_id: Type.Integer(),
  username: Type.String(),
  choice: Type.Optional(Type.Array(Type.Integer())),
  text: Type.Optional(Type.String()),
  at: Type.Number()
})
export type PollAnswerItem = Static<typeof PollAnswerItem>

/** `GET /api/admin/polls/:id` (and each item of `GET /api/admin/polls`). */
export const AdminPoll = Type.Object({
  ...PollCore,
  ...PollRecord,
  show_results: Type.Boolean(),
  answers: Type.Array(PollAnswerItem)
})
export type AdminPoll = Static<typeof AdminPoll>
export const AdminPollsResponse = Type.Object({ polls: Type.Array(AdminPoll) })
export type AdminPollsResponse = Static<typeof AdminPollsResponse>

/** `GET /api/polls`: this session's polls as a participant sees them, with their own answer. */
export const ParticipantPoll = Type.Object({
  ...PollCore,
  ...ShownResults,
  mine: Type.Union([Type.Object({ choice: Type.Optional(Type.Array(Type.Integer())), text: Type.Optional(Type.String()) }), Type.Null()])
})
export type ParticipantPoll = Static<typeof ParticipantPoll>
export const ParticipantPollsResponse = Type.Object({ polls: Type.Array(ParticipantPoll) })
export type ParticipantPollsResponse = Static<typeof ParticipantPollsResponse>

/** Export: a poll with its results and every answer. */
export const ExportPoll = Type.Object({
  ...PollCore,
  session_id: Type.Integer(),
  ...PollRecord,
  answers: Type.Array(PollAnswerItem)
})
export type ExportPoll = Static<typeof ExportPoll>

// ---------------------------------------------------------------- the AI in the loop

/** `POST /api/admin/polls/draft`: how far back the AI reads, and how many questions it drafts. */
export const QUIZ_DRAFT = {
  minutes: { default: 10, min: 1, max: 240 },
  count: { default: 3, min: 1, max: 10 }
} as const

export const QuizDraftBody = Type.Object({
  minutes: Type.Optional(Type.Integer({ minimum: QUIZ_DRAFT.minutes.min, maximum: QUIZ_DRAFT.minutes.max })),
  count: Type.Optional(Type.Integer({ minimum: QUIZ_DRAFT.count.min, maximum: QUIZ_DRAFT.count.max }))
}, { additionalProperties: false })
export type QuizDraftBody = Static<typeof QuizDraftBody>
/** One drafted question: ready for `POST /api/admin/polls` with `kind: "single"`. */
export const QuizDraftItem = Type.Object({
  question: Type.String(),
  options: Type.Array(Type.String()),
  correct: Type.Array(Type.Integer())
})
export type QuizDraftItem = Static<typeof QuizDraftItem>
export const QuizDraftResponse = Type.Object({ drafts: Type.Array(QuizDraftItem) })
export type QuizDraftResponse = Static<typeof QuizDraftResponse>

/** `POST /api/admin/polls/:id/explain` → 202: the reply that streams to the room. */
export const PollExplainResponse = Type.Object({ message_id: Type.Integer() })
export type PollExplainResponse = Static<typeof PollExplainResponse>

/** `POST /api/admin/polls/:id/group`: an open poll's answers sorted by the AI into themes. */
export const AnswerGroupSchema = Type.Object({
  theme: Type.String({ minLength: 1, maxLength: 400 }),
  answers: Type.Array(Type.String({ maxLength: 400 }), { maxItems: 10_000 }),
  is_misconception: Type.Boolean()
})
export const PollGroupsResponse = Type.Object({ groups: Type.Array(AnswerGroupSchema, { maxItems: 20 }) })
export type PollGroupsResponse = Static<typeof PollGroupsResponse>
/** `POST /api/admin/polls/:id/groups/show`: the groups the teacher chose to put on the projector. */
export const PollGroupsShowBody = Type.Object({ groups: Type.Array(AnswerGroupSchema, { maxItems: 20 }) }, { additionalProperties: false })
/** To admin sockets (the projector): show these groups for the poll (`groups: []` hides them). */
export const PollGroupsFrame = Type.Object({ type: Type.Literal('poll_groups'), poll_id: Type.Integer(), groups: Type.Array(AnswerGroupSchema) })
export type PollGroupsFrame = Static<typeof PollGroupsFrame>
