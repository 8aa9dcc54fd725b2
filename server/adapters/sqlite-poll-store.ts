/**
 * PollStore on better-sqlite3: polls and answers in their own tables, each change of a poll
 * appended to the room's log as a `poll_update` event (message_id NULL) whose `data` is the poll and
 * its counts then. Counts are read from the answers when asked: one indexed range per poll, cheap
 * at classroom sizes, and never out of step with what was stored.
 * @see https://github.com/WiseLibs/better-sqlite3/blob/master/docs/api.md
 */
import type { Database } from 'better-sqlite3'
import type { PollAnswer, PollAnswerInput, PollKind, PollRecord, PollStep, PollStore, PollTally, RoomEvent } from '../ports.js'
import { Errors } from '../errors.js'
import { guard } from './sqlite-database.js'

interface PollRow {
  id: number
  session_id: number
  question: string
  kind: PollKind
  options: string
  correct: string
  status: 'open' | 'closed'
  show_results: number
  created_at: number
  closed_at: number | null
}

interface AnswerRow { poll_id: number, user_id: number, username: string | null, choice: string | null, text: string | null, at: number }

/** The poll store over the room's open, migrated database (the chat store owns and closes it). */
export function createSqlitePollStore (db: Database): PollStore {
  const sql = {
    insert: db.prepare<[string, string, string, string, number], { id: number }>(`INSERT INTO polls (session_id, question, kind, options, correct, status, show_results, created_at)
      VALUES ((SELECT MAX(id) FROM sessions), ?, ?, ?, ?, 'open', 0, ?) RETURNING id`),
    get: db.prepare<[number], PollRow>('SELECT * FROM polls WHERE id = ?'),
    listCurrent: db.prepare<[], PollRow>('SELECT * FROM polls WHERE session_id = (SELECT MAX(id) FROM sessions) ORDER BY id'),
    listAll: db.prepare<[], PollRow>('SELECT * FROM polls ORDER BY id'),
    upsert: db.prepare<[number, number, string | null, string | null, number]>(`INSERT INTO poll_answers (poll_id, user_id, choice, text, at) VALUES (?, ?, ?, ?, ?)
      ON CONFLICT (poll_id, user_id) DO UPDATE SET choice = excluded.choice, text = excluded.text, at = excluded.at`),
    choices: db.prepare<[number], string | null>('SELECT choice FROM poll_answers WHERE poll_id = ?').pluck(),
    answers: db.prepare<[number], AnswerRow>(`SELECT a.*, p.username FROM poll_answers a LEFT JOIN participants p ON p.id = a.user_id
      WHERE a.poll_id = ? ORDER BY a.at, a.user_id`),
    answersOf: db.prepare<[number], AnswerRow>('SELECT a.*, NULL AS username FROM poll_answers a WHERE a.user_id = ?'),
    setShow: db.prepare<[number, number, number]>('UPDATE polls SET show_results = ? WHERE id = ? AND show_results != ?'),
    close: db.prepare<[number, number]>("UPDATE polls SET status = 'closed', closed_at = ? WHERE id = ? AND status = 'open'"),
    insertEvent: db.prepare<[number, string]>("INSERT INTO events (type, message_id, at, data) VALUES ('poll_update', NULL, ?, ?)")
  }

  function mustGet (id: number): PollRecord {
    const row = sql.get.get(id)
    if (row === undefined) throw Errors.storageRowMissing('poll')
    return toPoll(row)
  }

  function tally (poll: PollRecord): PollTally {
    const rows = sql.choices.all(poll.id)
    const counts = poll.kind === 'open' ? [] : poll.options.map(() => 0)
    for (const raw of rows) {
      if (raw === null) continue
      for (const i of JSON.parse(raw) as number[]) if (i >= 0 && i < counts.length) counts[i]!++
    }
    return { counts, total: rows.length }
  }

  /** Appends the event for a poll as it is now. */
  function step (poll: PollRecord, at: number): { poll: PollRecord, step: PollStep, event: RoomEvent } {
    const t = tally(poll)
    const data: PollStep = { poll_id: poll.id, status: poll.status, kind: poll.kind, question: poll.question, options: poll.options, show_results: poll.showResults, counts: t.counts, total: t.total }
    const seq = Number(sql.insertEvent.run(at, JSON.stringify(data)).lastInsertRowid)
    return { poll, step: data, event: { seq, type: 'poll_update', messageId: 0, at, data: { ...data } } }
  }

  const create = db.transaction((input: Parameters<PollStore['createPoll']>[0]) => {
    const row = sql.insert.get(input.question, input.kind, JSON.stringify(input.options), JSON.stringify(input.correct), input.at)
    if (row === undefined) throw Errors.storageRowMissing('poll')
    return step(mustGet(row.id), input.at)
  })

  const setShow = db.transaction((input: { id: number, showResults: boolean, at: number }) => {
    const flag = input.showResults ? 1 : 0
    if (sql.setShow.run(flag, input.id, flag).changes === 0) return null
    return step(mustGet(input.id), input.at)
  })

  const close = db.transaction((input: { id: number, at: number }) => {
    if (sql.close.run(input.at, input.id).changes === 0) return null
    return step(mustGet(input.id), input.at)
  })

  function write (input: PollAnswerInput): void {
    sql.upsert.run(input.pollId, input.userId, input.choice === null ? null : JSON.stringify(input.choice), input.text, input.at)
  }

  // Each answer's admission is a savepoint inside the one transaction: a refusal undoes only its own writes.
  const many = db.transaction((inputs: readonly PollAnswerInput[], admit: (input: PollAnswerInput) => void, refused: (input: PollAnswerInput, err: unknown) => void) => {
    for (const input of inputs) {
      try {
        admit(input)
      } catch (err) {
        refused(input, err)
        continue
      }
      write(input)
    }
  })

  return {
    createPoll: guard(input => create.immediate(input)),
    getPoll: guard(id => { const row = sql.get.get(id); return row === undefined ? null : toPoll(row) }),
    listPolls: guard(scope => (scope === 'all' ? sql.listAll : sql.listCurrent).all().map(toPoll)),
    answer: guard(write),
    answerMany: guard((inputs, admit, refused) => { many.immediate(inputs, admit, refused) }),
    tally: guard(pollId => { const row = sql.get.get(pollId); return row === undefined ? { counts: [], total: 0 } : tally(toPoll(row)) }),
    answers: guard(pollId => sql.answers.all(pollId).map(toAnswer)),
    answersOf: guard(userId => new Map(sql.answersOf.all(userId).map(r => [r.poll_id, toAnswer(r)]))),
    setShowResults: guard(input => setShow.immediate(input)),
    closePoll: guard(input => close.immediate(input))
  }
}

function toPoll (row: PollRow): PollRecord {
  return {
    id: row.id,
    sessionId: row.session_id,
    question: row.question,
    kind: row.kind,
    options: JSON.parse(row.options) as string[],
    correct: JSON.parse(row.correct) as number[],
    status: row.status,
    showResults: row.show_results !== 0,
    createdAt: row.created_at,
    closedAt: row.closed_at
  }
}

function toAnswer (row: AnswerRow): PollAnswer {
  return {
    pollId: row.poll_id,
    userId: row.user_id,
    username: row.username ?? '',
    choice: row.choice === null ? null : JSON.parse(row.choice) as number[],
    text: row.text,
    at: row.at
  }
}
