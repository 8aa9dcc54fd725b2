/**
 * HTTP rate limits with @fastify/rate-limit, its counts kept in our SQLite-backed limiter (so they
 * survive a restart and need no memory per client): every participant API request per address,
 * and joins per address (route config `rateLimit: limits.joinRoute`). Admin routes, pages and
 * /healthz are not limited. Refusals are 429 ERR_RATE_LIMITED with Retry-After. When the database
 * is locked or full, requests pass unlimited (reads keep working; writes fail on their own, clearly).
 * @see https://github.com/fastify/fastify-rate-limit#custom-store
 */
import type { FastifyInstance } from 'fastify'
import rateLimit, { type FastifyRateLimitStore, type FastifyRateLimitStoreCtor } from '@fastify/rate-limit'
import { Errors } from '../errors.js'
import { addressKey, type Limits, type RateLimiter } from '../limits/index.js'

/** Registers @fastify/rate-limit when limits are on; must run before the routes are registered. */
export async function registerRateLimit (app: FastifyInstance, limits: Limits): Promise<void> {
  if (!limits.isEnabled) return
  const { config } = app.services
  await app.register(rateLimit, {
    global: true,
    max: config.httpRate.limit,
    timeWindow: config.httpRate.windowMs,
    store: limiterStore(limits.limiter, (err) => { app.log.warn({ err: err.message }, 'rate limits skipped: their storage failed') }),
    skipOnError: true,
    keyGenerator: (request) => `http:a:${addressKey(request.ip)}`,
    allowList: (request) => !request.url.startsWith('/api/') || request.url.startsWith('/api/admin/'),
    errorResponseBuilder: (_request, context) => Errors.rateLimited(`Too many requests from your device. Please wait ${Math.max(1, Math.ceil(context.ttl / 1000))} s.`).with({ retryAfterMs: context.ttl })
  })
}

/** A @fastify/rate-limit store class over the limiter: `current > max` means refused, `ttl` how long. */
function limiterStore (limiter: RateLimiter, onError: (err: Error) => void): FastifyRateLimitStoreCtor {
  return class LimiterStore implements FastifyRateLimitStore {
    incr (key: string, callback: (err: Error | null, result?: { current: number, ttl: number }) => void, timeWindow: number, max: number): void {
      let verdict
      try {
        verdict = limiter.take([{ key, rate: { limit: Math.max(1, max), windowMs: Math.max(1, timeWindow) } }])
      } catch (err) {
        onError(err as Error)
        callback(err as Error)
        return
      }
      if (verdict.isAllowed) callback(null, { current: max - verdict.remaining, ttl: verdict.resetMs })
      else callback(null, { current: max + 1, ttl: verdict.retryAfterMs })
    }

    child (): this { return this }
  }
}
