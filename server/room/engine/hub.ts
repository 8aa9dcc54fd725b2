/**
 * The room's hub: who is connected (participants and the host's admin sockets), what each audience
 * gets, and closing sockets so that nothing queued for them is lost. The work is done by three
 * parts: the fan-out engine (fan-out.ts: paced group writes), the AI delta coalescer
 * (delta-coalescer.ts) and presence batching (presence.ts); write-ahead.ts keeps answer text that
 * must be saved before any socket shows it.
 */
import type { AdminFrame, PresenceUser, ServerFrame } from '../../protocol/index.js'
import { encodeJsonFrame } from './ws-frame.js'
import { createDeltaCoalescer, encodeChunk } from './delta-coalescer.js'
import { createFanOut, type FanOutTap, type HubConnection, type OutboxEntry } from './fan-out.js'
import { countOnly, createPresenceBatcher, defaultPresenceDelay } from './presence.js'
import { createWriteAheadLedger, type WriteAheadHook } from './write-ahead.js'

export type { ConnectionRole, FanOutTap, HubConnection, OutboxEntry } from './fan-out.js'

/**
 * Participants' sockets held by other processes (the edges of a cluster, server/cluster/): they
 * count as online, and the host's kick and ban close them too.
 */
export interface RemoteSockets {
  /** participants online on some other process */
  isOnline (userId: number): boolean
  /** how many participants are online on other processes, and how many of `local` are not among them */
  onlineCount (local: Iterable<number>): number
  /** Sends `frame` to each of the participant's remote sockets, then closes them with `code`. */
  close (userId: number, frame: ServerFrame, code: number, reason: string): void
}
export { createConnection } from './fan-out.js'
export type { AnswerWrite, WriteAheadHook } from './write-ahead.js'

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
  /** write-ahead saves that failed (the flush waited and tried again) */
  writeAheadFailures: number
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
  /** after a close frame, how long a peer has to close before its socket is cut (default 2 s) */
  closeGraceMs?: number
  /** after a failed write-ahead save, how long the next try waits (default 200 ms) */
  writeAheadRetryMs?: number
  onWriteAheadError?: (err: unknown) => void
}

export interface Hub {
  /** open participant connections */
  readonly size: number
  /** open admin connections */
  readonly adminSize: number
  readonly stats: HubStats
  /** Registers a connection; returns true when it is a participant's first (they came online). Admin sockets: false. */
  add (conn: HubConnection): boolean
  /** Unregisters; returns true when it was a participant's last connection (they went offline). */
  remove (conn: HubConnection): boolean
  isOnline (userId: number): boolean
  onlineCount (): number
  connectionsOf (userId: number): ReadonlySet<HubConnection> | undefined
  /**
   * To participants and admin sockets; the participant `variant.userId`'s connections get
   * `variant.frame` instead, and admin sockets get `adminFrame` when there is one.
   */
  broadcast (frame: ServerFrame, variant?: { userId: number, frame: ServerFrame }, adminFrame?: ServerFrame): void
  /** To admin sockets only. */
  broadcastAdmin (frame: AdminFrame): void
  sendTo (conn: HubConnection, frame: ServerFrame): void
  /**
   * A delta of AI reply `id`, coalesced with others of the same turn; saved through the write-ahead
   * hook before any socket gets it. `adminOnly`: only admin sockets get it (answers held for review).
   */
  appendDelta (id: number, replyTo: number, conversationId: string, text: string, options?: { adminOnly?: boolean }): void
  /** The whole answer so far was replaced (moderation): saved first, then `ai_message_replace`. */
  replaceText (id: number, content: string, options?: { adminOnly?: boolean }): void
  /** Text queued for reply `id` in this turn and not yet in a frame. */
  pendingDelta (id: number): string
  /** Saves answer text before sockets show it: called once per flush with every answer that moved. */
  setWriteAhead (hook: WriteAheadHook | null): void
  /** While this says true, participants' presence frames carry counts, not names (anonymous room). */
  setNamesHidden (isHidden: () => boolean): void
  /**
   * Closes a socket the host decided to close (kick, ban, oversized frame, slow consumer, shutdown):
   * writes the frames queued for it first, then the close frame; cuts it if the peer does not close.
   */
  closeAfterFlush (conn: HubConnection, code: number, reason: string): void
  presenceJoined (user: PresenceUser): void
  presenceLeft (userId: number): void
  /** Writes everything queued now (tests, shutdown). */
  flush (): void
  /** Every saved entry, once, in order, before any socket gets it (a cluster writer's room stream). */
  setTap (tap: FanOutTap | null): void
  /** Participants' sockets on other processes: online counts cover them, `closeRemote` reaches them. */
  setRemoteSockets (remote: RemoteSockets | null): void
  /** Closes the participant's sockets held by other processes (no-op without any). */
  closeRemote (userId: number, frame: ServerFrame, code: number, reason: string): void
  /** Every connection, admin sockets included. */
  forEach (fn: (conn: HubConnection) => void): void
  close (): void
}

/** Close code for a socket that stopped reading: it may reconnect with since= (RFC 6455 1013, try again later). */
export const SLOW_CONSUMER_CLOSE = 1013

/** Creates the room's hub. */
export function createHub (options: HubOptions): Hub {
  const conns = new Set<HubConnection>()
  const byUser = new Map<number, Set<HubConnection>>()
  let adminCount = 0
  const coalescer = createDeltaCoalescer()
  const ledger = createWriteAheadLedger()
  let writeAhead: WriteAheadHook | null = null
  const closeGraceMs = options.closeGraceMs ?? 2000
  const stats: HubStats = { framesBroadcast: 0, bytesWritten: 0, writes: 0, deltasIn: 0, chunksOut: 0, slowConsumersDropped: 0, flushes: 0, flushIntervalMs: 0, writeAheadFailures: 0 }

  const fanOut = createFanOut({
    maxBufferedBytes: options.maxBufferedBytes,
    gapFactor: options.flushGapFactor ?? 0.5,
    groupSize: options.flushGroupSize ?? 500,
    retryMs: options.writeAheadRetryMs ?? 200,
    stats,
    beforeWrite,
    savedThrough: () => ledger.savedThrough,
    hasPendingDeltas: () => coalescer.size > 0,
    onSlowConsumer (conn) {
      options.onSlowConsumer?.(conn)
      closeDetached(conn, SLOW_CONSUMER_CLOSE, 'You stopped reading; reconnect with since= to catch up.')
    },
    ...(options.onFlush !== undefined ? { onFlush: options.onFlush } : {})
  })

  let hidesNames = (): boolean => false
  let remote: RemoteSockets | null = null
  const onlineCount = (): number => remote === null ? byUser.size : remote.onlineCount(byUser.keys())
  const presence = createPresenceBatcher({
    delayMs: options.presenceDelayMs ?? defaultPresenceDelay,
    listMax: options.presenceListMax ?? 300,
    onlineCount,
    // Names hidden (anonymous room): participants get the count only, the host's sockets the list.
    emit: (frame) => frame.type === 'presence' && hidesNames() ? hub.broadcast(countOnly(frame), undefined, frame) : hub.broadcast(frame)
  })

  /** Saves the answers' unsaved text, then turns waiting deltas into entries. */
  function beforeWrite (): boolean {
    if (!ledger.save(writeAhead === null ? null : saveWith(writeAhead))) {
      stats.writeAheadFailures++
      return false
    }
    materializeChunks()
    return true
  }

  function saveWith (hook: WriteAheadHook): WriteAheadHook {
    return (writes) => {
      try { hook(writes) } catch (err) { options.onWriteAheadError?.(err); throw err }
    }
  }

  /** Waiting deltas become chunk entries, so that a frame queued after them is written after them. */
  function materializeChunks (): void {
    if (coalescer.size === 0) return
    const now = Date.now()
    const epoch = ledger.stamp
    for (const c of coalescer.drain()) {
      fanOut.push({ buf: encodeChunk(c, now), chunk: c, epoch, ...(c.isAdminOnly ? { isAdminOnly: true } : {}) })
      stats.chunksOut++
    }
  }

  function push (entry: Omit<OutboxEntry, 'epoch'>): void {
    materializeChunks()
    // Frames queued while answer text is unsaved wait for that save too (snapshots carry such text).
    fanOut.push({ ...entry, epoch: ledger.stamp })
  }

  /** Sends the close frame to a socket that gets nothing more, and cuts it if the peer never answers. */
  function closeDetached (conn: HubConnection, code: number, reason: string): void {
    conn.isClosed = true
    conn.ws.close(code, reason)
    setTimeout(() => conn.ws.terminate(), closeGraceMs).unref()
  }

  const hub: Hub = {
    get size () { return conns.size - adminCount },
    get adminSize () { return adminCount },
    stats,
    add (conn) {
      materializeChunks()
      fanOut.add(conn)
      conns.add(conn)
      if (conn.role === 'admin') { adminCount++; return false }
      let set = byUser.get(conn.userId)
      const isFirst = set === undefined
      if (set === undefined) { set = new Set(); byUser.set(conn.userId, set) }
      set.add(conn)
      return isFirst
    },
    remove (conn) {
      conn.isClosed = true
      if (!conns.delete(conn)) return false
      fanOut.detach(conn)
      if (conn.role === 'admin') { adminCount--; return false }
      const set = byUser.get(conn.userId)
      if (set === undefined) return false
      set.delete(conn)
      if (set.size > 0) return false
      byUser.delete(conn.userId)
      return true
    },
    isOnline: (userId) => byUser.has(userId) || (remote !== null && remote.isOnline(userId)),
    onlineCount,
    connectionsOf: (userId) => byUser.get(userId),
    broadcast (frame, variant, adminFrame) {
      stats.framesBroadcast++
      const entry: Omit<OutboxEntry, 'epoch'> = { buf: encodeJsonFrame(frame) }
      if (adminFrame !== undefined) entry.adminBuf = encodeJsonFrame(adminFrame)
      if (variant !== undefined) {
        entry.variantUser = variant.userId
        entry.variantBuf = encodeJsonFrame(variant.frame)
        const set = byUser.get(variant.userId)
        if (set !== undefined) for (const c of set) fanOut.markSpecial(c)
      }
      push(entry)
    },
    broadcastAdmin (frame) {
      stats.framesBroadcast++
      push({ buf: encodeJsonFrame(frame), isAdminOnly: true })
    },
    sendTo (conn, frame) {
      fanOut.markSpecial(conn)
      push({ buf: encodeJsonFrame(frame), target: conn })
    },
    appendDelta (id, replyTo, conversationId, text, deltaOptions) {
      stats.deltasIn++
      ledger.append(id, text)
      coalescer.append({ id, replyTo, conversationId, text, isAdminOnly: deltaOptions?.adminOnly === true })
      fanOut.schedule()
    },
    replaceText (id, content, replaceOptions) {
      ledger.replace(id, content)
      const frame = { type: 'ai_message_replace' as const, id, content }
      if (replaceOptions?.adminOnly === true) hub.broadcastAdmin({ ...frame, review: true })
      else hub.broadcast(frame)
    },
    pendingDelta: (id) => coalescer.pendingText(id),
    setWriteAhead (hook) { writeAhead = hook },
    setNamesHidden (isHidden) { hidesNames = isHidden },
    closeAfterFlush (conn, code, reason) {
      if (conn.isClosed) return
      fanOut.flushConnection(conn)
      closeDetached(conn, code, reason)
    },
    presenceJoined: (user) => presence.joined(user),
    presenceLeft: (userId) => presence.left(userId),
    flush: () => fanOut.flushAll(),
    setTap: (tap) => fanOut.setTap(tap),
    setRemoteSockets (next) { remote = next },
    closeRemote (userId, frame, code, reason) { remote?.close(userId, frame, code, reason) },
    forEach (fn) { for (const c of conns) fn(c) },
    close () {
      presence.close()
      fanOut.flushAll()
    }
  }
  return hub
}
