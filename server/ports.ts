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
export type RoomEventType = 'user_message' | 'ai_message_start' | 'ai_message_end' | 'ai_message_error'

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
}

/** One persisted frame of the room's log: what `since=` replays. */
export interface RoomEvent {
  seq: number
  type: RoomEventType
  messageId: number
  at: number
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

  /** Inserts the message and its `user_message` event in one transaction; idempotent per (userId, clientMsgId). */
  postUserMessage (input: { userId: number, username: string, emoji: string, content: string, clientMsgId: string | null, asksAi: boolean, at: number }): PostedMessage
  /** Creates an assistant reply (`streaming`) and its `ai_message_start` event. */
  createReply (input: { replyTo: number, askerId: number | null, at: number }): { message: StoredMessage, event: RoomEvent }
  /** Saves streaming replies' text, all in one transaction: `append` adds `content` to the saved text, else it replaces it. */
  checkpointReplies (updates: ReadonlyArray<{ id: number, content: string, append?: boolean }>): void
  /** Ends a reply and appends its `ai_message_end` (complete/stopped) or `ai_message_error` (failed/interrupted) event. */
  finishReply (input: ReplyFinish): { message: StoredMessage, event: RoomEvent }
  /** Marks replies left `streaming` by a crash as `interrupted` (with an event each); returns how many. */
  interruptStreamingReplies (at: number): number
  getMessage (id: number): StoredMessage | null
  /** The user message this participant posted with this client_msg_id, if any (resends are answered with it). */
  findUserMessage (userId: number, clientMsgId: string): StoredMessage | null
  /** Persisted events with seq > since, oldest first, each with its message as it is now. */
  eventsSince (since: number, limit: number): Array<{ event: RoomEvent, message: StoredMessage }>
  /** Messages with seq > since, oldest first. */
  messagesSince (since: number, limit: number): StoredMessage[]
  /** The newest `limit` messages, oldest first. */
  latestMessages (limit: number): StoredMessage[]
  /** Highest persisted seq (0 when empty). */
  lastSeq (): number

  getSetting (key: string): string | null
  setSetting (key: string, value: string | null): void
  close (): void
}

// ---------------------------------------------------------------- the AI

export interface ReplyRequest {
  /** The text sent to the AI (the speaker's name is already in it). */
  query: string
  /** The one stable AI-side user of the room. */
  user: string
  /** The room's conversation, or null to start one. */
  conversationId: string | null
  inputs?: Record<string, unknown>
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
  | { type: 'end', citations: Citation[], usage: Record<string, unknown> | null, hasEndEvent: boolean }

export interface AppInfo {
  openingStatement: string | null
  suggestedQuestions: string[]
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

export interface Ports {
  store: ChatStore
  /** null when no AI service is configured: the room works, asking the AI is refused clearly. */
  ai: AiGateway | null
  /** Where rate-limit state lives (the room's SQLite file); without one, limits are kept in memory. */
  rateLimits?: RateLimitStore
}
