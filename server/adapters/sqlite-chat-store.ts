/**
 * ChatStore on better-sqlite3. Every persisted frame is a row of `events`, whose AUTOINCREMENT key
 * is the room's `seq`; a message's `seq` is the seq of the event that created it.
 * @see https://github.com/WiseLibs/better-sqlite3/blob/master/docs/api.md
 */
import type { Database } from 'better-sqlite3'
import type {
  AgentStep, AuditRecord, BanRecord, ChatStore, MessageRole, ParticipantDetails, ParticipantRecord, ReplyFinish, RoomEvent,
  RoomEventType, StoredMessage, MessageFileRef
} from '../ports.js'
import type { Citation, MessageStatus } from '../protocol/index.js'
import { ErrorCode, Errors } from '../errors.js'
import { guard, openDatabase, translateSqliteError } from './sqlite-database.js'

interface ParticipantRow { id: number, username: string, emoji: string, created_at: number }
interface DetailRow extends ParticipantRow {
  session_id: number
  last_address: string | null
  last_seen: number | null
  muted_until: number | null
  removed_at: number | null
  message_count: number
}
interface AuditRow { id: number, at: number, action: string, target: string | null, detail: string | null }
interface BanRow { address: string, user_id: number | null, username: string, at: number }

interface MessageRow {
  id: number
  seq: number
  role: MessageRole
  content: string
  status: MessageStatus
  user_id: number | null
  username: string
  emoji: string
  created_at: number
  ended_at: number | null
  reply_to: number | null
  client_msg_id: string | null
  asks_ai: number
  citations: string | null
  error_code: string | null
  error_message: string | null
  conversation_id: string | null
  usage: string | null
  steps: string | null
  session_id: number
  hidden_at: number | null
  edited_by_host: number
  cut_at_chars: number | null
  suggestions: string | null
  anonymous: number
  teachers_answer: number
  dify_message_id: string | null
  host_rating: string | null
  files: string | null
}

type EventRow = MessageRow & { event_seq: number, event_type: RoomEventType, event_at: number, event_data: string | null, event_message_id: number | null }

interface NewMessage {
  role: MessageRole
  content: string
  status: MessageStatus
  userId: number | null
  username: string
  emoji: string
  at: number
  replyTo: number | null
  clientMsgId: string | null
  asksAi: number
  anonymous: number
  /** photos (JSON of MessageFileRef[]), user messages only */
  files: string | null
}

interface Finish {
  id: number
  content: string
  status: MessageStatus
  at: number
  citations: string | null
  errorCode: string | null
  errorMessage: string | null
  conversationId: string | null
  usage: string | null
  steps: string | null
  cutAtChars: number | null
  teachersAnswer: number
  difyMessageId: string | null
}

const INTERRUPTED = { code: ErrorCode.aiInterrupted, message: 'The host stopped while this answer was being written.' }

/** Opens the database file and returns a store that owns it (`close()` closes the file). */
export function openChatStore (file: string): ChatStore {
  const db = openDatabase(file)
  try {
    return createSqliteChatStore(db)
  } catch (err) {
    db.close()
    throw translateSqliteError(err)
  }
}

/** A ChatStore over an open, migrated database; it takes ownership of `db`. */
export function createSqliteChatStore (db: Database): ChatStore {
  const sql = {
    insertParticipant: db.prepare<[string, string, string, string, number, number], ParticipantRow>(
      'INSERT INTO participants (username, username_key, emoji, token_hash, created_at, session_id) VALUES (?, ?, ?, ?, ?, ?) RETURNING *'),
    currentSession: db.prepare<[], number>('SELECT MAX(id) FROM sessions').pluck(),
    // a removed (kicked or banned) participant's token no longer names anyone
    participantByToken: db.prepare<[string], ParticipantRow>('SELECT * FROM participants WHERE token_hash = ? AND removed_at IS NULL'),
    participantById: db.prepare<[number], ParticipantRow>('SELECT * FROM participants WHERE id = ?'),
    participants: db.prepare<[], ParticipantRow>('SELECT * FROM participants ORDER BY id'),
    nameTaken: db.prepare<[string], number>('SELECT 1 FROM participants WHERE username_key = ?').pluck(),
    sessionNames: db.prepare<[number], string>('SELECT username FROM participants WHERE session_id = ? AND removed_at IS NULL').pluck(),
    // seq 0 is a placeholder, replaced by the event's seq in the same transaction
    insertMessage: db.prepare<NewMessage>(`INSERT INTO messages
      (seq, role, content, status, user_id, username, emoji, created_at, reply_to, client_msg_id, asks_ai, anonymous, session_id, files)
      VALUES (0, @role, @content, @status, @userId, @username, @emoji, @at, @replyTo, @clientMsgId, @asksAi, @anonymous, (SELECT MAX(id) FROM sessions), @files)`),
    insertEvent: db.prepare<[RoomEventType, number, number]>('INSERT INTO events (type, message_id, at) VALUES (?, ?, ?)'),
    setSeq: db.prepare<[number, number], MessageRow>('UPDATE messages SET seq = ? WHERE id = ? RETURNING *'),
    message: db.prepare<[number], MessageRow>('SELECT * FROM messages WHERE id = ?'),
    byClientId: db.prepare<[number, string], MessageRow>('SELECT * FROM messages WHERE user_id = ? AND client_msg_id = ?'),
    checkpoint: db.prepare<[string, number]>("UPDATE messages SET content = ? WHERE id = ? AND status = 'streaming'"),
    suggestions: db.prepare<[string, number]>("UPDATE messages SET suggestions = ? WHERE id = ? AND role = 'assistant'"),
    hostRating: db.prepare<[string | null, number]>("UPDATE messages SET host_rating = ? WHERE id = ? AND role = 'assistant'"),
    // Write before you show: each flush appends what every streaming answer gained since the last one.
    appendText: db.prepare<[string, number]>("UPDATE messages SET content = content || ? WHERE id = ? AND status = 'streaming'"),
    finish: db.prepare<Finish, MessageRow>(`UPDATE messages SET content = @content, status = @status, ended_at = @at,
      citations = @citations, error_code = @errorCode, error_message = @errorMessage, usage = @usage, steps = @steps,
      cut_at_chars = @cutAtChars, teachers_answer = @teachersAnswer, dify_message_id = COALESCE(@difyMessageId, dify_message_id), conversation_id = COALESCE(@conversationId, conversation_id)
      WHERE id = @id AND role = 'assistant' AND status = 'streaming' RETURNING *`),
    streamingIds: db.prepare<[], number>("SELECT id FROM messages WHERE status = 'streaming' ORDER BY seq").pluck(),
    eventsSince: db.prepare<[number, number], EventRow>(`SELECT e.seq AS event_seq, e.type AS event_type, e.at AS event_at,
      e.data AS event_data, e.message_id AS event_message_id, m.*
      FROM events e LEFT JOIN messages m ON m.id = e.message_id WHERE e.seq > ? ORDER BY e.seq LIMIT ?`),
    messagesSince: db.prepare<[number, number], MessageRow>('SELECT * FROM messages WHERE seq > ? ORDER BY seq LIMIT ?'),
    latest: db.prepare<[number], MessageRow>(`SELECT * FROM (SELECT * FROM messages WHERE session_id = (SELECT MAX(id) FROM sessions)
      ORDER BY seq DESC LIMIT ?) ORDER BY seq`),
    // sqlite_sequence remembers seqs whose rows were deleted; MAX(seq) covers a database without it
    lastSeq: db.prepare<[], number>(`SELECT MAX(COALESCE((SELECT seq FROM sqlite_sequence WHERE name = 'events'), 0),
      COALESCE((SELECT MAX(seq) FROM events), 0))`).pluck(),
    getSetting: db.prepare<[string], string>('SELECT value FROM settings WHERE key = ?').pluck(),
    setSetting: db.prepare<[string, string]>(
      'INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value'),
    deleteSetting: db.prepare<[string]>('DELETE FROM settings WHERE key = ?'),
    session: db.prepare<[], { id: number, started_at: number }>('SELECT * FROM sessions ORDER BY id DESC LIMIT 1'),
    insertSession: db.prepare<[number], { id: number, started_at: number }>('INSERT INTO sessions (started_at) VALUES (?) RETURNING *'),
    insertDataEvent: db.prepare<[RoomEventType, number, string]>('INSERT INTO events (type, message_id, at, data) VALUES (?, NULL, ?, ?)'),
    // UPDATE OR IGNORE: someone holding the same name in the target session keeps it; this one stays where it was
    moveToSession: db.prepare<{ session: number, id: number }>(`UPDATE OR IGNORE participants SET session_id = @session,
      username_key = CAST(@session AS INTEGER) || ':' || substr(username_key, instr(username_key, ':') + 1) WHERE id = @id AND session_id <> @session AND removed_at IS NULL`),
    details: db.prepare<{ session: number, all: number }, DetailRow>(`SELECT p.*, COALESCE(c.n, 0) AS message_count FROM participants p
      LEFT JOIN (SELECT user_id, COUNT(*) AS n FROM messages WHERE role = 'user' AND session_id = @session GROUP BY user_id) c ON c.user_id = p.id
      WHERE @all = 1 OR p.session_id = @session ORDER BY p.id`),
    detail: db.prepare<{ id: number, session: number }, DetailRow>(`SELECT p.*, (SELECT COUNT(*) FROM messages m WHERE m.user_id = p.id AND m.role = 'user'
      AND m.session_id = @session) AS message_count FROM participants p WHERE p.id = @id`),
    touch: db.prepare<[string | null, number, number]>('UPDATE participants SET last_address = COALESCE(?, last_address), last_seen = ? WHERE id = ?'),
    setMuted: db.prepare<[number | null, number]>('UPDATE participants SET muted_until = ? WHERE id = ?'),
    // the name is freed: the key gets a suffix no name can have (names hold no control characters)
    remove: db.prepare<[number, number]>(`UPDATE participants SET removed_at = ?, username_key = username_key || char(1) || id
      WHERE id = ? AND removed_at IS NULL`),
    participantExists: db.prepare<[number], number>('SELECT 1 FROM participants WHERE id = ?').pluck(),
    // no index: it runs once per ban, over one room's participants
    participantsAt: db.prepare<[string], number>('SELECT id FROM participants WHERE last_address = ? AND removed_at IS NULL ORDER BY id').pluck(),
    addBan: db.prepare<[string, number | null, string, number]>(`INSERT INTO bans (address, user_id, username, at) VALUES (?, ?, ?, ?)
      ON CONFLICT (address) DO UPDATE SET user_id = excluded.user_id, username = excluded.username, at = excluded.at`),
    removeBan: db.prepare<[string]>('DELETE FROM bans WHERE address = ?'),
    removeBansOf: db.prepare<[number]>('DELETE FROM bans WHERE user_id = ?'),
    bans: db.prepare<[], BanRow>('SELECT * FROM bans ORDER BY at DESC'),
    ban: db.prepare<[string], BanRow>('SELECT * FROM bans WHERE address = ?'),
    setHidden: db.prepare<[number | null, number], MessageRow>('UPDATE messages SET hidden_at = ? WHERE id = ? RETURNING *'),
    insertAudit: db.prepare<[number, string, string | null, string | null], AuditRow>('INSERT INTO audit (at, action, target, detail) VALUES (?, ?, ?, ?) RETURNING *'),
    audit: db.prepare<[number], AuditRow>('SELECT * FROM audit ORDER BY id DESC LIMIT ?'),
    stats: db.prepare<[number], { messages: number, answered: number, failed: number, tokens: number }>(`SELECT
      COALESCE(SUM(role = 'user'), 0) AS messages,
      COALESCE(SUM(role = 'assistant' AND status IN ('complete', 'stopped')), 0) AS answered,
      COALESCE(SUM(role = 'assistant' AND status IN ('failed', 'interrupted')), 0) AS failed,
      COALESCE(SUM(CASE WHEN usage IS NOT NULL AND json_valid(usage) THEN json_extract(usage, '$.total_tokens') END), 0) AS tokens
      FROM messages WHERE session_id = ?`)
  }

  function currentSession (): number {
    return sql.currentSession.get() ?? 1
  }

  /** Inserts a message and the event that creates it; the message takes the event's seq. */
  function insertWithEvent (type: RoomEventType, input: NewMessage): { message: StoredMessage, event: RoomEvent } {
    const messageId = Number(sql.insertMessage.run(input).lastInsertRowid)
    const event = appendEvent(type, messageId, input.at)
    return { message: toMessage(mustGet(sql.setSeq.get(event.seq, messageId))), event }
  }

  function appendEvent (type: RoomEventType, messageId: number, at: number): RoomEvent {
    return { seq: Number(sql.insertEvent.run(type, messageId, at).lastInsertRowid), type, messageId, at }
  }

  function finish (input: ReplyFinish): { message: StoredMessage, event: RoomEvent } {
    const row = sql.finish.get({
      id: input.id,
      content: input.content,
      status: input.status,
      at: input.at,
      citations: input.citations == null ? null : JSON.stringify(input.citations),
      errorCode: input.error?.code ?? null,
      errorMessage: input.error?.message ?? null,
      conversationId: input.conversationId ?? null,
      usage: input.usage == null ? null : JSON.stringify(input.usage),
      steps: input.steps == null || input.steps.length === 0 ? null : JSON.stringify(input.steps),
      cutAtChars: input.cutAtChars ?? null,
      teachersAnswer: input.isTeachersAnswer === true ? 1 : 0,
      difyMessageId: input.difyMessageId ?? null
    })
    if (row === undefined) throw Errors.replyRowMissing()
    const type = input.status === 'complete' || input.status === 'stopped' ? 'ai_message_end' : 'ai_message_error'
    return { message: toMessage(row), event: appendEvent(type, row.id, input.at) }
  }

  const postUserMessage = db.transaction((input: Parameters<ChatStore['postUserMessage']>[0]) => {
    const existing = input.clientMsgId === null ? undefined : sql.byClientId.get(input.userId, input.clientMsgId)
    if (existing !== undefined) {
      const message = toMessage(existing)
      return { message, event: creationEvent('user_message', message), isDuplicate: true }
    }
    const posted = insertWithEvent('user_message', {
      // user id 0 is the host: it has no participant row
      ...input,
      userId: input.userId === 0 ? null : input.userId,
      role: 'user',
      status: 'complete',
      replyTo: null,
      asksAi: input.asksAi ? 1 : 0,
      anonymous: input.isAnonymous === true ? 1 : 0,
      files: input.files === undefined || input.files.length === 0 ? null : JSON.stringify(input.files)
    })
    return { ...posted, isDuplicate: false }
  })

  const createReply = db.transaction((input: Parameters<ChatStore['createReply']>[0]) => insertWithEvent('ai_message_start', {
    role: 'assistant',
    content: '',
    status: 'streaming',
    userId: input.askerId === 0 ? null : input.askerId,
    username: 'AI',
    emoji: '🤖',
    at: input.at,
    replyTo: input.replyTo,
    clientMsgId: null,
    asksAi: 0,
    anonymous: 0,
    files: null
  }))

  const finishReply = db.transaction(finish)

  const startSession = db.transaction((input: { at: number, keepUserIds: readonly number[] }) => {
    const row = mustGet(sql.insertSession.get(input.at))
    for (const id of input.keepUserIds) sql.moveToSession.run({ session: row.id, id })
    const data = { session_id: row.id }
    const seq = Number(sql.insertDataEvent.run('room_cleared', input.at, JSON.stringify(data)).lastInsertRowid)
    return { session: { id: row.id, startedAt: row.started_at }, event: { seq, type: 'room_cleared' as const, messageId: 0, at: input.at, data } }
  })

  const setHidden = db.transaction((input: { id: number, isHidden: boolean, at: number }) => {
    const current = sql.message.get(input.id)
    if (current === undefined) return null
    if ((current.hidden_at !== null) === input.isHidden) return { message: toMessage(current), event: null }
    const row = mustGet(sql.setHidden.get(input.isHidden ? input.at : null, input.id))
    const event = appendEvent(input.isHidden ? 'message_hidden' : 'message_unhidden', row.id, input.at)
    return { message: toMessage(row), event }
  })

  const checkpointReplies = db.transaction((updates: ReadonlyArray<{ id: number, content: string, append?: boolean }>) => {
    for (const update of updates) (update.append === true ? sql.appendText : sql.checkpoint).run(update.content, update.id)
  })

  const interruptStreamingReplies = db.transaction((at: number) => {
    const ids = sql.streamingIds.all()
    for (const id of ids) {
      const content = mustGet(sql.message.get(id)).content
      finish({ id, content, status: 'interrupted', at, error: INTERRUPTED })
    }
    return ids.length
  })

  return {
    createParticipant: guard(input => {
      const session = currentSession()
      return toParticipant(mustGet(sql.insertParticipant.get(input.username, usernameKey(session, input.username), input.emoji, input.tokenHash, input.at, session)))
    }),
    findParticipantByTokenHash: guard(tokenHash => nullable(sql.participantByToken.get(tokenHash), toParticipant)),
    getParticipant: guard(id => nullable(sql.participantById.get(id), toParticipant)),
    listParticipants: guard(() => sql.participants.all().map(toParticipant)),
    isUsernameTaken: guard(username => sql.nameTaken.get(usernameKey(currentSession(), username)) !== undefined),
    usernamesInSession: guard(() => sql.sessionNames.all(currentSession())),
    postUserMessage: guard(input => postUserMessage.immediate(input)),
    createReply: guard(input => createReply.immediate(input)),
    checkpointReplies: guard(updates => { checkpointReplies.immediate(updates) }),
    finishReply: guard(input => finishReply.immediate(input)),
    setSuggestions: guard((id, suggestions) => { sql.suggestions.run(JSON.stringify(suggestions), id) }),
    setHostRating: guard((id, rating) => { sql.hostRating.run(rating, id) }),
    interruptStreamingReplies: guard(at => interruptStreamingReplies.immediate(at)),
    getMessage: guard(id => nullable(sql.message.get(id), toMessage)),
    findUserMessage: guard((userId, clientMsgId) => nullable(sql.byClientId.get(userId, clientMsgId), toMessage)),
    eventsSince: guard((since, limit) => sql.eventsSince.all(since, limit).map(row => ({
      event: {
        seq: row.event_seq,
        type: row.event_type,
        messageId: row.event_message_id ?? 0,
        at: row.event_at,
        data: row.event_data === null ? null : JSON.parse(row.event_data) as Record<string, unknown>
      },
      message: row.event_message_id === null ? null : toMessage(row)
    }))),
    messagesSince: guard((since, limit) => sql.messagesSince.all(since, limit).map(toMessage)),
    latestMessages: guard(limit => sql.latest.all(limit).map(toMessage)),
    lastSeq: guard(() => sql.lastSeq.get() ?? 0),
    getSetting: guard(key => sql.getSetting.get(key) ?? null),
    setSetting: guard((key, value) => {
      if (value === null) sql.deleteSetting.run(key)
      else sql.setSetting.run(key, value)
    }),
    currentSession: guard(() => {
      const row = mustGet(sql.session.get())
      return { id: row.id, startedAt: row.started_at }
    }),
    startSession: guard(input => startSession.immediate(input)),
    participantDetails: guard(scope => sql.details.all({ session: currentSession(), all: scope === 'all' ? 1 : 0 }).map(toDetails)),
    participantDetail: guard(id => nullable(sql.detail.get({ id, session: currentSession() }), toDetails)),
    touchParticipant: guard((id, address, at) => {
      sql.touch.run(address, at, id)
      sql.moveToSession.run({ session: currentSession(), id })
    }),
    setMutedUntil: guard((id, until) => { sql.setMuted.run(until, id) }),
    removeParticipant: guard((id, at) => {
      if (sql.participantExists.get(id) === undefined) return false
      sql.remove.run(at, id)
      return true
    }),
    participantsAt: guard(address => sql.participantsAt.all(address)),
    addBan: guard(ban => { sql.addBan.run(ban.address, ban.userId, ban.username ?? '', ban.at) }),
    removeBan: guard(address => sql.removeBan.run(address).changes > 0),
    removeBansOf: guard(userId => sql.removeBansOf.run(userId).changes),
    listBans: guard(() => sql.bans.all().map(toBan)),
    findBan: guard(address => nullable(sql.ban.get(address), toBan)),
    setHidden: guard(input => setHidden.immediate(input)),
    appendAudit: guard(input => toAudit(mustGet(sql.insertAudit.get(input.at, input.action, input.target, input.detail === null ? null : JSON.stringify(input.detail))))),
    listAudit: guard(limit => sql.audit.all(limit).map(toAudit)),
    sessionStats: guard(sessionId => {
      const row = mustGet(sql.stats.get(sessionId))
      return { messages: row.messages, aiAnswered: row.answered, aiFailed: row.failed, tokensUsed: Math.round(Number(row.tokens) || 0) }
    }),
    close: guard(() => {
      if (!db.open) return
      try {
        db.pragma('wal_checkpoint(TRUNCATE)')
      } finally {
        db.close()
      }
    })
  }
}

/** Names compare case-insensitively, after NFC, within one session (a name is held by that session's participants). */
function usernameKey (session: number, username: string): string {
  return `${session}:${username.normalize('NFC').toLowerCase().normalize('NFC')}`
}

function creationEvent (type: RoomEventType, message: StoredMessage): RoomEvent {
  return { seq: message.seq, type, messageId: message.id, at: message.createdAt }
}

function mustGet<T> (row: T | undefined): T {
  if (row === undefined) throw Errors.storageRowMissing('row')
  return row
}

function nullable<R, T> (row: R | undefined, map: (row: R) => T): T | null {
  return row === undefined ? null : map(row)
}

function toParticipant (row: ParticipantRow): ParticipantRecord {
  return { id: row.id, username: row.username, emoji: row.emoji, createdAt: row.created_at }
}

function toDetails (row: DetailRow): ParticipantDetails {
  return {
    ...toParticipant(row),
    sessionId: row.session_id,
    lastAddress: row.last_address,
    lastSeen: row.last_seen,
    mutedUntil: row.muted_until,
    removedAt: row.removed_at,
    messageCount: row.message_count
  }
}

function toBan (row: BanRow): BanRecord {
  return { address: row.address, userId: row.user_id, username: row.username === '' ? null : row.username, at: row.at }
}

function toAudit (row: AuditRow): AuditRecord {
  return { id: row.id, at: row.at, action: row.action, target: row.target, detail: row.detail === null ? null : JSON.parse(row.detail) as Record<string, unknown> }
}

function toMessage (row: MessageRow): StoredMessage {
  return {
    id: row.id,
    seq: row.seq,
    role: row.role,
    content: row.content,
    status: row.status,
    userId: row.user_id,
    username: row.username,
    emoji: row.emoji,
    createdAt: row.created_at,
    endedAt: row.ended_at,
    replyTo: row.reply_to,
    clientMsgId: row.client_msg_id,
    asksAi: row.asks_ai !== 0,
    citations: row.citations === null ? null : JSON.parse(row.citations) as Citation[],
    error: row.error_code === null ? null : { code: row.error_code, message: row.error_message ?? '' },
    conversationId: row.conversation_id,
    usage: row.usage === null ? null : JSON.parse(row.usage) as Record<string, unknown>,
    steps: row.steps === null ? null : JSON.parse(row.steps) as AgentStep[],
    sessionId: row.session_id,
    hiddenAt: row.hidden_at,
    isEditedByHost: row.edited_by_host !== 0,
    cutAtChars: row.cut_at_chars ?? null,
    suggestions: row.suggestions === null || row.suggestions === undefined ? null : JSON.parse(row.suggestions) as string[],
    isAnonymous: row.anonymous === 1,
    isTeachersAnswer: row.teachers_answer === 1,
    difyMessageId: row.dify_message_id ?? null,
    hostRating: row.host_rating === 'like' || row.host_rating === 'dislike' ? row.host_rating : null,
    files: row.files === null || row.files === undefined ? null : JSON.parse(row.files) as MessageFileRef[]
  }
}
