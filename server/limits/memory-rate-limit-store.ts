/**
 * A RateLimitStore in memory, for apps built without the SQLite one (state is lost on restart).
 * Bounded like the SQLite table: full buckets are purged, so it holds only active ones.
 */
import type { RateLimitStore } from '../ports.js'

/** Creates an in-memory RateLimitStore. */
export function createMemoryRateLimitStore (): RateLimitStore {
  const tats = new Map<string, number>()
  return {
    update (keys, decide) {
      const current = new Map<string, number>()
      for (const key of keys) {
        const tat = tats.get(key)
        if (tat !== undefined) current.set(key, tat)
      }
      const { writes, result } = decide(current)
      for (const [key, tat] of writes) tats.set(key, tat)
      return result
    },
    purge (now) {
      let n = 0
      for (const [key, tat] of tats) if (tat <= now) { tats.delete(key); n++ }
      return n
    },
    size: () => tats.size
  }
}
