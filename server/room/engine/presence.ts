/**
 * Presence batching: joins and leaves within a short window become one `presence` frame of changes
 * (a join and a leave of the same person in one window cancel out). Large rooms wait longer and,
 * above `listMax` people online, send only the count: every join listed to everyone would cost
 * O(N²) bytes; clients read the list from GET /api/users.
 */
import type { PresenceFrame, PresenceUser, ServerFrame } from '../../protocol/index.js'

export interface PresenceOptions {
  /** batching window for this many people online */
  delayMs?: (online: number) => number
  listMax?: number
  onlineCount: () => number
  emit: (frame: ServerFrame) => void
}

export interface PresenceBatcher {
  joined (user: PresenceUser): void
  left (userId: number): void
  /** Sends the batch now (if any). */
  flush (): void
  close (): void
}

/** Default window: 30 ms in a class, up to 1 s in a hall. */
export function defaultPresenceDelay (online: number): number {
  return online < 200 ? 30 : online < 1000 ? 500 : 1000
}

/** The frame for one batch. */
export function presenceFrame (joins: Iterable<PresenceUser>, lefts: Iterable<number>, online: number, listMax: number): ServerFrame {
  const joined = [...joins]
  const left = [...lefts]
  return online > listMax
    ? { type: 'presence', joined: [], left: [], online_count: online, changes_omitted: joined.length + left.length }
    : { type: 'presence', joined, left, online_count: online }
}

/** The same batch without names: the count, and how many changes were left out. */
export function countOnly (frame: PresenceFrame): PresenceFrame {
  const changes = frame.joined.length + frame.left.length + (frame.changes_omitted ?? 0)
  return changes === 0 ? { type: 'presence', joined: [], left: [], online_count: frame.online_count } : { type: 'presence', joined: [], left: [], online_count: frame.online_count, changes_omitted: changes }
}

/** Creates a batcher with one timer. */
export function createPresenceBatcher (o: PresenceOptions): PresenceBatcher {
  const joins = new Map<number, PresenceUser>()
  const lefts = new Set<number>()
  const delay = o.delayMs ?? defaultPresenceDelay
  const listMax = o.listMax ?? 300
  let timer: NodeJS.Timeout | null = null

  function flush (): void {
    if (timer !== null) clearTimeout(timer)
    timer = null
    if (joins.size === 0 && lefts.size === 0) return
    const frame = presenceFrame(joins.values(), lefts, o.onlineCount(), listMax)
    joins.clear()
    lefts.clear()
    o.emit(frame)
  }

  function schedule (): void {
    timer ??= setTimeout(flush, delay(o.onlineCount()))
  }

  return {
    joined (user) {
      if (lefts.delete(user.user_id)) return
      joins.set(user.user_id, user)
      schedule()
    },
    left (userId) {
      if (joins.delete(userId)) return
      lefts.add(userId)
      schedule()
    },
    flush,
    close () {
      if (timer !== null) clearTimeout(timer)
      timer = null
    }
  }
}
