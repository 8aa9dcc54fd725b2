/**
 * FeedbackStore on better-sqlite3: the `feedback` table of the room's database, one row per
 * participant and answer. It shares the chat store's connection and does not own it.
 */
import type { Database } from 'better-sqlite3'
import type { FeedbackStore } from '../ports.js'
import { guard } from './sqlite-database.js'

interface CountsRow { message_id: number, helpful: number, confused: number }

export function createSqliteFeedbackStore (db: Database): FeedbackStore {
  const sql = {
    upsert: db.prepare<[number, number, string, number]>(`INSERT INTO feedback (message_id, user_id, rating, at) VALUES (?, ?, ?, ?)
      ON CONFLICT (message_id, user_id) DO UPDATE SET rating = excluded.rating, at = excluded.at`),
    remove: db.prepare<[number, number]>('DELETE FROM feedback WHERE message_id = ? AND user_id = ?'),
    counts: db.prepare<[number], Omit<CountsRow, 'message_id'>>(`SELECT COALESCE(SUM(rating = 'helpful'), 0) AS helpful,
      COALESCE(SUM(rating = 'confused'), 0) AS confused FROM feedback WHERE message_id = ?`),
    bySession: db.prepare<[number], CountsRow>(`SELECT f.message_id, SUM(f.rating = 'helpful') AS helpful, SUM(f.rating = 'confused') AS confused
      FROM feedback f JOIN messages m ON m.id = f.message_id WHERE m.session_id = ?
      GROUP BY f.message_id ORDER BY confused DESC, helpful ASC, f.message_id`),
    mine: db.prepare<[number, string], { message_id: number, rating: 'helpful' | 'confused' }>(
      'SELECT message_id, rating FROM feedback WHERE user_id = ? AND message_id IN (SELECT value FROM json_each(?))')
  }
  const rate = db.transaction((input: Parameters<FeedbackStore['rate']>[0]) => {
    if (input.rating === null) sql.remove.run(input.messageId, input.userId)
    else sql.upsert.run(input.messageId, input.userId, input.rating, input.at)
    const row = sql.counts.get(input.messageId)
    return { helpful: row?.helpful ?? 0, confused: row?.confused ?? 0 }
  })
  return {
    rate: guard(input => rate.immediate(input)),
    bySession: guard(sessionId => sql.bySession.all(sessionId).map(r => ({ messageId: r.message_id, helpful: r.helpful, confused: r.confused }))),
    ratingsOf: guard((userId, messageIds) => {
      const out = new Map<number, 'helpful' | 'confused'>()
      if (messageIds.length === 0) return out
      for (const r of sql.mine.all(userId, JSON.stringify(messageIds))) out.set(r.message_id, r.rating)
      return out
    })
  }
}
