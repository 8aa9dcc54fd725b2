/**
 * The fan-out engine. Every frame is serialised once into a WebSocket frame and appended to a log;
 * sockets are written in groups (`flushGroupSize`), one group per paced step, round-robin: each
 * step writes to every socket of the group, in ONE write, all the frames it has not had yet (a
 * buffer shared by the whole group). Runs of AI delta frames are merged per answer, so a socket gets
 * one chunk frame per answer per write. A socket whose unsent bytes pass a limit is dropped (it
 * resumes with since=); no per-socket timers.
 *
 * Pacing: a write costs about the same per socket whatever it carries (on loopback ~10 µs of
 * syscall), so after a step that took d ms the next waits `d * flushGapFactor` ms. Small rooms are
 * one group and still flush every turn; in large rooms every group gets the newest frames at its
 * turn instead of all waiting behind one long flush, and the host keeps CPU for everything else.
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
  /** log index from which this connection receives (set by the hub when it joins) */
  from: number
}

interface OutboxEntry {
  buf: Buffer
  /** an AI delta frame: consecutive ones are merged per answer when a group is written */
  chunk?: { id: number } & PendingChunk
  /** only this connection gets it */
  target?: HubConnection
  /** connections of this user get `variantBuf` instead */
  variantUser?: number
  variantBuf?: Buffer
}

interface Group {
  conns: Set<HubConnection>
  /** global log index up to which this group has been written */
  next: number
  /** connections of this group in `special` */
  specialCount: number
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
  /** idle time after a flush step, as a multiple of its duration (default 0.5: at most two thirds of the time writing) */
  flushGapFactor?: number
  /**
   * Sockets are written in groups of this many, one group per paced step, round-robin: every group
   * gets the newest frames at its turn instead of all waiting for one long flush (default 500).
   */
  flushGroupSize?: number
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

function encodeChunk (id: number, c: PendingChunk, now: number): Buffer {
  return encodeJsonFrame({ type: 'ai_message_chunk', id, reply_to: c.replyTo, content: c.text, conversation_id: c.conversationId, timestamp: now })
}

/** Creates the room's fan-out hub. */
export function createHub (options: HubOptions): Hub {
  const conns = new Set<HubConnection>()
  const byUser = new Map<number, Set<HubConnection>>()
  // The log of frames not yet written to every group; log[i] has the global index base + i.
  let log: OutboxEntry[] = []
  let base = 0
  const groups: Group[] = []
  const groupOf = new Map<HubConnection, Group>()
  let turn = 0
  const special = new Set<HubConnection>()
  const chunks = new Map<number, PendingChunk>()
  let isScheduled = false
  let nextFlushAt = 0
  const gapFactor = options.flushGapFactor ?? 0.5
  const groupSize = options.flushGroupSize ?? 500
  const presenceJoins = new Map<number, PresenceUser>()
  const presenceLefts = new Set<number>()
  let presenceTimer: NodeJS.Timeout | null = null
  const presenceDelay = options.presenceDelayMs ?? ((online: number) => online < 200 ? 30 : online < 1000 ? 500 : 1000)
  const presenceListMax = options.presenceListMax ?? 300
  const stats: HubStats = { framesBroadcast: 0, bytesWritten: 0, writes: 0, deltasIn: 0, chunksOut: 0, slowConsumersDropped: 0, flushes: 0, flushIntervalMs: 0 }

  const end = (): number => base + log.length
  const hasWork = (g: Group): boolean => g.next < end() || g.specialCount > 0 || chunks.size > 0

  function schedule (): void {
    if (isScheduled) return
    isScheduled = true
    const wait = nextFlushAt - performance.now()
    if (wait >= 1) setTimeout(tick, wait)
    else setImmediate(tick)
  }

  function push (entry: OutboxEntry): void {
    log.push(entry)
    schedule()
  }

  function markSpecial (conn: HubConnection): void {
    if (special.has(conn)) return
    const g = groupOf.get(conn)
    if (g === undefined) return
    special.add(conn)
    g.specialCount++
  }

  function materializeChunks (): void {
    if (chunks.size === 0) return
    const now = Date.now()
    for (const [id, c] of chunks) {
      log.push({ buf: encodeChunk(id, c, now), chunk: { id, ...c } })
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

  /** Writes to one group everything it has not had yet: one write per socket. */
  function flushGroup (g: Group): void {
    const from = g.next
    const to = end()
    const sharedParts = mergedParts(from, to)
    const shared = sharedParts.length === 1 ? sharedParts[0]! : Buffer.concat(sharedParts)
    // A group with only targeted frames (hellos, replays, errors) visits just those connections.
    const visit = shared.length === 0 ? [...special].filter(c => groupOf.get(c) === g) : g.conns
    for (const conn of visit) {
      if (special.has(conn)) {
        const parts: Buffer[] = []
        for (let i = Math.max(from, conn.from); i < to; i++) {
          const e = log[i - base]!
          if (e.target !== undefined && e.target !== conn) continue
          parts.push(e.variantUser === conn.userId && e.variantBuf !== undefined ? e.variantBuf : e.buf)
        }
        special.delete(conn)
        conn.from = 0
        if (parts.length > 0) write(conn, parts.length === 1 ? parts[0]! : Buffer.concat(parts))
      } else if (shared.length > 0) {
        write(conn, shared)
      }
    }
    g.specialCount = 0
    g.next = to
  }

  /**
   * The broadcast frames of log[from, to), with each run of consecutive AI delta frames merged into
   * one frame per answer: a group written later in a cycle gets as few frames as one written first.
   */
  function mergedParts (from: number, to: number): Buffer[] {
    const parts: Buffer[] = []
    let run: Array<OutboxEntry & { chunk: NonNullable<OutboxEntry['chunk']> }> = []
    const endRun = (): void => {
      if (run.length === 0) return
      if (run.length === 1) { parts.push(run[0]!.buf); run = []; return }
      const byReply = new Map<number, { first: OutboxEntry, count: number, merged: PendingChunk }>()
      for (const e of run) {
        const m = byReply.get(e.chunk.id)
        if (m === undefined) byReply.set(e.chunk.id, { first: e, count: 1, merged: { replyTo: e.chunk.replyTo, conversationId: e.chunk.conversationId, text: e.chunk.text } })
        else { m.count++; m.merged.text += e.chunk.text; m.merged.conversationId = e.chunk.conversationId }
      }
      const now = Date.now()
      for (const [id, m] of byReply) parts.push(m.count === 1 ? m.first.buf : encodeChunk(id, m.merged, now))
      run = []
    }
    for (let i = from; i < to; i++) {
      const e = log[i - base]!
      if (e.target !== undefined) continue
      if (e.chunk !== undefined) { run.push(e as OutboxEntry & { chunk: NonNullable<OutboxEntry['chunk']> }); continue }
      endRun()
      parts.push(e.buf)
    }
    endRun()
    return parts
  }

  /** Drops the log entries every group has had. */
  function trim (): void {
    let min = end()
    for (const g of groups) if (g.next < min) min = g.next
    if (min > base) { log = log.slice(min - base); base = min }
  }

  /** One paced step: the next group (round-robin) that has something to receive. */
  function tick (): void {
    isScheduled = false
    if (groups.length === 0) { chunks.clear(); log = []; base = end(); return }
    let g: Group | undefined
    for (let n = 0; n < groups.length; n++) {
      const candidate = groups[(turn + n) % groups.length]!
      if (hasWork(candidate)) { g = candidate; turn = (turn + n + 1) % groups.length; break }
    }
    if (g === undefined) { trim(); return }
    stats.flushes++
    const startedAt = performance.now()
    const writesBefore = stats.writes
    materializeChunks()
    flushGroup(g)
    trim()
    const took = performance.now() - startedAt
    nextFlushAt = startedAt + took * (1 + gapFactor)
    stats.flushIntervalMs = took * (1 + gapFactor)
    options.onFlush?.(took, stats.writes - writesBefore)
    if (groups.some(hasWork)) schedule()
  }

  /** Writes everything queued to everyone now (tests, shutdown). */
  function flush (): void {
    materializeChunks()
    for (const g of groups) flushGroup(g)
    trim()
  }

  function joinGroup (conn: HubConnection): Group {
    let g = groups.find(x => x.conns.size < groupSize)
    if (g === undefined) {
      // A new group starts where the log ends: its sockets are new and get only what comes next.
      g = { conns: new Set(), next: end(), specialCount: 0 }
      groups.push(g)
    }
    g.conns.add(conn)
    groupOf.set(conn, g)
    return g
  }

  function leaveGroup (conn: HubConnection): void {
    const g = groupOf.get(conn)
    if (g === undefined) return
    groupOf.delete(conn)
    g.conns.delete(conn)
    if (special.delete(conn)) g.specialCount--
    if (g.conns.size === 0) {
      const i = groups.indexOf(g)
      groups.splice(i, 1)
      if (turn > i) turn--
      if (turn >= groups.length) turn = 0
      trim()
    }
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
      const g = joinGroup(conn)
      // It receives only what comes after it joined (its hello, replay and snapshots included).
      conn.from = end()
      conns.add(conn)
      special.add(conn)
      g.specialCount++
      schedule()
      let set = byUser.get(conn.userId)
      const isFirst = set === undefined
      if (set === undefined) { set = new Set(); byUser.set(conn.userId, set) }
      set.add(conn)
      return isFirst
    },
    remove (conn) {
      conn.isClosed = true
      if (!conns.delete(conn)) return false
      leaveGroup(conn)
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
        if (set !== undefined) for (const c of set) markSpecial(c)
      }
      push(entry)
    },
    sendTo (conn, frame) {
      materializeChunks()
      markSpecial(conn)
      push({ buf: encodeJsonFrame(frame), target: conn })
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
