/**
 * The fan-out engine. Every frame is serialised once; frames queued during one event-loop turn are
 * written at the end of the turn (setImmediate) as ONE write per socket, of a buffer shared by all
 * sockets. Deltas of one AI answer queued in the same turn are coalesced into one chunk frame.
 * A socket whose unsent bytes pass a limit is dropped (it resumes with since=); no per-socket timers.
 *
 * The write of one flush costs about the same per socket whatever it carries (on loopback ~10 µs of
 * syscall per socket), so a flush to N sockets takes O(N). After a flush that took d ms the next one
 * waits until `d * flushGapFactor` ms have passed: small rooms still flush every turn (d is tiny),
 * large rooms get fewer, fuller flushes (deltas coalesce) and the host keeps CPU for everything else.
 */
import type { Socket } from 'node:net'
import type { WebSocket } from 'ws'
import type { PresenceUser, ServerFrame } from '../protocol/index.js'
import { encodeJsonFrame } from './ws-frame.js'

export interface HubConnection {
  readonly id: number
  readonly userId: number
  readonly address: string
  readonly ws: WebSocket
  readonly socket: Socket
  isAlive: boolean
  isClosed: boolean
  /** outbox index from which this connection receives this turn's entries */
  from: number
}

interface OutboxEntry {
  buf: Buffer
  /** only this connection gets it */
  target?: HubConnection
  /** connections of this user get `variantBuf` instead */
  variantUser?: number
  variantBuf?: Buffer
}

interface PendingChunk {
  replyTo: number
  conversationId: string
  text: string
}

export interface HubStats {
  framesBroadcast: number
  bytesWritten: number
  writes: number
  deltasIn: number
  chunksOut: number
  slowConsumersDropped: number
  flushes: number
  /** the current smallest gap between two flushes */
  flushIntervalMs: number
}

export interface HubOptions {
  maxBufferedBytes: number
  /** presence batching window while the room is small / large */
  presenceDelayMs?: (online: number) => number
  /**
   * Above this many people online, presence frames carry only the count and `changes_omitted`
   * (every join listed to everyone would cost O(N²) bytes); clients read the list from GET /api/users.
   */
  presenceListMax?: number
  onSlowConsumer?: (conn: HubConnection) => void
  /** idle time after a flush, as a multiple of that flush's duration (default 1: at most half the time flushing) */
  flushGapFactor?: number
  /** observer: one call per flush with its duration and the sockets written */
  onFlush?: (ms: number, writes: number) => void
}

export interface Hub {
  readonly size: number
  readonly stats: HubStats
  /** Registers a connection; returns true when it is the user's first (they came online). */
  add (conn: HubConnection): boolean
  /** Unregisters; returns true when it was the user's last connection (they went offline). */
  remove (conn: HubConnection): boolean
  isOnline (userId: number): boolean
  onlineCount (): number
  connectionsOf (userId: number): ReadonlySet<HubConnection> | undefined
  /** To everyone; the user `variant.userId`'s connections get `variant.frame` instead. */
  broadcast (frame: ServerFrame, variant?: { userId: number, frame: ServerFrame }): void
  sendTo (conn: HubConnection, frame: ServerFrame): void
  /** A delta of AI reply `id`, coalesced with others of the same turn. */
  appendDelta (id: number, replyTo: number, conversationId: string, text: string): void
  /** Text queued for reply `id` in this turn and not yet in a frame. */
  pendingDelta (id: number): string
  presenceJoined (user: PresenceUser): void
  presenceLeft (userId: number): void
  /** Writes everything queued now (tests, shutdown). */
  flush (): void
  forEach (fn: (conn: HubConnection) => void): void
  close (): void
}

/** Creates the room's fan-out hub. */
export function createHub (options: HubOptions): Hub {
  const conns = new Set<HubConnection>()
  const byUser = new Map<number, Set<HubConnection>>()
  let outbox: OutboxEntry[] = []
  const special = new Set<HubConnection>()
  const chunks = new Map<number, PendingChunk>()
  let isScheduled = false
  let nextFlushAt = 0
  const gapFactor = options.flushGapFactor ?? 1
  const presenceJoins = new Map<number, PresenceUser>()
  const presenceLefts = new Set<number>()
  let presenceTimer: NodeJS.Timeout | null = null
  const presenceDelay = options.presenceDelayMs ?? ((online: number) => online < 200 ? 30 : online < 1000 ? 500 : 1000)
  const presenceListMax = options.presenceListMax ?? 300
  const stats: HubStats = { framesBroadcast: 0, bytesWritten: 0, writes: 0, deltasIn: 0, chunksOut: 0, slowConsumersDropped: 0, flushes: 0, flushIntervalMs: 0 }

  function schedule (): void {
    if (isScheduled) return
    isScheduled = true
    const wait = nextFlushAt - performance.now()
    if (wait >= 1) setTimeout(flush, wait)
    else setImmediate(flush)
  }

  function materializeChunks (): void {
    if (chunks.size === 0) return
    const now = Date.now()
    for (const [id, c] of chunks) {
      outbox.push({ buf: encodeJsonFrame({ type: 'ai_message_chunk', id, reply_to: c.replyTo, content: c.text, conversation_id: c.conversationId, timestamp: now }) })
      stats.chunksOut++
    }
    chunks.clear()
  }

  function write (conn: HubConnection, buf: Buffer): void {
    if (conn.isClosed || conn.socket.destroyed) return
    if (conn.socket.writableLength > options.maxBufferedBytes) {
      stats.slowConsumersDropped++
      conn.isClosed = true
      options.onSlowConsumer?.(conn)
      conn.ws.terminate()
      return
    }
    conn.socket.write(buf)
    stats.writes++
    stats.bytesWritten += buf.length
  }

  function flush (): void {
    isScheduled = false
    materializeChunks()
    if (outbox.length === 0) return
    stats.flushes++
    const startedAt = performance.now()
    const writesBefore = stats.writes
    const entries = outbox
    outbox = []
    const sharedParts: Buffer[] = []
    for (const e of entries) if (e.target === undefined) sharedParts.push(e.buf)
    const shared = sharedParts.length === 1 ? sharedParts[0]! : Buffer.concat(sharedParts)
    // Only targeted frames (hellos, replays, errors): visit just their connections.
    for (const conn of shared.length === 0 ? special : conns) {
      if (special.has(conn)) {
        const parts: Buffer[] = []
        for (let i = conn.from; i < entries.length; i++) {
          const e = entries[i]!
          if (e.target !== undefined && e.target !== conn) continue
          parts.push(e.variantUser === conn.userId && e.variantBuf !== undefined ? e.variantBuf : e.buf)
        }
        conn.from = 0
        if (parts.length > 0) write(conn, parts.length === 1 ? parts[0]! : Buffer.concat(parts))
      } else if (shared.length > 0) {
        write(conn, shared)
      }
    }
    special.clear()
    const took = performance.now() - startedAt
    nextFlushAt = startedAt + took * (1 + gapFactor)
    stats.flushIntervalMs = took * (1 + gapFactor)
    options.onFlush?.(took, stats.writes - writesBefore)
  }

  function flushPresence (): void {
    presenceTimer = null
    if (presenceJoins.size === 0 && presenceLefts.size === 0) return
    const changes = presenceJoins.size + presenceLefts.size
    const frame: ServerFrame = byUser.size > presenceListMax
      ? { type: 'presence', joined: [], left: [], online_count: byUser.size, changes_omitted: changes }
      : { type: 'presence', joined: [...presenceJoins.values()], left: [...presenceLefts], online_count: byUser.size }
    presenceJoins.clear()
    presenceLefts.clear()
    hub.broadcast(frame)
  }

  function schedulePresence (): void {
    presenceTimer ??= setTimeout(flushPresence, presenceDelay(byUser.size))
  }

  const hub: Hub = {
    get size () { return conns.size },
    stats,
    add (conn) {
      materializeChunks()
      conn.from = outbox.length
      special.add(conn)
      conns.add(conn)
      let set = byUser.get(conn.userId)
      const isFirst = set === undefined
      if (set === undefined) { set = new Set(); byUser.set(conn.userId, set) }
      set.add(conn)
      return isFirst
    },
    remove (conn) {
      conn.isClosed = true
      if (!conns.delete(conn)) return false
      special.delete(conn)
      const set = byUser.get(conn.userId)
      if (set === undefined) return false
      set.delete(conn)
      if (set.size > 0) return false
      byUser.delete(conn.userId)
      return true
    },
    isOnline: (userId) => byUser.has(userId),
    onlineCount: () => byUser.size,
    connectionsOf: (userId) => byUser.get(userId),
    broadcast (frame, variant) {
      materializeChunks()
      stats.framesBroadcast++
      const entry: OutboxEntry = { buf: encodeJsonFrame(frame) }
      if (variant !== undefined) {
        entry.variantUser = variant.userId
        entry.variantBuf = encodeJsonFrame(variant.frame)
        const set = byUser.get(variant.userId)
        if (set !== undefined) for (const c of set) special.add(c)
      }
      outbox.push(entry)
      schedule()
    },
    sendTo (conn, frame) {
      materializeChunks()
      outbox.push({ buf: encodeJsonFrame(frame), target: conn })
      special.add(conn)
      schedule()
    },
    appendDelta (id, replyTo, conversationId, text) {
      stats.deltasIn++
      const c = chunks.get(id)
      if (c === undefined) chunks.set(id, { replyTo, conversationId, text })
      else { c.text += text; c.conversationId = conversationId }
      schedule()
    },
    pendingDelta: (id) => chunks.get(id)?.text ?? '',
    presenceJoined (user) {
      if (presenceLefts.delete(user.user_id)) return
      presenceJoins.set(user.user_id, user)
      schedulePresence()
    },
    presenceLeft (userId) {
      if (presenceJoins.delete(userId)) return
      presenceLefts.add(userId)
      schedulePresence()
    },
    flush,
    forEach (fn) { for (const c of conns) fn(c) },
    close () {
      if (presenceTimer !== null) clearTimeout(presenceTimer)
      presenceTimer = null
      flush()
    }
  }
  return hub
}
