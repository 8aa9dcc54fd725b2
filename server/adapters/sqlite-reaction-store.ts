/**
 * ReactionStore on better-sqlite3: the `reactions` table of the room's database, one row per
 * participant, message and emoji. It shares the chat store's connection and does not own it.
 */
import type { Database } from 'better-sqlite3'
import type { ReactionStore } from '../ports.js'
import { guard } from './sqlite-database.js'

export function createSqliteReactionStore (db: Database): ReactionStore {
  const sql = {
    add: db.prepare<[number, number, string, number]>('INSERT OR IGNORE INTO reactions (message_id, user_id, emoji, at) VALUES (?, ?, ?, ?)'),
    remove: db.prepare<[number, number, string]>('DELETE FROM reactions WHERE message_id = ? AND user_id = ? AND emoji = ?'),
    counts: db.prepare<[number], { emoji: string, n: number }>('SELECT emoji, COUNT(*) AS n FROM reactions WHERE message_id = ? GROUP BY emoji'),
    countsOf: db.prepare<[string], { message_id: number, emoji: string, n: number }>(
      'SELECT message_id, emoji, COUNT(*) AS n FROM reactions WHERE message_id IN (SELECT value FROM json_each(?)) GROUP BY message_id, emoji'),
    mine: db.prepare<[number, string], { message_id: number, emoji: string }>(
      'SELECT message_id, emoji FROM reactions WHERE user_id = ? AND message_id IN (SELECT value FROM json_each(?)) ORDER BY at')
  }
  const react = db.transaction((input: Parameters<ReactionStore['react']>[0]) => {
    if (input.on) sql.add.run(input.messageId, input.userId, input.emoji, input.at)
    else sql.remove.run(input.messageId, input.userId, input.emoji)
    return Object.fromEntries(sql.counts.all(input.messageId).map(r => [r.emoji, r.n]))
  })
  return {
    react: guard(input => react.immediate(input)),
    countsOf: guard(messageIds => {
      const out = new Map<number, Record<string, number>>()
      if (messageIds.length === 0) return out
      for (const r of sql.countsOf.all(JSON.stringify(messageIds))) {
        const counts = out.get(r.message_id) ?? {}
        counts[r.emoji] = r.n
        out.set(r.message_id, counts)
      }
      return out
    }),
    mineOf: guard((userId, messageIds) => {
      const out = new Map<number, string[]>()
      if (messageIds.length === 0) return out
      for (const r of sql.mine.all(userId, JSON.stringify(messageIds))) out.set(r.message_id, [...(out.get(r.message_id) ?? []), r.emoji])
      return out
    })
  }
}
