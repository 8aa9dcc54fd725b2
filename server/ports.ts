/**
 * What the app needs from the outside world, in domain terms. Adapters implement these;
 * the composition roots (server/start.ts, main/server-host.ts) construct them.
 */
import type { Citation, MessageStatus } from './protocol/index.js'

// ---------------------------------------------------------------- storage

export interface ParticipantRecord {
  id: number
  username: string
  emoji: string
  createdAt: number
}

export type MessageRole = 'user' | 'assistant'
export type RoomEventType = 'user_message' | 'ai_message_start' | 'ai_message_end' | 'ai_message_error' | ConsoleEventType | 'question_update' | 'poll_update'
/** Persisted frames of the host console: hiding and showing a message, a new session. */
export type ConsoleEventType = 'message_hidden' | 'message_unhidden' | 'room_cleared'

export interface StoredMessage {
  id: number
  /** seq of the frame that created the message */
  seq: number
  role: MessageRole
  content: string
  status: MessageStatus
  /** the author for user messages; the asker for assistant replies */
  userId: number | null
  username: string
  emoji: string
  createdAt: number
  endedAt: number | null
  replyTo: number | null
  clientMsgId: string | null
  asksAi: boolean
  citations: Citation[] | null
  error: { code: string, message: string } | null
  conversationId: string | null
  /** token usage the AI service reported (assistant replies) */
  usage: Record<string, unknown> | null
  /** an agent app's steps, in order (assistant replies) */
  steps: AgentStep[] | null
  /** the session (lesson) it was posted in */
  sessionId: number
  /** when the host hid it, or null; the text is kept */
  hiddenAt: number | null
  /** an answer the host edited before releasing it (review answers first) */
  isEditedByHost: boolean
  /** an answer cut at the host's answer limit: that limit in characters (else null) */
  cutAtChars: number | null
  /** the AI app's suggested follow-up questions for this answer (else null) */
  suggestions: string[] | null
  /** posted while the room hid names: other participants never see who wrote it */
  isAnonymous: boolean
  /** an answer the AI app gave from an annotation the host taught it */
  isTeachersAnswer: boolean
  /** the AI service's id of an answer (its feedback API names it so), or null */
  difyMessageId: string | null
  /** the host's rating of an answer, as sent to the AI service */
  hostRating: 'like' | 'dislike' | null
  /** photos attached to a user message (else null) */
  files: MessageFileRef[] | null
}

/** A photo as a message keeps it: its id and size (its URLs follow from the id). */
export interface MessageFileRef {
  id: string
  width: number
  height: number
}

/** One persisted frame of the room's log: what `since=` replays. */
export interface RoomEvent {
  seq: number
  type: RoomEventType
  messageId: number
  at: number
  /** fields of a frame that names no message (room_cleared: its session_id) */
  data?: Record<string, unknown> | null
}

export interface PostedMessage {
  message: StoredMessage
  event: RoomEvent
  /** true when (userId, clientMsgId) was posted before: nothing new was written */
  isDuplicate: boolean
}

export interface ReplyFinish {
  id: number
  content: string
  status: 'complete' | 'stopped' | 'failed' | 'interrupted'
  at: number
  citations?: Citation[] | null
  error?: { code: string, message: string } | null
  conversationId?: string | null
  usage?: Record<string, unknown> | null
  steps?: AgentStep[] | null
  /** the answer was cut at the host's answer limit of this many characters */
  cutAtChars?: number | null
  /** the AI app answered from an annotation the host taught it */
  isTeachersAnswer?: boolean
  /** the AI service's id of this answer */
  difyMessageId?: string | null
}

/** The room's durable state. Synchronous: better-sqlite3 is, and callers rely on it for ordering. */
export interface ChatStore {
  /** Creates a participant; `tokenHash` is the SHA-256 of the bearer token (never the token). */
  createParticipant (input: { username: string, emoji: string, tokenHash: string, at: number }): ParticipantRecord
  findParticipantByTokenHash (tokenHash: string): ParticipantRecord | null
  getParticipant (id: number): ParticipantRecord | null
  listParticipants (): ParticipantRecord[]
  /** Case-insensitive. */
  isUsernameTaken (username: string): boolean
  /** The names held in the current session (participants not removed), to find look-alikes. */
  usernamesInSession (): string[]

  /** Inserts the message and its `user_message` event in one transaction; idempotent per (userId, clientMsgId). */
  postUserMessage (input: { userId: number, username: string, emoji: string, content: string, clientMsgId: string | null, asksAi: boolean, at: number, isAnonymous?: boolean, files?: readonly MessageFileRef[] }): PostedMessage
  /** Creates an assistant reply (`streaming`) and its `ai_message_start` event. */
  createReply (input: { replyTo: number, askerId: number | null, at: number }): { message: StoredMessage, event: RoomEvent }
  /** Saves streaming replies' text, all in one transaction: `append` adds `content` to the saved text, else it replaces it. */
  checkpointReplies (updates: ReadonlyArray<{ id: number, content: string, append?: boolean }>): void
  /** Keeps an answer's suggested follow-up questions (GET /api/messages lists them). */
  setSuggestions (replyId: number, suggestions: string[]): void
  /** Keeps the host's rating of an answer (as sent to the AI service); null takes it back. */
  setHostRating (replyId: number, rating: 'like' | 'dislike' | null): void
  /** Ends a reply and appends its `ai_message_end` (complete/stopped) or `ai_message_error` (failed/interrupted) event. */
  finishReply (input: ReplyFinish): { message: StoredMessage, event: RoomEvent }
  /** Marks replies left `streaming` by a crash as `interrupted` (with an event each); returns how many. */
  interruptStreamingReplies (at: number): number
  getMessage (id: number): StoredMessage | null
  /** The user message this participant posted with this client_msg_id, if any (resends are answered with it). */
  findUserMessage (userId: number, clientMsgId: string): StoredMessage | null
  /** Persisted events with seq > since, oldest first, each with its message as it is now (null for room_cleared). */
  eventsSince (since: number, limit: number): Array<{ event: RoomEvent, message: StoredMessage | null }>
  /** Messages with seq > since, oldest first. */
  messagesSince (since: number, limit: number): StoredMessage[]
  /** The newest `limit` messages of the current session, oldest first. */
  latestMessages (limit: number): StoredMessage[]
  /** Highest persisted seq (0 when empty). */
  lastSeq (): number

  getSetting (key: string): string | null
  setSetting (key: string, value: string | null): void

  // ---- the host console (sessions, moderation, audit)
  currentSession (): SessionRecord
  /** Starts a new session with its `room_cleared` event; `keepUserIds` (online now) move into it. */
  startSession (input: { at: number, keepUserIds: readonly number[] }): { session: SessionRecord, event: RoomEvent }
  /** Participants with their console fields: of the current session, or everyone who ever joined. */
  participantDetails (scope: 'session' | 'all'): ParticipantDetails[]
  participantDetail (id: number): ParticipantDetails | null
  /** Remembers the address and time a participant was last seen; moves one of an older session into this one. */
  touchParticipant (id: number, address: string | null, at: number): void
  setMutedUntil (id: number, until: number | null): void
  /** Kick or ban: the token stops working and the name is free again. False when unknown. */
  removeParticipant (id: number, at: number): boolean
  /** Ids of the participants not removed whose last seen address is this one (every identity a device holds). */
  participantsAt (address: string): number[]
  addBan (ban: BanRecord): void
  /** Lifts the ban of an address (false: none) or every ban of a participant (how many). */
  removeBan (address: string): boolean
  removeBansOf (userId: number): number
  listBans (): BanRecord[]
  findBan (address: string): BanRecord | null
  /** Hides or shows a message with its event; null when there is no such message, no event when nothing changed. */
  setHidden (input: { id: number, isHidden: boolean, at: number }): { message: StoredMessage, event: RoomEvent | null } | null
  appendAudit (input: { at: number, action: string, target: string | null, detail: Record<string, unknown> | null }): AuditRecord
  listAudit (limit: number): AuditRecord[]
  /** Figures of one session for the console's live stats. */
  sessionStats (sessionId: number): { messages: number, aiAnswered: number, aiFailed: number, tokensUsed: number }
  close (): void
}

export interface SessionRecord { id: number, startedAt: number }

export interface ParticipantDetails extends ParticipantRecord {
  sessionId: number
  lastAddress: string | null
  lastSeen: number | null
  mutedUntil: number | null
  removedAt: number | null
  /** user messages in the current session */
  messageCount: number
}

export interface BanRecord { address: string, userId: number | null, username: string | null, at: number }

export interface AuditRecord { id: number, at: number, action: string, target: string | null, detail: Record<string, unknown> | null }

// ---------------------------------------------------------------- the AI

export interface ReplyRequest {
  /** The text sent to the AI (the speaker's name is already in it). */
  query: string
  /** The one stable AI-side user of the room. */
  user: string
  /** The room's conversation, or null to start one. */
  conversationId: string | null
  inputs?: Record<string, unknown>
  /** Photos of the question, uploaded first with `uploadFile` by the same user (Dify's file ids). */
  imageUploadIds?: string[]
}

/** One photo as the AI service is given it. */
export interface AiUpload {
  data: Buffer
  mimeType: string
  name: string
}

export interface AgentStep {
  id: string
  position: number
  thought: string
  tool: string
  toolInput: string
  observation: string
}

/** What a streaming reply produces, independent of Dify's event names. */
export type ReplyEvent =
  /** First frame's ids: the conversation (keep it for the room), the task (for stop). */
  | { type: 'meta', conversationId: string | null, taskId: string | null, messageId: string | null }
  /** Append to the answer. */
  | { type: 'delta', text: string }
  /** Replace the whole answer so far (output moderation, or a final full answer). */
  | { type: 'replace', text: string }
  /** An agent step (upsert by id). */
  | { type: 'step', step: AgentStep }
  /** A file produced by a tool; `url` is absolute. */
  | { type: 'file', id: string, fileType: string, url: string }
  /** Workflow progress (informational). */
  | { type: 'progress', label: string }
  /** The answer is complete; `hasEndEvent` is false when the stream just ended without one. */
  | { type: 'end', citations: Citation[], usage: Record<string, unknown> | null, hasEndEvent: boolean, annotationId?: string }

export interface AppInfo {
  openingStatement: string | null
  suggestedQuestions: string[]
}

/** One input variable the AI app declares (Dify `user_input_form`); file inputs are left out. */
export interface AppFormField {
  variable: string
  label: string
  type: 'text-input' | 'paragraph' | 'select' | 'number' | 'checkbox'
  required: boolean
  options?: string[]
  default?: string | number | boolean | null
  maxLength?: number | null
}

/** What "Test connection" learns about the AI app: its identity (GET /info), greeting and input form (GET /parameters). */
export interface AppDescription extends AppInfo {
  name: string | null
  description: string | null
  mode: string | null
  form: AppFormField[]
  /** what the app has turned on that the room uses (Dify `GET /parameters`) */
  features: AppFeatures
}

/** The app's switches the room's features depend on. */
export interface AppFeatures {
  /** `file_upload.image.enabled`: photos reach the model */
  vision: boolean
  /** `text_to_speech.enabled`: answers are read in the app's own voice */
  textToSpeech: boolean
  /** `suggested_questions_after_answer.enabled`: follow-up questions */
  followUps: boolean
  /** `annotation_reply.enabled`: taught answers are used */
  annotationReply: boolean
}

/**
 * The AI service. Failures throw `AppError` with an `ERR_AI_*` code (see errors.ts);
 * a stream that ends early after yielding text throws too, and the caller keeps the text.
 */
export interface AiGateway {
  streamReply (req: ReplyRequest, signal: AbortSignal): AsyncIterable<ReplyEvent>
  /** Best effort: asks the AI service to stop a running task. */
  stop (taskId: string, user: string): Promise<void>
  appInfo (signal?: AbortSignal): Promise<AppInfo>
  /** The app's name, mode and input form (one GET /info and one GET /parameters); throws ERR_AI_* like the rest. */
  describeApp? (signal?: AbortSignal): Promise<AppDescription>
  /**
   * The app's suggested follow-up questions for one of its answers (Dify's message id); throws
   * ERR_AI_BAD_REQUEST when the app has the feature off, ERR_AI_* like the rest.
   */
  suggestedQuestions? (messageId: string, user: string, signal?: AbortSignal): Promise<string[]>
  /** Saves a question and the host's answer as an annotation of the app (Dify `/apps/annotations`); its id. */
  createAnnotation? (question: string, answer: string, signal?: AbortSignal): Promise<string>
  /** The host's rating of one of the app's answers (Dify `/messages/{id}/feedbacks`; null takes it back). */
  rateAnswer? (messageId: string, rating: 'like' | 'dislike' | null, user: string, signal?: AbortSignal): Promise<void>
  /** The text read aloud by the app's voice (Dify `/text-to-audio`); ERR_AI_BAD_REQUEST when the app has it off. */
  textToAudio? (text: string, user: string, signal?: AbortSignal): Promise<{ contentType: string, bytes: Buffer }>
  /** Uploads one photo for a question (Dify `/files/upload`) as `user`; returns its file id. Throws ERR_AI_*. */
  uploadFile? (file: AiUpload, user: string, signal?: AbortSignal): Promise<string>
  close (): Promise<void>
}

// ---------------------------------------------------------------- rate limits

/**
 * Durable rate-limit buckets: each key holds one number, the time (ms since epoch) at which the
 * bucket is full again (GCRA's "theoretical arrival time"). A key whose time has passed limits
 * nobody and may be deleted. The limiter's arithmetic lives in server/limits/; this is storage.
 */
export interface RateLimitStore {
  /** Reads the keys (absent ones are missing from the map), lets `decide` compute, writes `writes`: one transaction. */
  update<T> (keys: readonly string[], decide: (tats: ReadonlyMap<string, number>) => { writes: ReadonlyMap<string, number>, result: T }): T
  /** Deletes every bucket that is full again (time <= now); returns how many. */
  purge (now: number): number
  /** How many buckets are stored. */
  size (): number
}

// ---------------------------------------------------------------- secrets

/**
 * Seals the Dify key before it is stored in SQLite. The desktop app passes one backed by the
 * operating system's key store (Electron safeStorage); headless uses a plain box that says it is not
 * encrypted (the settings answer shows `is_encrypted: false`).
 */
export interface SecretBox {
  readonly isEncryptionAvailable: boolean
  seal (plain: string): Promise<string>
  open (sealed: string): Promise<string>
}

// ---------------------------------------------------------------- messages held by the word list

/** A message the host's word list held: not in the room's log, never sent to the AI. */
export interface HeldMessage {
  id: number
  userId: number
  username: string
  emoji: string
  content: string
  clientMsgId: string | null
  askAi: boolean
  /** the listed word it contains ('' when it waits for the host because of its photos) */
  matched: string
  at: number
  /** ids of its photos (held until the host lets them through) */
  files: string[]
}
export type NewHeldMessage = Omit<HeldMessage, 'id'>

/** Where held messages wait for the host: every one is kept until it is taken. */
export interface HeldMessageStore {
  /** Holds a message; a resend (same sender and client_msg_id) returns the one already held. */
  hold (message: NewHeldMessage): { held: HeldMessage, isNew: boolean }
  /** Every held message, oldest first. */
  list (): HeldMessage[]
  /** Removes one and returns it (null: none with that id). */
  take (id: number): HeldMessage | null
  /** Removes every held message of a participant (erasure); returns how many. */
  forgetUser (userId: number): number
}

// ---------------------------------------------------------------- feedback on answers

/** Participants' ratings of AI answers: one per participant per answer. */
export interface FeedbackStore {
  /** Sets (or with null removes) one participant's rating of an answer; returns the answer's counts. */
  rate (input: { messageId: number, userId: number, rating: 'helpful' | 'confused' | null, at: number }): { helpful: number, confused: number }
  /** The counts of every rated answer of a session, most "confused" first. */
  bySession (sessionId: number): Array<{ messageId: number, helpful: number, confused: number }>
  /** One participant's ratings of these answers. */
  ratingsOf (userId: number, messageIds: readonly number[]): Map<number, 'helpful' | 'confused'>
}

// ---------------------------------------------------------------- reactions

/** Participants' emoji reactions to messages: at most one of each emoji per participant per message. */
export interface ReactionStore {
  /** Adds or takes back one reaction; returns the message's counts by emoji (only those above 0). */
  react (input: { messageId: number, userId: number, emoji: string, on: boolean, at: number }): Record<string, number>
  /** The counts of these messages (those with any reaction). */
  countsOf (messageIds: readonly number[]): Map<number, Record<string, number>>
  /** One participant's own reactions to these messages. */
  mineOf (userId: number, messageIds: readonly number[]): Map<number, string[]>
}

// ---------------------------------------------------------------- photos

/** An uploaded photo, as stored: re-encoded, without metadata, with a thumbnail. */
export interface StoredPhoto {
  /** random and unguessable: its URLs are made from it */
  id: string
  userId: number
  mimeType: string
  thumbMimeType: string
  width: number
  height: number
  bytes: number
  createdAt: number
  /** the message that carries it (null until it is posted) */
  messageId: number | null
}

/** Who uploaded which photo, and which message carries it. */
export interface PhotoStore {
  add (photo: StoredPhoto): void
  get (id: string): StoredPhoto | null
  /** Marks the photos as carried by a message. */
  attach (ids: readonly string[], messageId: number): void
  /** Every photo of a participant (erasure). */
  ofUser (userId: number): StoredPhoto[]
  /** Photos uploaded before `before` that no message carries (never sent, or their lesson was deleted). */
  unattachedBefore (before: number): StoredPhoto[]
  /** Deletes the rows (the files are the caller's). */
  remove (ids: readonly string[]): void
}

/** One encoded image. */
export interface EncodedImage {
  data: Buffer
  mimeType: string
  width: number
  height: number
}

/** Re-encodes uploads: judged by content, metadata (EXIF, GPS) dropped, size capped, thumbnail made. */
export interface ImageCodec {
  /** Throws ERR_FILE_TYPE when the bytes are not an image it can read. */
  reencode (input: Buffer): Promise<{ full: EncodedImage, thumb: EncodedImage }>
}

/** Where photo files live (the host's data folder). */
export interface PhotoFiles {
  write (name: string, data: Buffer): Promise<void>
  /** null when there is no such file */
  read (name: string): Promise<Buffer | null>
  remove (name: string): Promise<void>
}

export interface Ports {
  store: ChatStore
  /** photos: rows, the files on disk, and the codec that cleans them */
  photos: PhotoStore
  photoFiles: PhotoFiles
  images: ImageCodec
  /** emoji reactions to messages */
  reactions: ReactionStore
  held: HeldMessageStore
  /** participants' ratings of answers */
  feedback: FeedbackStore
  /** null when no AI service is configured: the room works, asking the AI is refused clearly. */
  ai: AiGateway | null
  /** Where rate-limit state lives (the room's SQLite file); without one, limits are kept in memory. */
  rateLimits?: RateLimitStore
  /** Seals the Dify key at rest (default: a plain box, not encrypted). */
  secrets?: SecretBox
  /** Builds the AI gateway for a URL and key: settings changed live rebuild it (default: none can be built). */
  createAi?: (target: { url: string, apiKey: string }) => AiGateway
  /** the teacher's gate: questions and votes */
  gate: GateStore
  /** erasure and retention */
  privacy: PrivacyStore
  /** sessions and their summaries */
  lessons: LessonStore
  /** polls and their answers */
  polls: PollStore
}

// ---------------------------------------------------------------- the teacher's gate

/** A question's state; the fields each status carries are part of the union. */
export type QuestionState =
  | { status: 'pending' }
  /** `content` is what the AI is asked (the host's edit, or the original question). */
  | { status: 'approved', content: string, isEdited: boolean }
  | { status: 'rejected', reason: string | null }
  | { status: 'merged', mergedInto: number }

/** A question as the gate sees it. */
export interface Question {
  messageId: number
  askerId: number | null
  asker: string
  /** the question as posted */
  content: string
  createdAt: number
  state: QuestionState
  votes: number
  decidedAt: number | null
  /** the AI reply started for it (approved questions) */
  replyId: number | null
}

/**
 * One step of a question as its `question_update` event records it (`RoomEvent.data`): what the
 * room saw then, so a replay shows the same.
 */
export interface QuestionStep {
  status: 'pending' | 'approved' | 'rejected' | 'merged'
  votes: number
  /** pending questions of the room after this step */
  waiting: number
  reason?: string
  /** approved after an edit: what the AI was asked */
  asked?: string
  mergedInto?: number
  /** the vote that caused this step */
  voterId?: number
  isUp?: boolean
}

/** The gate's durable state: questions, votes, and their `question_update` events in the room's log. */
export interface GateStore {
  /** Opens a pending question for a posted message and appends its event. */
  openQuestion (input: { messageId: number, at: number }): { step: QuestionStep, event: RoomEvent }
  getQuestion (messageId: number): Question | null
  /** Questions of the current session (all of them when `scope` is 'all'). */
  listQuestions (scope?: 'current' | 'all'): Question[]
  /** Adds or removes one participant's vote; null when nothing changed (a repeated vote). */
  vote (input: { messageId: number, userId: number, isUp: boolean, at: number }): { step: QuestionStep, event: RoomEvent } | null
  /**
   * Writes a decision the gate made (see room/gate/gate.ts) with its event; a merge also moves the
   * merged question's voters to its target, whose own event follows.
   */
  decide (input: { messageId: number, state: QuestionState, at: number }): Array<{ step: QuestionStep, event: RoomEvent }>
  /** Remembers the AI reply started for an approved question. */
  setReply (messageId: number, replyId: number): void
  /** Pending questions of one participant (or of the room when userId is null). */
  pendingCount (userId: number | null): number
  /** Questions this participant votes for now. */
  votedBy (userId: number): number[]
  /** Records on an answer's end event that the host edited it before releasing it (replays show it). */
  markEditedByHost (seq: number): void
}

/** What a school signs off: erasing a participant and deleting old lessons. */
export interface PrivacyStore {
  /**
   * "Erase this participant": the text of everything they wrote is removed from storage (the rows
   * stay as tombstones so the room's order holds), their name is replaced. Returns their messages.
   */
  eraseParticipant (userId: number, at: number): number[]
  /** Deletes sessions (and everything in them) started before `before`, never the current one, and older audit entries. */
  purgeSessionsBefore (before: number): { sessions: number, messages: number }
  /** Ids of messages whose author was erased (their text is gone). */
  erasedMessageIds (): number[]
}

/** The lesson record: the sessions and the AI's summary of each. */
export interface LessonStore {
  /** Every session, oldest first, with its summary when one was made. */
  listSessions (): Array<{ id: number, startedAt: number, summary: string | null, summaryAt: number | null }>
  setSummary (sessionId: number, content: string, at: number): void
}

// ---------------------------------------------------------------- polls

export type PollKind = 'single' | 'multi' | 'open'

export interface PollRecord {
  id: number
  sessionId: number
  question: string
  kind: PollKind
  /** empty for open polls */
  options: string[]
  /** indexes of the right options (none: an opinion poll) */
  correct: number[]
  status: 'open' | 'closed'
  showResults: boolean
  createdAt: number
  closedAt: number | null
}

/** One participant's answer: `choice` for single/multi, `text` for open. */
export interface PollAnswer {
  pollId: number
  userId: number
  username: string
  choice: number[] | null
  text: string | null
  at: number
}

/** How a poll stands: one count per option (open polls: none) and how many answered. */
export interface PollTally { counts: number[], total: number }

/**
 * One step of a poll as its `poll_update` event records it (`RoomEvent.data`): the poll and its
 * counts then, so a replay shows what the room saw (who sees the counts is the frame's business).
 */
export interface PollStep {
  poll_id: number
  status: 'open' | 'closed'
  kind: PollKind
  question: string
  options: string[]
  show_results: boolean
  counts: number[]
  total: number
}

/** Polls, answers, and their `poll_update` events in the room's log. */
/** One participant's answer to a poll, as written. */
export interface PollAnswerInput { pollId: number, userId: number, choice: number[] | null, text: string | null, at: number }

export interface PollStore {
  /** Opens a poll in the current session and appends its event. */
  createPoll (input: { question: string, kind: PollKind, options: string[], correct: number[], at: number }): { poll: PollRecord, step: PollStep, event: RoomEvent }
  getPoll (id: number): PollRecord | null
  /** Polls of the current session (every one when `scope` is 'all'), oldest first. */
  listPolls (scope?: 'current' | 'all'): PollRecord[]
  /** Writes a participant's answer, replacing their earlier one. */
  answer (input: PollAnswerInput): void
  /**
   * Writes many answers in one transaction (group commit: one commit for a burst, not one per
   * vote). `admit` runs inside it for each answer, in order, and may write too (its rate-limit
   * charge then commits with the answer); an answer it refuses by throwing is skipped and handed to
   * `refused`. Throws (nothing written) when the transaction itself fails.
   */
  answerMany (inputs: readonly PollAnswerInput[], admit: (input: PollAnswerInput) => void, refused: (input: PollAnswerInput, err: unknown) => void): void
  tally (pollId: number): PollTally
  /** Every answer of a poll, with the participant's name now, oldest first. */
  answers (pollId: number): PollAnswer[]
  /** This participant's answers, by poll. */
  answersOf (userId: number): Map<number, PollAnswer>
  /** Shows or hides the results with an event; null when nothing changed. */
  setShowResults (input: { id: number, showResults: boolean, at: number }): { poll: PollRecord, step: PollStep, event: RoomEvent } | null
  /** Closes an open poll with an event holding the final counts; null when it was closed already. */
  closePoll (input: { id: number, at: number }): { poll: PollRecord, step: PollStep, event: RoomEvent } | null
}
