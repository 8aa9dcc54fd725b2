/**
 * The console's (and the projector's) live socket, `GET /api/admin/ws?token=&since=`: every room
 * frame plus the admin-only ones, on the pages' one socket client (backoff, ping, stale link,
 * refusal). Frames reach React in animation-frame batches; the resume point is the caller's.
 */
import type { ConsoleFrame } from '../types.js'
import { createFrameBatcher } from '../../shared/chat/frame-batcher.js'
import { backoffDelay } from '../../shared/socket/backoff.js'
import { createSocketClient, parseFrame as parseAnyFrame, RefusedError } from '../../shared/socket/socket-client.js'
import { socketUrl, type ConnectionEnv } from '../../shared/socket/socket-env.js'

export { RefusedError }

export type AdminSocketPhase = 'connecting' | 'open' | 'reconnecting' | 'refused'

export interface AdminConnectionOptions {
  url: (since: number) => string
  /** Highest seq shown so far (resume point). */
  lastSeq: () => number
  /** Runs before each attempt; throw `RefusedError` when the token is no longer accepted. */
  prepare: (isReconnect: boolean) => Promise<void>
  onFrames: (frames: ConsoleFrame[]) => void
  onPhase: (phase: AdminSocketPhase) => void
  env?: Partial<ConnectionEnv>
}

/** Delay before attempt `n` (0-based): the pages' one backoff. */
export const reconnectDelay = backoffDelay

/** Parses one socket message; null for anything that is not a frame object with a string type. */
export function parseFrame (data: unknown): ConsoleFrame | null {
  return parseAnyFrame<ConsoleFrame>(data)
}

export interface AdminConnection {
  start: () => void
  stop: () => void
}

export function createAdminConnection (options: AdminConnectionOptions): AdminConnection {
  // A busy room streams many chunks a second: hand them to React together, as the participant page does.
  const batcher = createFrameBatcher<ConsoleFrame>(frames => { options.onFrames(frames) })
  const client = createSocketClient<ConsoleFrame>({
    url: () => options.url(options.lastSeq()),
    prepare: ({ isReconnect }) => options.prepare(isReconnect),
    onFrame: batcher.push,
    onStatus: ({ phase, hasConnected }) => {
      if (phase === 'stopped') return
      if (phase === 'open') options.onPhase('open')
      else options.onPhase(hasConnected ? 'reconnecting' : 'connecting')
    },
    onRefused: () => options.onPhase('refused'),
    onRemoved: () => options.onPhase('refused'),
    onSocketGone: batcher.flush,
    ...(options.env !== undefined ? { env: options.env } : {})
  })
  return {
    start: client.start,
    stop () {
      client.stop()
      batcher.flush()
    }
  }
}

/** `ws(s)://<host>/api/admin/ws?token=…&since=…` for the page's own origin. */
export function adminSocketUrl (location: { protocol: string, host: string }, token: string, since: number): string {
  return socketUrl(location, '/api/admin/ws', token, since)
}
