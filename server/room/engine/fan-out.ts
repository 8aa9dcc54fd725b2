/**
 * The fan-out engine. Every frame is serialised once into a WebSocket frame and appended to a log;
 * sockets are written in groups (`groupSize`), one group per paced step, round-robin: each step
 * writes to every socket of the group, in ONE write, all the frames it has not had yet (a buffer
 * shared by the whole group). Runs of AI chunk frames are merged per answer, so a socket gets one
 * chunk frame per answer per write. A socket whose unsent bytes pass a limit is handed to
 * `onSlowConsumer`; no per-socket timers.
 *
 * Audiences: an entry reaches everyone, admin sockets only (`isAdminOnly`), or one connection
 * (`target`). Groups hold sockets of one role, so each group still shares one buffer.
 *
 * Pacing: a write costs about the same per socket whatever it carries (on loopback ~10 µs of
 * syscall), so after a step that took d ms the next waits `d * gapFactor` ms. Small rooms are one
 * group and still flush every turn; in large rooms every group gets the newest frames at its turn
 * instead of all waiting behind one long flush, and the host keeps CPU for everything else.
 *
 * Write before you show: every step first calls `beforeWrite` (the hub saves the answers' text and
 * turns pending deltas into entries); when the save fails the step writes nothing and is retried.
 */
import type { Socket } from 'node:net'
import type { WebSocket } from 'ws'
import { mergeChunkRun, type PendingChunk } from './delta-coalescer.js'

export type ConnectionRole = 'participant' | 'admin'

export interface HubConnection {
  readonly id: number
  /** the participant; admin sockets carry 0 */
  readonly userId: number
  /** admin sockets (the host console's live feed) get every frame plus admin-only ones; they are not participants */
  readonly role: ConnectionRole
  readonly address: string
  readonly ws: WebSocket
  readonly socket: Socket
  isAlive: boolean
  /** no more frames are written to it (closing or closed) */
  isClosed: boolean
  /** log index from which this connection receives (set by the hub when it joins) */
  from: number
}

let nextConnectionId = 1

/** A live socket as the hub sees it: participants and the host's console alike. */
export function createConnection (o: { ws: WebSocket, role: ConnectionRole, userId: number, address: string }): HubConnection {
  return {
    id: nextConnectionId++,
    userId: o.userId,
    role: o.role,
    address: o.address,
    ws: o.ws,
    // ws keeps the TCP socket private; the hub writes ready-made frames to it directly.
    socket: (o.ws as unknown as { _socket: Socket })._socket,
    isAlive: true,
    isClosed: false,
    from: 0
  }
}

export interface OutboxEntry {
  buf: Buffer
  /** an AI chunk frame: consecutive ones are merged per answer when a group is written */
  chunk?: PendingChunk
  /** only this connection gets it */
  target?: HubConnection
  /** only admin sockets get it */
  isAdminOnly?: boolean
  /** participant connections of this user get `variantBuf` instead */
  variantUser?: number
  variantBuf?: Buffer
  /** admin sockets get this instead of `buf` (what only the host may see, such as an anonymous author) */
  adminBuf?: Buffer
  /** write-ahead epoch that must be saved before it is written (-1: none) */
  epoch: number
}

export interface FanOutStats {
  bytesWritten: number
  writes: number
  slowConsumersDropped: number
  flushes: number
  /** the current smallest gap between two flushes */
  flushIntervalMs: number
}

export interface FanOutOptions {
  maxBufferedBytes: number
  gapFactor: number
  groupSize: number
  /** wait before retrying a step whose save failed */
  retryMs: number
  stats: FanOutStats
  /** Saves pending answer text and appends pending chunk entries; false when the save failed. */
  beforeWrite: () => boolean
  /** the newest saved write-ahead epoch */
  savedThrough: () => number
  /** deltas are waiting to become entries */
  hasPendingDeltas: () => boolean
  /** a socket stopped reading: it was detached; the hub closes it */
  onSlowConsumer: (conn: HubConnection) => void
  onFlush?: (ms: number, writes: number) => void
}

/**
 * Sees every entry once, in log order, after it was saved and before any socket gets it (a
 * cluster writer appends them to the room's stream). Targeted entries are included: the tap skips them.
 */
export type FanOutTap = (entries: readonly OutboxEntry[]) => void

export interface FanOut {
  /** log index after the last entry */
  end (): number
  add (conn: HubConnection): void
  /** Stops writing to it (idempotent). */
  detach (conn: HubConnection): void
  push (entry: OutboxEntry): void
  /** Makes sure a step runs soon (deltas are waiting). */
  schedule (): void
  /** It gets targeted or variant frames: written on its own at its group's turn. */
  markSpecial (conn: HubConnection): void
  /** Writes everything queued to everyone now. */
  flushAll (): void
  /** Writes this socket's queued frames now, then detaches it. */
  flushConnection (conn: HubConnection): void
  /** Sets (or clears) the tap that sees every saved entry. */
  setTap (tap: FanOutTap | null): void
}

interface Group {
  role: ConnectionRole
  conns: Set<HubConnection>
  /** global log index up to which this group has been written */
  next: number
  /** connections of this group in `special` */
  specialCount: number
}

/** Whether an entry is for this connection (before variants). */
export function reaches (e: OutboxEntry, conn: HubConnection): boolean {
  if (e.target !== undefined) return e.target === conn
  return e.isAdminOnly !== true || conn.role === 'admin'
}

/** Whether an entry goes into the buffer shared by a group of this role. */
export function isSharedWith (e: OutboxEntry, role: ConnectionRole): boolean {
  return e.target === undefined && (e.isAdminOnly !== true || role === 'admin')
}

/** Creates the engine; the hub feeds it entries and connections. */
export function createFanOut (o: FanOutOptions): FanOut {
  // The log of frames not yet written to every group; log[i] has the global index base + i.
  let log: OutboxEntry[] = []
  let base = 0
  const groups: Group[] = []
  const groupOf = new Map<HubConnection, Group>()
  let turn = 0
  const special = new Set<HubConnection>()
  let isScheduled = false
  let nextFlushAt = 0
  const stats = o.stats
  let tap: FanOutTap | null = null
  /** global log index up to which the tap has seen the log */
  let tapped = 0

  const end = (): number => base + log.length
  const hasWork = (g: Group): boolean => g.next < end() || g.specialCount > 0 || o.hasPendingDeltas()

  /** Hands the tap what it has not seen (called only right after a save succeeded). */
  function feedTap (): void {
    if (tap === null || tapped >= end()) return
    tap(log.slice(Math.max(0, tapped - base)))
    tapped = end()
  }

  function schedule (): void {
    if (isScheduled) return
    isScheduled = true
    const wait = nextFlushAt - performance.now()
    if (wait >= 1) setTimeout(tick, wait)
    else setImmediate(tick)
  }

  function markSpecial (conn: HubConnection): void {
    if (special.has(conn)) return
    const g = groupOf.get(conn)
    if (g === undefined) return
    special.add(conn)
    g.specialCount++
  }

  /** False when the socket stopped reading: its unsent bytes passed the limit (nothing is written). */
  function write (conn: HubConnection, buf: Buffer): boolean {
    if (conn.isClosed || conn.socket.destroyed) return true
    if (conn.socket.writableLength > o.maxBufferedBytes) return false
    conn.socket.write(buf)
    stats.writes++
    stats.bytesWritten += buf.length
    return true
  }

  /**
   * The frames of log[from, to) that `pick` keeps (null skips), with each run of consecutive chunk
   * frames merged into one frame per answer. Entries not yet saved (epoch > saved) are skipped.
   */
  function collect (from: number, to: number, saved: number, pick: (e: OutboxEntry) => Buffer | null): Buffer[] {
    const parts: Buffer[] = []
    let run: Array<{ buf: Buffer, chunk: PendingChunk }> = []
    const now = Date.now()
    for (let i = from; i < to; i++) {
      const e = log[i - base]!
      if (e.epoch > saved) continue
      const buf = pick(e)
      if (buf === null) continue
      if (e.chunk !== undefined) { run.push({ buf, chunk: e.chunk }); continue }
      if (run.length > 0) { parts.push(...mergeChunkRun(run, now)); run = [] }
      parts.push(buf)
    }
    if (run.length > 0) parts.push(...mergeChunkRun(run, now))
    return parts
  }

  /** What one connection gets of log[from, to): targeted frames and variants included. */
  function partsFor (conn: HubConnection, from: number, to: number, saved: number): Buffer[] {
    return collect(from, to, saved, e => {
      if (!reaches(e, conn)) return null
      if (conn.role === 'admin') return e.adminBuf ?? e.buf
      return e.variantUser === conn.userId && e.variantBuf !== undefined ? e.variantBuf : e.buf
    })
  }

  /** Writes to one group everything it has not had yet: one write per socket. */
  function flushGroup (g: Group, saved: number, dropped: HubConnection[]): void {
    const from = g.next
    const to = end()
    const sharedParts = collect(from, to, saved, e => !isSharedWith(e, g.role) ? null : g.role === 'admin' ? e.adminBuf ?? e.buf : e.buf)
    const shared = sharedParts.length === 1 ? sharedParts[0]! : Buffer.concat(sharedParts)
    // A group with only targeted frames (hellos, replays, errors) visits just those connections.
    const visit = shared.length === 0 ? [...special].filter(c => groupOf.get(c) === g) : g.conns
    for (const conn of visit) {
      if (special.has(conn)) {
        const parts = partsFor(conn, Math.max(from, conn.from), to, saved)
        special.delete(conn)
        conn.from = 0
        if (parts.length > 0 && !write(conn, parts.length === 1 ? parts[0]! : Buffer.concat(parts))) dropped.push(conn)
      } else if (shared.length > 0 && !write(conn, shared)) {
        dropped.push(conn)
      }
    }
    g.specialCount = 0
    g.next = to
  }

  /** Drops the log entries every group has had. */
  function trim (): void {
    let min = end()
    for (const g of groups) if (g.next < min) min = g.next
    if (tap !== null && tapped < min) min = tapped
    if (min > base) { log = log.slice(min - base); base = min }
  }

  function dropAll (dropped: HubConnection[]): void {
    for (const conn of dropped) {
      stats.slowConsumersDropped++
      detach(conn)
      o.onSlowConsumer(conn)
    }
  }

  /** One paced step: the next group (round-robin) that has something to receive. */
  function tick (): void {
    isScheduled = false
    if (groups.length === 0) {
      // Nobody to show it to; the text is still saved at once.
      if (o.beforeWrite()) feedTap()
      else if (tap !== null) { nextFlushAt = performance.now() + o.retryMs; schedule(); return }
      if (tap !== null) base = end()
      log = []
      return
    }
    let g: Group | undefined
    for (let n = 0; n < groups.length; n++) {
      const candidate = groups[(turn + n) % groups.length]!
      if (hasWork(candidate)) { g = candidate; turn = (turn + n + 1) % groups.length; break }
    }
    if (g === undefined) { if (tap !== null && tapped < end() && o.beforeWrite()) feedTap(); trim(); return }
    const startedAt = performance.now()
    if (!o.beforeWrite()) {
      // Nothing is shown that is not saved: wait and try the save again.
      nextFlushAt = startedAt + o.retryMs
      schedule()
      return
    }
    feedTap()
    stats.flushes++
    const writesBefore = stats.writes
    const dropped: HubConnection[] = []
    flushGroup(g, Infinity, dropped)
    trim()
    dropAll(dropped)
    const took = performance.now() - startedAt
    nextFlushAt = startedAt + took * (1 + o.gapFactor)
    stats.flushIntervalMs = took * (1 + o.gapFactor)
    o.onFlush?.(took, stats.writes - writesBefore)
    if (groups.some(hasWork)) schedule()
  }

  function joinGroup (conn: HubConnection): Group {
    let g = groups.find(x => x.role === conn.role && x.conns.size < o.groupSize)
    if (g === undefined) {
      // A new group starts where the log ends: its sockets are new and get only what comes next.
      g = { role: conn.role, conns: new Set(), next: end(), specialCount: 0 }
      groups.push(g)
    }
    g.conns.add(conn)
    groupOf.set(conn, g)
    return g
  }

  function detach (conn: HubConnection): void {
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

  return {
    end,
    add (conn) {
      const g = joinGroup(conn)
      // It receives only what comes after it joined (its hello, replay and snapshots included).
      conn.from = end()
      special.add(conn)
      g.specialCount++
      schedule()
    },
    detach,
    push (entry) {
      log.push(entry)
      schedule()
    },
    schedule,
    markSpecial,
    flushAll () {
      const isSaved = o.beforeWrite()
      if (isSaved) feedTap()
      const saved = isSaved ? Infinity : o.savedThrough()
      const dropped: HubConnection[] = []
      for (const g of groups) flushGroup(g, saved, dropped)
      trim()
      dropAll(dropped)
    },
    flushConnection (conn) {
      const g = groupOf.get(conn)
      if (g === undefined) return
      const saved = o.beforeWrite() ? Infinity : o.savedThrough()
      const parts = partsFor(conn, special.has(conn) ? Math.max(g.next, conn.from) : g.next, end(), saved)
      detach(conn)
      // Past its limit it gets nothing more; the close frame still follows what it already has.
      if (parts.length > 0) write(conn, parts.length === 1 ? parts[0]! : Buffer.concat(parts))
    },
    setTap (next) {
      tap = next
      tapped = end()
    }
  }
}
