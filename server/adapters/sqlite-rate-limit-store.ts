/**
 * RateLimitStore on better-sqlite3: the `rate_limits` table of the room's database, so limits
 * survive a restart and cost no memory per client. It shares the chat store's connection and does
 * not own it. @see https://github.com/WiseLibs/better-sqlite3/blob/master/docs/api.md
 */
import type { Database } from 'better-sqlite3'
import type { RateLimitStore } from '../ports.js'
import { translateSqliteError } from './sqlite-database.js'

/** A RateLimitStore over an open, migrated database (the caller closes it). */
export function createSqliteRateLimitStore (db: Database): RateLimitStore {
  const sql = {
    get: db.prepare<[string], number>('SELECT tat FROM rate_limits WHERE key = ?').pluck(),
    put: db.prepare<[string, number]>('INSERT INTO rate_limits (key, tat) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET tat = excluded.tat'),
    purge: db.prepare<[number]>('DELETE FROM rate_limits WHERE tat <= ?'),
    count: db.prepare<[], number>('SELECT COUNT(*) FROM rate_limits').pluck()
  }

  const update = db.transaction((keys: readonly string[], decide: (tats: ReadonlyMap<string, number>) => { writes: ReadonlyMap<string, number>, result: unknown }) => {
    const tats = new Map<string, number>()
    for (const key of keys) {
      const tat = sql.get.get(key)
      if (tat !== undefined) tats.set(key, tat)
    }
    const { writes, result } = decide(tats)
    for (const [key, tat] of writes) sql.put.run(key, tat)
    return result
  })

  return {
    update<T> (keys: readonly string[], decide: (tats: ReadonlyMap<string, number>) => { writes: ReadonlyMap<string, number>, result: T }): T {
      try {
        return update.immediate(keys, decide) as T
      } catch (err) {
        throw translateSqliteError(err)
      }
    },
    purge (now) {
      try {
        return sql.purge.run(now).changes
      } catch (err) {
        throw translateSqliteError(err)
      }
    },
    size () {
      try {
        return sql.count.get() ?? 0
      } catch (err) {
        throw translateSqliteError(err)
      }
    }
  }
}
