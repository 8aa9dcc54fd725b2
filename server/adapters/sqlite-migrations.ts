/**
 * The schema, as ordered migrations applied at open. Progress lives in `PRAGMA user_version`:
 * migration i (0-based) has run when user_version > i. Never edit a shipped entry; append one.
 * @see https://www.sqlite.org/pragma.html#pragma_user_version
 */
import type { Database } from 'better-sqlite3'
import { Errors } from '../errors.js'

/** The live settings' rows before they became one record (migration 10). */
const OLD_SETTING_KEYS = ['room_name', 'dify_api_url', 'dify_api_key', 'dify_api_key_sealed', 'dify_inputs', 'dify_form',
  'ai_concurrency', 'ai_max_answer_chars', 'review_answers', 'allowed_hosts', 'limits'].map(k => `'setting_${k}'`).join(', ')

export const migrations: readonly string[] = [
  `
  CREATE TABLE participants (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    username TEXT NOT NULL,
    -- lowercased NFC name: makes names unique case-insensitively
    username_key TEXT NOT NULL UNIQUE,
    emoji TEXT NOT NULL,
    token_hash TEXT NOT NULL UNIQUE,
    created_at INTEGER NOT NULL
  );

  CREATE TABLE messages (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    -- the seq of the event that created the message
    seq INTEGER NOT NULL UNIQUE,
    role TEXT NOT NULL CHECK (role IN ('user', 'assistant')),
    content TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('complete', 'streaming', 'stopped', 'failed', 'interrupted')),
    -- the author of a user message, the asker of an assistant reply
    user_id INTEGER REFERENCES participants(id),
    username TEXT NOT NULL,
    emoji TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    ended_at INTEGER,
    reply_to INTEGER REFERENCES messages(id),
    client_msg_id TEXT,
    asks_ai INTEGER NOT NULL DEFAULT 0,
    citations TEXT,
    error_code TEXT,
    error_message TEXT,
    conversation_id TEXT
  );
  CREATE UNIQUE INDEX messages_client_msg_id ON messages(user_id, client_msg_id) WHERE client_msg_id IS NOT NULL;
  -- only streaming replies are ever looked up by status
  CREATE INDEX messages_streaming ON messages(status) WHERE status = 'streaming';

  CREATE TABLE events (
    -- AUTOINCREMENT: a seq is never reused, even after rows are deleted or the host restarts
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    type TEXT NOT NULL,
    message_id INTEGER NOT NULL REFERENCES messages(id),
    at INTEGER NOT NULL
  );
  CREATE INDEX events_message_id ON events(message_id);

  CREATE TABLE settings (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
  );
  `,
  `
  -- One row per rate-limit bucket: the time (ms) at which it is full again (GCRA). Rows whose time
  -- has passed limit nobody and are purged periodically, so the table holds only active buckets.
  CREATE TABLE rate_limits (
    key TEXT PRIMARY KEY,
    tat REAL NOT NULL
  ) WITHOUT ROWID;
  CREATE INDEX rate_limits_tat ON rate_limits(tat);
  `,
  `
  -- What the AI service reported with an answer: token usage and, for agent apps, its steps (JSON).
  ALTER TABLE messages ADD COLUMN usage TEXT;
  ALTER TABLE messages ADD COLUMN steps TEXT;
  `,
  `
  -- The host console: lessons (sessions), hidden messages, moderation, bans, the audit trail.
  CREATE TABLE sessions (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    started_at INTEGER NOT NULL
  );
  -- everything written so far belongs to the first session
  INSERT INTO sessions (id, started_at) VALUES (1, COALESCE((SELECT MIN(created_at) FROM messages), CAST(strftime('%s', 'now') AS INTEGER) * 1000));

  ALTER TABLE messages ADD COLUMN session_id INTEGER NOT NULL DEFAULT 1;
  -- when the host hid it (null: shown); the text is kept for the host and exports
  ALTER TABLE messages ADD COLUMN hidden_at INTEGER;
  CREATE INDEX messages_session ON messages(session_id, seq);

  ALTER TABLE participants ADD COLUMN session_id INTEGER NOT NULL DEFAULT 1;
  -- the network address they last used (bans apply to it)
  ALTER TABLE participants ADD COLUMN last_address TEXT;
  ALTER TABLE participants ADD COLUMN last_seen INTEGER;
  ALTER TABLE participants ADD COLUMN muted_until INTEGER;
  -- kicked or banned: the token is refused from then on
  ALTER TABLE participants ADD COLUMN removed_at INTEGER;
  CREATE INDEX participants_session ON participants(session_id);
  -- a name is held only within its session: the unique key becomes "<session>:<lowercased name>"
  UPDATE participants SET username_key = '1:' || username_key;

  -- Persisted frames that name no message (room_cleared) carry their fields in data (JSON).
  -- The table is rebuilt to let message_id be null; its sequence is carried over so no seq is reused.
  CREATE TABLE events_next (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    type TEXT NOT NULL,
    message_id INTEGER REFERENCES messages(id),
    at INTEGER NOT NULL,
    data TEXT
  );
  INSERT INTO events_next (seq, type, message_id, at) SELECT seq, type, message_id, at FROM events;
  DELETE FROM sqlite_sequence WHERE name = 'events_next';
  INSERT INTO sqlite_sequence (name, seq) SELECT 'events_next', MAX(COALESCE((SELECT seq FROM sqlite_sequence WHERE name = 'events'), 0), COALESCE((SELECT MAX(seq) FROM events), 0));
  DROP TABLE events;
  ALTER TABLE events_next RENAME TO events;
  CREATE INDEX events_message_id ON events(message_id);

  CREATE TABLE bans (
    address TEXT PRIMARY KEY,
    user_id INTEGER,
    username TEXT NOT NULL,
    at INTEGER NOT NULL
  );

  CREATE TABLE audit (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    at INTEGER NOT NULL,
    action TEXT NOT NULL,
    target TEXT,
    detail TEXT
  );
  `,
  `
  -- The teacher's gate (approve mode): one row per question, its state and vote count; each
  -- change is also a question_update event (its data says what changed) so replays show it.
  CREATE TABLE questions (
    message_id INTEGER PRIMARY KEY REFERENCES messages(id),
    status TEXT NOT NULL CHECK (status IN ('pending', 'approved', 'rejected', 'merged')),
    votes INTEGER NOT NULL DEFAULT 0,
    -- approved: what the AI was asked (the host's edit, or the question as posted)
    asked TEXT,
    is_edited INTEGER NOT NULL DEFAULT 0,
    reason TEXT,
    merged_into INTEGER REFERENCES messages(id),
    reply_id INTEGER REFERENCES messages(id),
    decided_at INTEGER
  );
  CREATE INDEX questions_pending ON questions(status) WHERE status = 'pending';
  CREATE TABLE question_votes (
    message_id INTEGER NOT NULL REFERENCES messages(id),
    user_id INTEGER NOT NULL,
    at INTEGER NOT NULL,
    PRIMARY KEY (message_id, user_id)
  ) WITHOUT ROWID;

  -- The lesson record: the AI's summary of a session, asked in a conversation of its own.
  CREATE TABLE summaries (
    session_id INTEGER PRIMARY KEY REFERENCES sessions(id),
    content TEXT NOT NULL,
    at INTEGER NOT NULL
  );
  -- "Erase this participant": their text is gone from storage and exports; the row stays a tombstone.
  ALTER TABLE messages ADD COLUMN erased_at INTEGER;
  ALTER TABLE participants ADD COLUMN erased_at INTEGER;
  `,
  `
  -- The console counts each participant's messages of the session on every change of their row:
  -- without this index every count read the whole messages table.
  CREATE INDEX messages_user_session ON messages(user_id, session_id) WHERE user_id IS NOT NULL;
  `,
  `
  -- "Edited by the host" (review answers first) was kept only on the answer's end event: the
  -- history endpoint reads messages, so a reload lost it. Kept on the message too from now on.
  ALTER TABLE messages ADD COLUMN edited_by_host INTEGER NOT NULL DEFAULT 0;
  UPDATE messages SET edited_by_host = 1 WHERE id IN
    (SELECT message_id FROM events WHERE type = 'ai_message_end' AND json_extract(data, '$.edited_by_host') = 1);
  `,
  `
  -- Messages the word list held for the host were one JSON list in settings, trimmed to the last
  -- 500: the 501st dropped the oldest, unseen. A table of their own keeps every one.
  CREATE TABLE held_messages (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    user_id INTEGER NOT NULL,
    username TEXT NOT NULL,
    emoji TEXT NOT NULL,
    content TEXT NOT NULL,
    client_msg_id TEXT,
    ask_ai INTEGER NOT NULL DEFAULT 0,
    matched TEXT NOT NULL,
    at INTEGER NOT NULL
  );
  CREATE UNIQUE INDEX held_messages_client ON held_messages(user_id, client_msg_id) WHERE client_msg_id IS NOT NULL;
  INSERT OR IGNORE INTO held_messages (id, user_id, username, emoji, content, client_msg_id, ask_ai, matched, at)
    SELECT json_extract(j.value, '$.id'), json_extract(j.value, '$.userId'), json_extract(j.value, '$.username'),
      json_extract(j.value, '$.emoji'), json_extract(j.value, '$.content'), json_extract(j.value, '$.clientMsgId'),
      COALESCE(json_extract(j.value, '$.askAi'), 0), COALESCE(json_extract(j.value, '$.matched'), ''), COALESCE(json_extract(j.value, '$.at'), 0)
    FROM settings s, json_each(s.value) j
    WHERE s.key = 'held_messages' AND json_valid(s.value) AND json_type(s.value) = 'array'
      AND json_extract(j.value, '$.userId') IS NOT NULL AND json_extract(j.value, '$.content') IS NOT NULL;
  DELETE FROM settings WHERE key = 'held_messages';
  `,
  `
  -- An answer cut at the host's answer limit keeps that limit (in characters): its end says so.
  ALTER TABLE messages ADD COLUMN cut_at_chars INTEGER;
  `,
  `
  -- The live settings were eleven setting_* rows written one at a time: a change of several wrote
  -- several rows. They are one JSON record now (settings-schema.ts StoredSettings), written whole.
  -- json() outside each subquery keeps the value JSON; json_patch drops the settings never set (null).
  INSERT OR REPLACE INTO settings (key, value)
    SELECT 'settings_live', json_patch('{}', json_object(
      'room_name', (SELECT value FROM settings WHERE key = 'setting_room_name'),
      'dify_api_url', (SELECT value FROM settings WHERE key = 'setting_dify_api_url'),
      'dify_api_key', (SELECT value FROM settings WHERE key = 'setting_dify_api_key'),
      'dify_api_key_sealed', json((SELECT 'true' FROM settings WHERE key = 'setting_dify_api_key_sealed' AND value = '1')),
      'dify_inputs', json((SELECT value FROM settings WHERE key = 'setting_dify_inputs' AND json_valid(value))),
      'dify_form', json((SELECT value FROM settings WHERE key = 'setting_dify_form' AND json_valid(value))),
      'ai_concurrency', (SELECT CAST(value AS INTEGER) FROM settings WHERE key = 'setting_ai_concurrency'),
      'ai_max_answer_chars', (SELECT CAST(value AS INTEGER) FROM settings WHERE key = 'setting_ai_max_answer_chars'),
      'review_answers', json((SELECT 'true' FROM settings WHERE key = 'setting_review_answers' AND value = '1')),
      'allowed_hosts', json((SELECT value FROM settings WHERE key = 'setting_allowed_hosts' AND json_valid(value))),
      'limits', json((SELECT value FROM settings WHERE key = 'setting_limits' AND json_valid(value)))
    ))
    WHERE EXISTS (SELECT 1 FROM settings WHERE key IN (${OLD_SETTING_KEYS}));
  DELETE FROM settings WHERE key IN (${OLD_SETTING_KEYS});
  `,
  `
  -- An answer's suggested follow-up questions (a JSON list), asked of the AI app once per answer.
  ALTER TABLE messages ADD COLUMN suggestions TEXT;
  `,
  `
  -- Feedback: each participant's rating of an AI answer ("helpful" or "confused"), one per answer.
  CREATE TABLE feedback (
    message_id INTEGER NOT NULL REFERENCES messages(id) ON DELETE CASCADE,
    user_id INTEGER NOT NULL,
    rating TEXT NOT NULL CHECK (rating IN ('helpful', 'confused')),
    at INTEGER NOT NULL,
    PRIMARY KEY (message_id, user_id)
  ) WITHOUT ROWID;
  `,
  `
  -- Polls: the host's question and options (JSON lists), one answer per participant (a new answer
  -- replaces it). Each change of a poll is also a poll_update event (message_id NULL, data: the
  -- poll and its counts then) so replays show what the room saw.
  CREATE TABLE polls (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    session_id INTEGER NOT NULL REFERENCES sessions(id),
    question TEXT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('single', 'multi', 'open')),
    options TEXT NOT NULL,
    correct TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('open', 'closed')),
    show_results INTEGER NOT NULL DEFAULT 0,
    created_at INTEGER NOT NULL,
    closed_at INTEGER
  );
  CREATE INDEX polls_session ON polls(session_id);
  -- no foreign key to participants: erasing or purging a participant must not be blocked by a vote
  CREATE TABLE poll_answers (
    poll_id INTEGER NOT NULL REFERENCES polls(id),
    user_id INTEGER NOT NULL,
    choice TEXT,
    text TEXT,
    at INTEGER NOT NULL,
    PRIMARY KEY (poll_id, user_id)
  ) WITHOUT ROWID;
  `,
  `
  -- Reactions: one row per participant, message and emoji (six fixed emoji; a second of the same is
  -- refused by the key). Removed with their message.
  CREATE TABLE reactions (
    message_id INTEGER NOT NULL REFERENCES messages(id) ON DELETE CASCADE,
    user_id INTEGER NOT NULL,
    emoji TEXT NOT NULL,
    at INTEGER NOT NULL,
    PRIMARY KEY (message_id, user_id, emoji)
  ) WITHOUT ROWID;
  `,
  `
  -- Anonymous room: a message posted while names were hidden stays anonymous to participants after
  -- the host shows names again (the host always sees who wrote it).
  ALTER TABLE messages ADD COLUMN anonymous INTEGER NOT NULL DEFAULT 0;
  `,
  `
  -- An answer the AI app gave from an annotation the host taught it ("the teacher's answer").
  ALTER TABLE messages ADD COLUMN teachers_answer INTEGER NOT NULL DEFAULT 0;
  `,
  `
  -- The AI service's own id of an answer (its feedback API names answers by it), and the host's
  -- rating of the answer as sent there ('like' | 'dislike', or null).
  ALTER TABLE messages ADD COLUMN dify_message_id TEXT;
  ALTER TABLE messages ADD COLUMN host_rating TEXT;
  `,
  `
  -- Photos: each upload, re-encoded without metadata, is a file in the data folder named by its
  -- random id (and a thumbnail beside it); the row says whose it is and, once posted, which message
  -- carries it. A message keeps its photos' ids and sizes (JSON) so frames need no join; so does a
  -- held message, until the host lets it through.
  CREATE TABLE photos (
    id TEXT PRIMARY KEY,
    user_id INTEGER NOT NULL,
    mime_type TEXT NOT NULL,
    thumb_mime_type TEXT NOT NULL,
    width INTEGER NOT NULL,
    height INTEGER NOT NULL,
    bytes INTEGER NOT NULL,
    created_at INTEGER NOT NULL,
    message_id INTEGER REFERENCES messages(id) ON DELETE SET NULL
  ) WITHOUT ROWID;
  CREATE INDEX photos_user ON photos(user_id);
  ALTER TABLE messages ADD COLUMN files TEXT;
  ALTER TABLE held_messages ADD COLUMN files TEXT;
  `
]

/** Brings the schema up to date, one transaction per migration. */
export function applyMigrations (db: Database): void {
  const version = (): number => db.pragma('user_version', { simple: true }) as number
  if (version() > migrations.length) {
    throw Errors.storageNewer()
  }
  const step = db.transaction((index: number, sql: string) => {
    if (version() !== index) return // another process applied it first
    db.exec(sql)
    db.pragma(`user_version = ${index + 1}`)
  })
  for (let index = version(); index < migrations.length; index++) {
    step.immediate(index, migrations[index] ?? '')
  }
}
