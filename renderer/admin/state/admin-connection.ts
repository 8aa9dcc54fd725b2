/**
 * The console's one live socket (`GET /api/admin/ws?token=&since=`): every room frame plus the
 * admin-only ones. Resumes from the last persisted seq after a drop, pings so a dead link is noticed,
 * and stops for good when the token is refused. Plain TypeScript so it is tested without React.
 */
import type { ConsoleFrame } from '../types.js'
import { createFrameBatcher } from '../../shared/chat/frame-batcher.js'

export type AdminSocketPhase = 'connecting' | 'open' | 'reconnecting' | 'refused'

export interface AdminConnectionOptions {
  url: (since: number) => string
  /** Highest seq shown so far (resume point). */
  lastSeq: () => number
  /** Runs before each attempt; throw `RefusedError` when the token is no longer accepted. */
  prepare: (isReconnect: boolean) => Promise<void>
  onFrames: (frames: ConsoleFrame[]) => void
  onPhase: (phase: AdminSocketPhase) => void
  createSocket?: (url: string) => WebSocket
}

export class RefusedError extends Error {
  override name = 'RefusedError'
}

export const PING_MS = 20_000
const STALE_MS = 50_000
const CLOSE_REMOVED = 4001

/** Delay before attempt `n` (0-based): 0.5 s doubling to 10 s, with jitter. */
export function reconnectDelay (attempt: number, random = Math.random): number {
  const ceiling = Math.min(10_000, 500 * 2 ** Math.min(attempt, 10))
  return Math.round(ceiling / 2 + random() * ceiling / 2)
}

/** Parses one socket message; null for anything that is not a frame object with a string type. */
export function parseFrame (data: unknown): ConsoleFrame | null {
  if (typeof data !== 'string') return null
  try {
    const value: unknown = JSON.parse(data)
    if (typeof value === 'object' && value !== null && typeof (value as { type?: unknown }).type === 'string') return value as ConsoleFrame
  } catch { /* not JSON: ignored */ }
  return null
}

export interface AdminConnection {
  start: () => void
  stop: () => void
}

export function createAdminConnection (options: AdminConnectionOptions): AdminConnection {
  const createSocket = options.createSocket ?? ((url: string) => new WebSocket(url))
  let socket: WebSocket | null = null
  let isStopped = true
  let hasConnected = false
  let attempt = 0
  let retryTimer: ReturnType<typeof setTimeout> | null = null
  let pingTimer: ReturnType<typeof setInterval> | null = null
  let lastReceivedAt = 0
  // A busy room streams many chunks a second: hand them to React together, as the participant page does.
  const batcher = createFrameBatcher<ConsoleFrame>(frames => { options.onFrames(frames) })
  const push = batcher.push
  const flush = batcher.flush

  async function connect (): Promise<void> {
    if (isStopped) return
    options.onPhase(hasConnected ? 'reconnecting' : 'connecting')
    try {
      await options.prepare(hasConnected || attempt > 0)
    } catch (err) {
      if (err instanceof RefusedError) {
        options.onPhase('refused')
        isStopped = true
        return
      }
      scheduleRetry()
      return
    }
    if (isStopped) return
    const ws = createSocket(options.url(options.lastSeq()))
    socket = ws
    ws.onmessage = (ev: MessageEvent) => {
      lastReceivedAt = Date.now()
      const frame = parseFrame(ev.data)
      if (!frame) return
      if (frame.type === 'hello') {
        hasConnected = true
        attempt = 0
        options.onPhase('open')
      }
      push(frame)
    }
    ws.onclose = (ev: CloseEvent) => {
      if (socket !== ws) return
      socket = null
      flush()
      if (ev.code === CLOSE_REMOVED) {
        options.onPhase('refused')
        isStopped = true
        return
      }
      scheduleRetry()
    }
    ws.onerror = () => { /* a close event follows */ }
  }

  function scheduleRetry (): void {
    if (isStopped) return
    options.onPhase(hasConnected ? 'reconnecting' : 'connecting')
    const delay = reconnectDelay(attempt++)
    retryTimer = setTimeout(() => { retryTimer = null; connect().catch(() => scheduleRetry()) }, delay)
  }

  function tick (): void {
    const ws = socket
    if (!ws || ws.readyState !== WebSocket.OPEN) return
    if (Date.now() - lastReceivedAt > STALE_MS) {
      // No pong for too long: the link is dead even if the browser has not noticed.
      ws.close()
      return
    }
    ws.send(JSON.stringify({ type: 'ping' }))
  }

  return {
    start () {
      if (!isStopped) return
      isStopped = false
      lastReceivedAt = Date.now()
      pingTimer = setInterval(tick, PING_MS)
      connect().catch(() => scheduleRetry())
    },
    stop () {
      isStopped = true
      if (retryTimer !== null) clearTimeout(retryTimer)
      if (pingTimer !== null) clearInterval(pingTimer)
      retryTimer = null
      pingTimer = null
      const ws = socket
      socket = null
      if (ws) {
        ws.onclose = null
        ws.onmessage = null
        try { ws.close(1000) } catch { /* already closed */ }
      }
      flush()
    }
  }
}

/** `ws(s)://<host>/api/admin/ws?token=…&since=…` for the page's own origin. */
export function adminSocketUrl (location: { protocol: string, host: string }, token: string, since: number): string {
  const scheme = location.protocol === 'https:' ? 'wss:' : 'ws:'
  const params = new URLSearchParams({ token, since: String(since) })
  return `${scheme}//${location.host}/api/admin/ws?${params.toString()}`
}
