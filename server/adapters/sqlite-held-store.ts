/**
 * HeldMessageStore on better-sqlite3: the `held_messages` table of the room's database. Every
 * message the word list held waits here until the host lets it through or discards it; nothing is
 * trimmed, and a restart keeps them all. It shares the chat store's connection and does not own it.
 */
import type { Database } from 'better-sqlite3'
import type { HeldMessage, HeldMessageStore, NewHeldMessage } from '../ports.js'
import { guard } from './sqlite-database.js'

interface HeldRow {
  id: number
  user_id: number
  username: string
  emoji: string
  content: string
  client_msg_id: string | null
  ask_ai: number
  matched: string
  at: number
  files: string | null
}

/** A HeldMessageStore over an open, migrated database (the caller closes it). */
export function createSqliteHeldStore (db: Database): HeldMessageStore {
  const sql = {
    insert: db.prepare<[number, string, string, string, string | null, number, string, number, string | null]>(
      'INSERT INTO held_messages (user_id, username, emoji, content, client_msg_id, ask_ai, matched, at, files) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)'),
    all: db.prepare<[], HeldRow>('SELECT * FROM held_messages ORDER BY id'),
    get: db.prepare<[number], HeldRow>('SELECT * FROM held_messages WHERE id = ?'),
    byClientId: db.prepare<[number, string], HeldRow>('SELECT * FROM held_messages WHERE user_id = ? AND client_msg_id = ?'),
    remove: db.prepare<[number]>('DELETE FROM held_messages WHERE id = ?'),
    removeUser: db.prepare<[number]>('DELETE FROM held_messages WHERE user_id = ?')
  }

  // A resend (same sender, same client_msg_id) is the same message: it is held once.
  const hold = db.transaction((m: NewHeldMessage): { held: HeldMessage, isNew: boolean } => {
    const existing = m.clientMsgId === null ? undefined : sql.byClientId.get(m.userId, m.clientMsgId)
    if (existing !== undefined) return { held: toHeld(existing), isNew: false }
    const id = Number(sql.insert.run(m.userId, m.username, m.emoji, m.content, m.clientMsgId, m.askAi ? 1 : 0, m.matched, m.at, m.files.length === 0 ? null : JSON.stringify(m.files)).lastInsertRowid)
    return { held: { ...m, id }, isNew: true }
  })
  const take = db.transaction((id: number): HeldMessage | null => {
    const row = sql.get.get(id)
    if (row === undefined) return null
    sql.remove.run(id)
    return toHeld(row)
  })

  return {
    hold: guard((m: NewHeldMessage) => hold.immediate(m)),
    list: guard(() => sql.all.all().map(toHeld)),
    take: guard((id: number) => take.immediate(id)),
    forgetUser: guard((userId: number) => sql.removeUser.run(userId).changes)
  }
}

function toHeld (row: HeldRow): HeldMessage {
  return {
    id: row.id,
    userId: row.user_id,
    username: row.username,
    emoji: row.emoji,
    content: row.content,
    clientMsgId: row.client_msg_id,
    askAi: row.ask_ai !== 0,
    matched: row.matched,
    at: row.at,
    files: row.files === null || row.files === undefined ? [] : JSON.parse(row.files) as string[]
  }
}
