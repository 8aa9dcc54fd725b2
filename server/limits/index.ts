/**
 * Fair use: every rate limit, connection cap and AI budget of the room, in one service.
 * Chat messages and AI questions are charged per participant AND per client address (so joining
 * again or opening more tabs does not help), AI questions also to a room-wide budget. Buckets live
 * in the RateLimitStore (the room's SQLite file): they survive a restart and cost no memory per
 * client; full buckets are purged periodically. `limitsEnabled: false` turns all of it off.
 */
import type { FastifyBaseLogger } from 'fastify'
import type { Config } from '../config.js'
import type { RateLimitStore } from '../ports.js'
import { AppError, Errors } from '../errors.js'
import { refund, take, type Charge, type Rate, type Verdict } from './gcra.js'
import { createConnectionCounter } from './connections.js'

export type { Rate, Verdict } from './gcra.js'

/** The four rates the host may change while the room runs (live settings), read at each check. */
export interface LiveRates {
  chatRate: Rate
  aiRate: Rate
  roomAiRate: Rate
  joinRate: Rate
}

/** What admitMessage charged, so it can be given back. */
export interface Admission {
  charges: readonly Charge[]
}

export interface RateLimiter {
  /** Charges every bucket or none. */
  take (charges: readonly Charge[]): Verdict
  refund (charges: readonly Charge[]): void
  /** Deletes full buckets; returns how many. */
  purge (): number
}

export interface Limits {
  readonly isEnabled: boolean
  readonly limiter: RateLimiter
  /** The rates in force now. */
  readonly rates: () => LiveRates
  /** Charges a chat message (and an AI question when `asksAi`); throws ERR_RATE_LIMITED (429) with the wait. */
  admitMessage (authorId: number, address: string | null, asksAi: boolean): Admission | null
  /**
   * Charges a poll answer at the chat rate, per participant and per address, in buckets of its
   * own (answering a poll must not use up the chat); throws ERR_RATE_LIMITED (429) with the wait.
   */
  admitPollAnswer (userId: number, address: string | null): void
  /** Charges one photo upload, per participant and per address (photos per 10 minutes); throws ERR_RATE_LIMITED (429). */
  admitPhoto (userId: number, address: string | null): void
  /** Gives back an admission (the message was a resend, or could not be saved). Never throws. */
  refund (admission: Admission | null): void
  /** Takes a WebSocket slot for an address, or returns the refusal (429 per address, 503 room full). */
  reserveConnection (address: string): AppError | null
  releaseConnection (address: string): void
  /** Why a newcomer cannot join now (the room is at its connection cap), or null. */
  roomFull (): AppError | null
  /** A per-connection gate for incoming frames: 0 when a frame may be handled, else ms to wait. */
  frameGate (): () => number
  /** @fastify/rate-limit options for the join route (per address). */
  readonly joinRoute: { max: () => number, timeWindow: () => number, keyGenerator: (request: { ip: string }) => string }
  close (): void
}

/** A client address as a bucket key: IPv4-mapped IPv6 folded to IPv4, lowercase. Loopback is not special. */
export function addressKey (ip: string): string {
  const a = ip.toLowerCase()
  return a.startsWith('::ffff:') && a.includes('.') ? a.slice(7) : a
}

/**
 * Creates the limits service; with limits off every check passes. `rates` gives the rates in force
 * (the launch ones unless the host changed them live); it is read at each check.
 */
export function createLimits (o: { config: Config, rates?: () => LiveRates, store: RateLimitStore, logger: FastifyBaseLogger, now?: () => number }): Limits {
  const { config, store } = o
  const rates = o.rates ?? (() => config)
  const now = o.now ?? Date.now
  const limiter: RateLimiter = {
    take: (charges) => store.update(charges.map(c => c.key), tats => take(charges, tats, now())),
    refund (charges) { store.update(charges.map(c => c.key), tats => ({ writes: refund(charges, tats), result: undefined })) },
    purge: () => store.purge(now())
  }
  const connections = createConnectionCounter({ perAddress: config.maxConnectionsPerAddress, total: config.maxConnections })
  // Read at each join: the host may change the join rate while the room runs (live settings).
  const joinRoute = { max: () => rates().joinRate.limit, timeWindow: () => rates().joinRate.windowMs, keyGenerator: (request: { ip: string }) => `join:a:${addressKey(request.ip)}` }

  if (!config.limitsEnabled) {
    return {
      isEnabled: false,
      limiter,
      rates,
      admitMessage: () => null,
      admitPollAnswer: () => {},
      admitPhoto: () => {},
      refund: () => {},
      reserveConnection: () => null,
      releaseConnection: () => {},
      roomFull: () => null,
      frameGate: () => () => 0,
      joinRoute,
      close: () => {}
    }
  }

  const purgeTimer = setInterval(() => {
    try {
      const n = limiter.purge()
      if (n > 0) o.logger.debug({ count: n }, 'purged expired rate-limit buckets')
    } catch (err) {
      o.logger.warn({ err: (err as Error).message }, 'could not purge rate-limit buckets')
    }
  }, config.limitsPurgeMs)
  purgeTimer.unref()

  return {
    isEnabled: true,
    limiter,
    rates,
    admitMessage (authorId, address, asksAi) {
      const { chatRate, aiRate, roomAiRate } = rates()
      const charges: Charge[] = [{ key: `chat:u:${authorId}`, rate: chatRate }]
      if (address !== null) charges.push({ key: `chat:a:${addressKey(address)}`, rate: chatRate })
      if (asksAi) {
        charges.push({ key: `ai:u:${authorId}`, rate: aiRate })
        if (address !== null) charges.push({ key: `ai:a:${addressKey(address)}`, rate: aiRate })
        charges.push({ key: 'ai:room', rate: roomAiRate })
      }
      const verdict = limiter.take(charges)
      if (!verdict.isAllowed) throw refusal(verdict.key, verdict.retryAfterMs)
      return { charges }
    },
    admitPollAnswer (userId, address) {
      const { chatRate } = rates()
      const charges: Charge[] = [{ key: `poll:u:${userId}`, rate: chatRate }]
      if (address !== null) charges.push({ key: `poll:a:${addressKey(address)}`, rate: chatRate })
      const verdict = limiter.take(charges)
      if (!verdict.isAllowed) {
        throw Errors.rateLimited(`You are answering too fast (at most ${chatRate.limit} answers per ${formatWindow(chatRate)}${verdict.key.startsWith('poll:a:') ? ' from one device' : ''}). Your answer was not saved. Please wait ${formatWait(verdict.retryAfterMs)}.`).with({ retryAfterMs: verdict.retryAfterMs })
      }
    },
    admitPhoto (userId, address) {
      const rate = config.photoRate
      const charges: Charge[] = [{ key: `photo:u:${userId}`, rate }]
      if (address !== null) charges.push({ key: `photo:a:${addressKey(address)}`, rate })
      const verdict = limiter.take(charges)
      if (!verdict.isAllowed) {
        throw Errors.rateLimited(`You can send at most ${rate.limit} photos per ${formatWindow(rate)}${verdict.key.startsWith('photo:a:') ? ' from one device' : ''}. This photo was not sent. Please wait ${formatWait(verdict.retryAfterMs)}.`).with({ retryAfterMs: verdict.retryAfterMs })
      }
    },
    refund (admission) {
      if (admission === null) return
      try {
        limiter.refund(admission.charges)
      } catch (err) {
        o.logger.warn({ err: (err as Error).message }, 'could not give back a rate-limit charge')
      }
    },
    reserveConnection: (address) => connections.reserve(addressKey(address)),
    releaseConnection: (address) => { connections.release(addressKey(address)) },
    roomFull: () => connections.count() >= config.maxConnections
      ? Errors.roomFull().with({ retryAfterMs: 10_000 })
      : null,
    frameGate () {
      const { limit, windowMs } = config.wsFrameRate
      const interval = windowMs / limit
      let tat = 0
      return () => {
        const t = now()
        const next = Math.max(tat, t) + interval
        if (next - t > windowMs + 1e-6) return Math.max(1, Math.ceil(next - t - windowMs))
        tat = next
        return 0
      }
    },
    joinRoute,
    close () { clearInterval(purgeTimer) }
  }

  function refusal (key: string, retryAfterMs: number): AppError {
    const wait = `Please wait ${formatWait(retryAfterMs)}.`
    const { chatRate, aiRate, roomAiRate } = rates()
    let message: string
    if (key === 'ai:room') {
      message = `The room has used its AI budget (${roomAiRate.limit} questions per ${formatWindow(roomAiRate)}). Your message was not sent. ${wait}`
    } else if (key.startsWith('ai:')) {
      message = `You can ask the AI at most ${aiRate.limit} questions per ${formatWindow(aiRate)}${key.startsWith('ai:a:') ? ' from one device' : ''}. Your message was not sent. ${wait}`
    } else {
      message = `You are sending messages too fast (at most ${chatRate.limit} per ${formatWindow(chatRate)}${key.startsWith('chat:a:') ? ' from one device' : ''}). Your message was not sent. ${wait}`
    }
    return Errors.rateLimited(message).with({ retryAfterMs })
  }
}

function formatWait (ms: number): string {
  const s = Math.max(1, Math.ceil(ms / 1000))
  return s < 120 ? `${s} s` : `${Math.ceil(s / 60)} min`
}

function formatWindow (rate: Rate): string {
  const s = rate.windowMs / 1000
  if (s >= 60 && s % 60 === 0) return s === 60 ? 'minute' : `${s / 60} minutes`
  return `${s} s`
}
