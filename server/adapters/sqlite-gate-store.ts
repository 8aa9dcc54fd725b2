/**
 * GateStore on better-sqlite3: questions and votes in their own tables, each step appended to the
 * room's log as a `question_update` event whose `data` records the step (so a replay shows what
 * the room saw then, not the state now).
 * @see https://github.com/WiseLibs/better-sqlite3/blob/master/docs/api.md
 */
import type { Database } from 'better-sqlite3'
import type { GateStore, LessonStore, PrivacyStore, Question, QuestionState, QuestionStep, RoomEvent } from '../ports.js'
import { Errors } from '../errors.js'
import { guard } from './sqlite-database.js'

interface QuestionRow {
  message_id: number
  status: Question['state']['status']
  votes: number
  asked: string | null
  is_edited: number
  reason: string | null
  merged_into: number | null
  reply_id: number | null
  decided_at: number | null
  user_id: number | null
  username: string
  content: string
  created_at: number
}

const SELECT_QUESTION = `SELECT q.*, m.user_id, m.username, m.content, m.created_at
  FROM questions q JOIN messages m ON m.id = q.message_id`

/** The gate's, privacy's and the lesson record's stores over the room's open, migrated database (the chat store owns and closes it). */
export function createSqliteGateStore (db: Database): GateStore & PrivacyStore & LessonStore {
  const sql = {
    insert: db.prepare<[number]>("INSERT INTO questions (message_id, status, votes) VALUES (?, 'pending', 0)"),
    get: db.prepare<[number], QuestionRow>(`${SELECT_QUESTION} WHERE q.message_id = ?`),
    listCurrent: db.prepare<[], QuestionRow>(`${SELECT_QUESTION} WHERE m.session_id = (SELECT MAX(id) FROM sessions) ORDER BY m.seq`),
    listAll: db.prepare<[], QuestionRow>(`${SELECT_QUESTION} ORDER BY m.seq`),
    addVote: db.prepare<[number, number, number]>('INSERT OR IGNORE INTO question_votes (message_id, user_id, at) VALUES (?, ?, ?)'),
    removeVote: db.prepare<[number, number]>('DELETE FROM question_votes WHERE message_id = ? AND user_id = ?'),
    // a merge brings the merged question's voters (and its asker) to the target
    moveVotes: db.prepare<[number, number]>(`INSERT OR IGNORE INTO question_votes (message_id, user_id, at)
      SELECT ?, user_id, at FROM question_votes WHERE message_id = ?`),
    countVotes: db.prepare<[number, number], { n: number }>(
      'UPDATE questions SET votes = (SELECT COUNT(*) FROM question_votes WHERE message_id = ?) WHERE message_id = ? RETURNING votes AS n'),
    setState: db.prepare<{ id: number, status: string, asked: string | null, edited: number, reason: string | null, merged: number | null, at: number }>(
      `UPDATE questions SET status = @status, asked = @asked, is_edited = @edited, reason = @reason, merged_into = @merged, decided_at = @at
       WHERE message_id = @id AND status = 'pending'`),
    setReply: db.prepare<[number, number]>('UPDATE questions SET reply_id = ? WHERE message_id = ?'),
    // Only this lesson's questions wait: a new session leaves the old queue behind (still decidable).
    pendingRoom: db.prepare<[], number>(`SELECT COUNT(*) FROM questions q JOIN messages m ON m.id = q.message_id
      WHERE q.status = 'pending' AND m.session_id = (SELECT MAX(id) FROM sessions)`).pluck(),
    pendingOf: db.prepare<[number], number>(`SELECT COUNT(*) FROM questions q JOIN messages m ON m.id = q.message_id
      WHERE q.status = 'pending' AND m.user_id = ? AND m.session_id = (SELECT MAX(id) FROM sessions)`).pluck(),
    sessions: db.prepare<[], { id: number, started_at: number, content: string | null, at: number | null }>(
      'SELECT s.id, s.started_at, m.content, m.at FROM sessions s LEFT JOIN summaries m ON m.session_id = s.id ORDER BY s.id'),
    setSummary: db.prepare<[number, string, number]>(
      'INSERT INTO summaries (session_id, content, at) VALUES (?, ?, ?) ON CONFLICT (session_id) DO UPDATE SET content = excluded.content, at = excluded.at'),
    votedBy: db.prepare<[number], number>('SELECT message_id FROM question_votes WHERE user_id = ?').pluck(),
    erased: db.prepare<[], number>('SELECT id FROM messages WHERE erased_at IS NOT NULL ORDER BY id').pluck(),
    // their messages and the answers to their questions (an answer quotes the question it answers)
    userMessages: db.prepare<[number, number], number>(`SELECT id FROM messages WHERE (user_id = ? AND role = 'user')
      OR (role = 'assistant' AND reply_to IN (SELECT id FROM messages WHERE user_id = ? AND role = 'user')) ORDER BY id`).pluck(),
    eraseReplies: db.prepare<[number, number]>(`UPDATE messages SET content = '', citations = NULL, steps = NULL, erased_at = ?
      WHERE role = 'assistant' AND reply_to IN (SELECT id FROM messages WHERE user_id = ? AND role = 'user')`),
    eraseSteps: db.prepare<[number]>(`UPDATE events SET data = json_remove(data, '$.asked')
      WHERE type = 'question_update' AND message_id IN (SELECT id FROM messages WHERE user_id = ? AND role = 'user')`),
    eraseMessages: db.prepare<[number, number]>("UPDATE messages SET content = '', username = 'Removed participant', emoji = '👤', client_msg_id = NULL, files = NULL, erased_at = ? WHERE user_id = ? AND role = 'user'"),
    eraseAsked: db.prepare<[number]>("UPDATE questions SET asked = NULL WHERE message_id IN (SELECT id FROM messages WHERE user_id = ? AND role = 'user')"),
    eraseParticipant: db.prepare<[string, number, number]>(
      "UPDATE participants SET username = 'Removed participant', username_key = ?, emoji = '👤', last_address = NULL, erased_at = ? WHERE id = ?"),
    purgeAudit: db.prepare<[number]>('DELETE FROM audit WHERE at < ?'),
    markEdited: db.prepare<[number]>('UPDATE events SET data = json_set(COALESCE(data, \'{}\'), \'$.edited_by_host\', json(\'true\')) WHERE seq = ?'),
    markMessageEdited: db.prepare<[number]>('UPDATE messages SET edited_by_host = 1 WHERE id = (SELECT message_id FROM events WHERE seq = ?)'),
    nameOf: db.prepare<[number], string>('SELECT username FROM participants WHERE id = ?').pluck(),
    // the audit trail names them in its details (JSON): the name is replaced there too
    eraseAudit: db.prepare<[string, string]>('UPDATE audit SET detail = replace(detail, ?, \'"Removed participant"\') WHERE instr(detail, ?) > 0'),
    oldSessions: db.prepare<[number], number>('SELECT id FROM sessions WHERE started_at < ? AND id < (SELECT MAX(id) FROM sessions) ORDER BY id').pluck(),
    erasePollTexts: db.prepare<[number]>("UPDATE poll_answers SET text = '' WHERE user_id = ? AND text IS NOT NULL"),
    insertEvent: db.prepare<[number, number, string]>("INSERT INTO events (type, message_id, at, data) VALUES ('question_update', ?, ?, ?)")
  }

  function mustGet (id: number): Question {
    const row = sql.get.get(id)
    if (row === undefined) throw Errors.storageRowMissing('question')
    return toQuestion(row)
  }

  /** Appends the event for a question as it is now. */
  function step (q: Question, at: number, vote: { userId: number, isUp: boolean } | null): { step: QuestionStep, event: RoomEvent } {
    const data = toStep(q, sql.pendingRoom.get() ?? 0, vote)
    const seq = Number(sql.insertEvent.run(q.messageId, at, JSON.stringify(data)).lastInsertRowid)
    return { step: data, event: { seq, type: 'question_update', messageId: q.messageId, at, data: { ...data } } }
  }

  const openQuestion = db.transaction((input: { messageId: number, at: number }) => {
    sql.insert.run(input.messageId)
    return step(mustGet(input.messageId), input.at, null)
  })

  const vote = db.transaction((input: { messageId: number, userId: number, isUp: boolean, at: number }) => {
    const changed = input.isUp
      ? sql.addVote.run(input.messageId, input.userId, input.at).changes
      : sql.removeVote.run(input.messageId, input.userId).changes
    if (changed === 0) return null
    sql.countVotes.get(input.messageId, input.messageId)
    return step(mustGet(input.messageId), input.at, { userId: input.userId, isUp: input.isUp })
  })

  const decide = db.transaction((input: { messageId: number, state: QuestionState, at: number }) => {
    const s = input.state
    const changed = sql.setState.run({
      id: input.messageId,
      status: s.status,
      asked: s.status === 'approved' ? s.content : null,
      edited: s.status === 'approved' && s.isEdited ? 1 : 0,
      reason: s.status === 'rejected' ? s.reason : null,
      merged: s.status === 'merged' ? s.mergedInto : null,
      at: input.at
    }).changes
    if (changed === 0) throw Errors.questionDecidedMeanwhile()
    const steps = [step(mustGet(input.messageId), input.at, null)]
    if (s.status === 'merged') {
      const source = mustGet(input.messageId)
      sql.moveVotes.run(s.mergedInto, input.messageId)
      if (source.askerId !== null) sql.addVote.run(s.mergedInto, source.askerId, input.at)
      const target = mustGet(s.mergedInto)
      // the target's asker does not vote for their own question
      if (target.askerId !== null) sql.removeVote.run(s.mergedInto, target.askerId)
      sql.countVotes.get(s.mergedInto, s.mergedInto)
      steps.push(step(mustGet(s.mergedInto), input.at, null))
    }
    return steps
  })

  const erase = db.transaction((userId: number, at: number): number[] => {
    const ids = sql.userMessages.all(userId, userId)
    const name = sql.nameOf.get(userId)
    if (name !== undefined && name !== '') {
      const inJson = `"${JSON.stringify(name).slice(1, -1)}"`
      sql.eraseAudit.run(inJson, inJson)
    }
    sql.eraseAsked.run(userId)
    sql.eraseSteps.run(userId)
    sql.eraseReplies.run(at, userId)
    sql.eraseMessages.run(at, userId)
    sql.eraseParticipant.run(`erased:${userId}`, at, userId)
    // an open answer is their words too; a choice is kept (the counts stay right), nameless
    sql.erasePollTexts.run(userId)
    return ids
  })

  // Everything of the old sessions, children first; links from later sessions into them are cut.
  // The end event replays the mark; the message carries it into the history (and a reload).
  const markEdited = db.transaction((seq: number): void => {
    sql.markEdited.run(seq)
    sql.markMessageEdited.run(seq)
  })

  const purge = db.transaction((before: number): { sessions: number, messages: number } => {
    // The activity log names participants too: it is kept no longer than the lessons.
    sql.purgeAudit.run(before)
    const sessions = sql.oldSessions.all(before)
    if (sessions.length === 0) return { sessions: 0, messages: 0 }
    const list = sessions.join(',')
    const old = `SELECT id FROM messages WHERE session_id IN (${list})`
    db.exec(`
      DELETE FROM question_votes WHERE message_id IN (${old});
      DELETE FROM questions WHERE message_id IN (${old});
      UPDATE questions SET merged_into = NULL WHERE merged_into IN (${old});
      UPDATE questions SET reply_id = NULL WHERE reply_id IN (${old});
      UPDATE messages SET reply_to = NULL WHERE reply_to IN (${old}) AND session_id NOT IN (${list});
      DELETE FROM events WHERE message_id IN (${old});
      DELETE FROM events WHERE type = 'room_cleared' AND CAST(json_extract(data, '$.session_id') AS INTEGER) IN (${list});
      DELETE FROM summaries WHERE session_id IN (${list});
      DELETE FROM events WHERE type = 'poll_update' AND CAST(json_extract(data, '$.poll_id') AS INTEGER) IN (SELECT id FROM polls WHERE session_id IN (${list}));
      DELETE FROM poll_answers WHERE poll_id IN (SELECT id FROM polls WHERE session_id IN (${list}));
      DELETE FROM polls WHERE session_id IN (${list});
    `)
    const messages = db.prepare(`DELETE FROM messages WHERE session_id IN (${list})`).run().changes
    db.exec(`
      DELETE FROM participants WHERE session_id IN (${list}) AND id NOT IN (SELECT user_id FROM messages WHERE user_id IS NOT NULL);
      DELETE FROM sessions WHERE id IN (${list});
    `)
    return { sessions: sessions.length, messages }
  })

  return {
    openQuestion: guard(input => openQuestion.immediate(input)),
    getQuestion: guard(id => { const row = sql.get.get(id); return row === undefined ? null : toQuestion(row) }),
    listQuestions: guard(scope => (scope === 'all' ? sql.listAll : sql.listCurrent).all().map(toQuestion)),
    vote: guard(input => vote.immediate(input)),
    decide: guard(input => decide.immediate(input)),
    setReply: guard((messageId, replyId) => { sql.setReply.run(replyId, messageId) }),
    pendingCount: guard(userId => (userId === null ? sql.pendingRoom.get() : sql.pendingOf.get(userId)) ?? 0),
    listSessions: guard(() => sql.sessions.all().map(r => ({ id: r.id, startedAt: r.started_at, summary: r.content, summaryAt: r.at }))),
    setSummary: guard((sessionId, content, at) => { sql.setSummary.run(sessionId, content, at) }),
    erasedMessageIds: guard(() => sql.erased.all()),
    votedBy: guard(userId => sql.votedBy.all(userId)),
    eraseParticipant: guard((userId, at) => erase.immediate(userId, at)),
    purgeSessionsBefore: guard(before => purge.immediate(before)),
    markEditedByHost: guard(seq => { markEdited.immediate(seq) })
  }
}

function toState (row: { status: Question['state']['status'], asked: string | null, is_edited: number, reason: string | null, merged_into: number | null }, original: string): QuestionState {
  switch (row.status) {
    case 'pending': return { status: 'pending' }
    case 'approved': return { status: 'approved', content: row.asked ?? original, isEdited: row.is_edited !== 0 }
    case 'rejected': return { status: 'rejected', reason: row.reason }
    case 'merged': return { status: 'merged', mergedInto: row.merged_into ?? 0 }
  }
}

function toQuestion (row: QuestionRow): Question {
  return {
    messageId: row.message_id,
    askerId: row.user_id,
    asker: row.username,
    content: row.content,
    createdAt: row.created_at,
    state: toState(row, row.content),
    votes: row.votes,
    decidedAt: row.decided_at,
    replyId: row.reply_id
  }
}

function toStep (q: Question, waiting: number, vote: { userId: number, isUp: boolean } | null): QuestionStep {
  const s = q.state
  const d: QuestionStep = { status: s.status, votes: q.votes, waiting }
  if (s.status === 'rejected' && s.reason !== null) d.reason = s.reason
  if (s.status === 'approved' && s.isEdited) d.asked = s.content
  if (s.status === 'merged') d.mergedInto = s.mergedInto
  if (vote !== null) { d.voterId = vote.userId; d.isUp = vote.isUp }
  return d
}
