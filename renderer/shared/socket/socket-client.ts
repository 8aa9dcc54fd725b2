/**
 * The one live-socket client of the three pages (participant room, host console, projector):
 * connects with `since=<last seq>`, runs `prepare` before every attempt (a history load, a token
 * probe), reconnects with jittered backoff, pings and drops a link that has gone silent, checks a
 * sleeping phone's socket when it wakes, and stops for good when the token is refused or the host
 * removed this participant. What each page does with frames stays with the page.
 * Plain TypeScript with an injectable WebSocket and clocks, so it is tested without React.
 */
import { CLIENT_PING_MS, CLIENT_STALE_MS, CLOSE_REMOVED, ERR_REMOVED } from '../../../server/protocol/index.js'
import { backoffDelay } from './backoff.js'
import { defaultEnv, type ConnectionEnv, type SocketLike } from './socket-env.js'

export type ConnectionPhase = 'connecting' | 'open' | 'reconnecting' | 'offline' | 'stopped'

export interface ConnectionStatus {
  phase: ConnectionPhase
  /** When the next attempt starts (epoch ms), while waiting to reconnect. */
  retryAt: number | null
  /** True once any connection reached `hello`: later drops are "reconnecting", not "connecting". */
  hasConnected: boolean
}

/** Thrown by `prepare` when the token is no longer accepted: the client stops for good. */
export class RefusedError extends Error {
  override name = 'RefusedError'
}

/** Any frame: an object with a string `type` (what each page reads from it is its own). */
export interface AnyFrame { type: string }

export interface SocketClientOptions<F extends AnyFrame> {
  /** WebSocket URL for a resume from `since` (the highest seq seen or noted). */
  url: (since: number) => string
  /** Runs before every attempt; throw `RefusedError` when the token is refused. */
  prepare: (info: { isReconnect: boolean, failedBeforeHello: boolean }) => Promise<void>
  /** Every frame but `ERR_REMOVED`, `hello` included, in order. */
  onFrame: (frame: F) => void
  onStatus: (status: ConnectionStatus) => void
  /** The token was refused (`prepare` threw `RefusedError`). */
  onRefused: () => void
  /** The host removed this participant (`ERR_REMOVED`, close 4001); the message when one came. */
  onRemoved: (message: string | null) => void
  /** The socket in use went away (dropped, stale or stopped): frames in flight on it are lost. */
  onSocketGone?: () => void
  env?: Partial<ConnectionEnv>
}

export interface SocketClient {
  start: () => void
  stop: () => void
  /** Sends a frame on an open socket (after `hello`); false when there is none. */
  send: (frame: object) => boolean
  /** Records a seq already shown (history), so the next resume starts after it. */
  noteSeq: (seq: number) => void
  lastSeq: () => number
  /** The page woke up or the network came back: check the socket now, or reconnect at once. */
  nudge: () => void
}

export const PING_INTERVAL_MS = CLIENT_PING_MS
export const STALE_AFTER_MS = CLIENT_STALE_MS
/** After a wake-up, how long an open-looking socket has to answer a ping. */
export const PROBE_TIMEOUT_MS = 5_000
const TICK_MS = 5_000
const OPEN = 1

/** Parses one socket message; null for anything that is not a frame object with a string type. */
export function parseFrame<F extends AnyFrame> (data: unknown): F | null {
  if (typeof data !== 'string') return null
  try {
    const value: unknown = JSON.parse(data)
    if (typeof value === 'object' && value !== null && typeof (value as { type?: unknown }).type === 'string') return value as F
  } catch { /* not JSON: ignored */ }
  return null
}

/** Creates a stopped client; call `start()`. */
export function createSocketClient<F extends AnyFrame> (options: SocketClientOptions<F>): SocketClient {
  const env: ConnectionEnv = { ...defaultEnv(), ...options.env }
  let socket: SocketLike | null = null
  let hasConnected = false
  let isStopped = true
  let attempt = 0
  let lastSeq = 0
  let failedBeforeHello = false
  let isOpen = false
  let retryTimer: unknown = null
  let tickTimer: unknown = null
  let lastReceivedAt = 0
  let lastPingAt = 0

  function setPhase (phase: ConnectionPhase, retryAt: number | null = null): void {
    options.onStatus({ phase, retryAt, hasConnected })
  }

  async function connect (): Promise<void> {
    retryTimer = null
    if (isStopped) return
    setPhase(hasConnected ? (env.isOnline() ? 'reconnecting' : 'offline') : 'connecting')
    try {
      await options.prepare({ isReconnect: hasConnected || attempt > 0, failedBeforeHello })
    } catch (err) {
      if (isStopped) return
      if (err instanceof RefusedError) {
        stop()
        options.onRefused()
        return
      }
      scheduleRetry()
      return
    }
    if (isStopped) return
    let ws: SocketLike
    try {
      ws = env.createSocket(options.url(lastSeq))
    } catch {
      scheduleRetry()
      return
    }
    socket = ws
    isOpen = false
    lastReceivedAt = env.now()
    ws.onmessage = (ev) => { if (socket === ws) receive(ev.data) }
    ws.onclose = (ev) => {
      if (socket !== ws) return
      if (ev.code === CLOSE_REMOVED) removed(null)
      else dropped()
    }
    ws.onerror = () => { /* a close event follows */ }
  }

  function receive (data: unknown): void {
    lastReceivedAt = env.now()
    const frame = parseFrame<F>(data)
    if (frame === null) return
    const seq = (frame as { seq?: unknown }).seq
    if (typeof seq === 'number' && seq > lastSeq) lastSeq = seq
    if (frame.type === 'hello') {
      isOpen = true
      attempt = 0
      failedBeforeHello = false
      hasConnected = true
      lastPingAt = env.now()
      setPhase('open')
    }
    if (frame.type === 'error' && (frame as { code?: unknown }).code === ERR_REMOVED) {
      const message = (frame as { message?: unknown }).message
      removed(typeof message === 'string' ? message : null)
      return
    }
    options.onFrame(frame)
  }

  function removed (message: string | null): void {
    // Reconnecting is pointless: the token is refused from now on.
    stop()
    options.onRemoved(message)
  }

  function dropped (): void {
    failedBeforeHello = !isOpen
    closeSocket()
    scheduleRetry()
  }

  function closeSocket (): void {
    const ws = socket
    socket = null
    isOpen = false
    if (!ws) return
    ws.onmessage = null
    ws.onclose = null
    ws.onerror = null
    try { ws.close(1000) } catch { /* already closed */ }
    options.onSocketGone?.()
  }

  function scheduleRetry (): void {
    if (isStopped) return
    const delay = backoffDelay(attempt++, env.random)
    const at = env.now() + delay
    setPhase(env.isOnline() ? (hasConnected ? 'reconnecting' : 'connecting') : 'offline', at)
    retryTimer = env.setTimeout(() => { connect().catch(scheduleRetry) }, delay)
  }

  function tick (): void {
    tickTimer = env.setTimeout(tick, TICK_MS)
    if (!socket || !isOpen) return
    const now = env.now()
    if (now - lastReceivedAt > STALE_AFTER_MS) {
      // Nothing for too long, not even a pong: the link is dead even if the browser has not noticed.
      dropped()
      return
    }
    if (now - lastPingAt >= PING_INTERVAL_MS) ping()
  }

  function ping (): void {
    lastPingAt = env.now()
    send({ type: 'ping' })
  }

  function send (frame: object): boolean {
    if (!socket || !isOpen || socket.readyState !== OPEN) return false
    try {
      socket.send(JSON.stringify(frame))
      return true
    } catch {
      return false
    }
  }

  function stop (): void {
    isStopped = true
    if (retryTimer !== null) env.clearTimeout(retryTimer)
    if (tickTimer !== null) env.clearTimeout(tickTimer)
    retryTimer = null
    tickTimer = null
    closeSocket()
    setPhase('stopped')
  }

  return {
    start () {
      if (!isStopped) return
      isStopped = false
      attempt = 0
      tickTimer = env.setTimeout(tick, TICK_MS)
      connect().catch(scheduleRetry)
    },
    stop,
    send,
    noteSeq (seq) {
      if (seq > lastSeq) lastSeq = seq
    },
    lastSeq: () => lastSeq,
    nudge () {
      if (isStopped) return
      if (socket && !env.isOnline()) {
        // The device says it has no network: the socket cannot work, say so now.
        dropped()
        return
      }
      if (socket && isOpen) {
        // After a phone sleeps, a socket can look open and be dead: ask, and drop it if silent.
        const probeAt = env.now()
        ping()
        env.setTimeout(() => {
          if (socket && isOpen && lastReceivedAt < probeAt) dropped()
        }, PROBE_TIMEOUT_MS)
        return
      }
      if (retryTimer !== null && env.isOnline()) {
        env.clearTimeout(retryTimer)
        retryTimer = null
        attempt = 0
        connect().catch(scheduleRetry)
      }
    }
  }
}
