/**
 * One participant's room socket (PROTOCOL.md "The room over WebSocket"): connects with
 * `since=<last seq>`, keeps the connection honest with pings and a watchdog, and reconnects with
 * backoff. Plain TypeScript with injectable WebSocket and timers, so it is tested without React.
 */
import type { ErrorFrame, HelloFrame } from '../../../server/protocol/index.js'
import { CLOSE_REMOVED, ERR_REMOVED, type RoomFrame } from '../../shared/chat/frames.js'
import { backoffDelay } from './backoff.js'
import { defaultEnv, type ConnectionEnv, type SocketLike } from './socket-env.js'

export { roomSocketUrl, type ConnectionEnv, type SocketLike } from './socket-env.js'

export type ConnectionPhase = 'connecting' | 'open' | 'reconnecting' | 'offline' | 'stopped'

export interface ConnectionStatus {
  phase: ConnectionPhase
  /** When the next attempt starts (epoch ms), while waiting to reconnect. */
  retryAt: number | null
  /** True once any connection reached `hello`: later drops are "reconnecting", not "connecting". */
  hasConnected: boolean
}

/** Thrown by `prepare` when the token is no longer valid: the connection stops for good. */
export class AuthFailedError extends Error {
  override name = 'AuthFailedError'
}

export interface ChatConnectionOptions {
  /** WebSocket URL for a resume from `since`. */
  url: (since: number) => string
  /** Runs before every attempt (first history load, auth probe after a refused upgrade). */
  prepare: (info: { failedBeforeHello: boolean }) => Promise<void>
  onFrame: (frame: RoomFrame) => void
  onStatus: (status: ConnectionStatus) => void
  onOpen: (hello: HelloFrame) => void
  /** The server refused one of our chats (e.g. rate-limited): it was not posted. */
  onChatRefused: (clientMsgId: string, error: ErrorFrame) => void
  /** An error frame not tied to a chat we sent. */
  onNotice: (error: ErrorFrame) => void
  onAuthFailed: () => void
  /** The host removed this participant (`ERR_REMOVED`, close 4001): the connection stops for good. */
  onRemoved?: (message: string | null) => void
  env?: Partial<ConnectionEnv>
}

export const PING_INTERVAL_MS = 25_000
export const STALE_AFTER_MS = 60_000
export const PROBE_TIMEOUT_MS = 5_000
const TICK_MS = 5_000
const OPEN = 1

export interface ChatConnection {
  start: () => void
  stop: () => void
  /** Sends a chat once the room is open; false when it must wait for the next connection. */
  sendChat: (clientMsgId: string, content: string) => boolean
  stopReply: (id: number) => boolean
  /** The teacher's gate: vote for a waiting question (`up: false` takes the vote back). */
  sendVote: (messageId: number, up: boolean) => boolean
  /** Records history already shown, so the next resume starts after it. */
  noteSeq: (seq: number) => void
  lastSeq: () => number
  /** The page woke up or the network came back: check the socket now, or reconnect at once. */
  nudge: () => void
}

/** Creates a stopped connection; call `start()`. */
export function createChatConnection (options: ChatConnectionOptions): ChatConnection {
  const env: ConnectionEnv = { ...defaultEnv(), ...options.env }
  let socket: SocketLike | null = null
  let phase: ConnectionPhase = 'stopped'
  let hasConnected = false
  let isStopped = true
  let attempt = 0
  let lastSeq = 0
  let failedBeforeHello = false
  let isOpen = false
  let retryTimer: unknown = null
  let retryAt: number | null = null
  let tickTimer: unknown = null
  let lastReceivedAt = 0
  let lastPingAt = 0
  /** Chats sent on this socket and not yet echoed, oldest first (error frames answer in order). */
  let inflight: string[] = []

  function setPhase (next: ConnectionPhase, nextRetryAt: number | null = null): void {
    phase = next
    retryAt = nextRetryAt
    options.onStatus({ phase, retryAt, hasConnected })
  }

  async function connect (): Promise<void> {
    retryTimer = null
    if (isStopped) return
    setPhase(hasConnected ? (env.isOnline() ? 'reconnecting' : 'offline') : 'connecting')
    try {
      await options.prepare({ failedBeforeHello })
    } catch (err) {
      if (isStopped) return
      if (err instanceof AuthFailedError) {
        stop()
        options.onAuthFailed()
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
    if (typeof data !== 'string') return
    let frame: RoomFrame
    try {
      const parsed: unknown = JSON.parse(data)
      if (typeof parsed !== 'object' || parsed === null || typeof (parsed as { type?: unknown }).type !== 'string') return
      frame = parsed as RoomFrame
    } catch {
      return
    }
    if ('seq' in frame && typeof frame.seq === 'number' && frame.seq > lastSeq) lastSeq = frame.seq
    if (frame.type === 'hello') {
      isOpen = true
      attempt = 0
      failedBeforeHello = false
      hasConnected = true
      lastPingAt = env.now()
      setPhase('open')
      options.onFrame(frame)
      options.onOpen(frame)
      return
    }
    if (frame.type === 'user_message' && frame.client_msg_id) {
      inflight = inflight.filter(id => id !== frame.client_msg_id)
    }
    if (frame.type === 'error') {
      if (frame.code === ERR_REMOVED) removed(frame.message)
      else refused(frame)
      return
    }
    options.onFrame(frame)
  }

  function refused (frame: ErrorFrame): void {
    // Some hosts echo the id; otherwise the oldest unanswered chat is the one refused. An ERR_AI_*
    // refusal follows a chat that was posted (only the AI declined), so it refuses no chat.
    const echoed = (frame as { client_msg_id?: unknown }).client_msg_id
    const target = typeof echoed === 'string' ? echoed : frame.code.startsWith('ERR_AI_') ? undefined : inflight[0]
    if (target === undefined) {
      options.onNotice(frame)
      return
    }
    inflight = inflight.filter(id => id !== target)
    options.onChatRefused(target, frame)
  }

  function removed (message: string | null): void {
    // Reconnecting is pointless: the token is refused from now on.
    stop()
    options.onRemoved?.(message)
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
    inflight = []
    if (!ws) return
    ws.onmessage = null
    ws.onclose = null
    ws.onerror = null
    try { ws.close(1000) } catch { /* already closed */ }
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
    sendChat (clientMsgId, content) {
      if (!send({ type: 'chat', content, client_msg_id: clientMsgId })) return false
      inflight.push(clientMsgId)
      return true
    },
    stopReply (id) {
      return send({ type: 'stop', id })
    },
    sendVote (messageId, up) {
      return send({ type: 'vote', message_id: messageId, up })
    },
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
