/**
 * The rate-limit arithmetic: GCRA, the "generic cell rate algorithm", which is a token bucket kept as
 * one number per bucket (the time at which the bucket is full again). `limit` events are allowed at
 * once, then one every `windowMs / limit`; a refused event changes nothing.
 * @see https://en.wikipedia.org/wiki/Generic_cell_rate_algorithm
 */

export interface Rate {
  limit: number
  windowMs: number
}

/** One bucket to charge: `cost` events (default 1) against `rate`. */
export interface Charge {
  key: string
  rate: Rate
  cost?: number
}

export type Verdict =
  | { isAllowed: true, remaining: number, resetMs: number }
  | { isAllowed: false, retryAfterMs: number, key: string }

// Float slack, so that `limit` events of `windowMs / limit` each fit in exactly `windowMs`.
const EPSILON_MS = 1e-6

/** Charges every bucket or none: the verdict, and the new times to store when allowed. */
export function take (charges: readonly Charge[], tats: ReadonlyMap<string, number>, now: number): { writes: Map<string, number>, result: Verdict } {
  const writes = new Map<string, number>()
  let refusal: { retryAfterMs: number, key: string } | null = null
  let remaining = Number.POSITIVE_INFINITY
  let resetMs = 0
  for (const charge of charges) {
    const { limit, windowMs } = charge.rate
    const interval = windowMs / limit
    const base = Math.max(writes.get(charge.key) ?? tats.get(charge.key) ?? now, now)
    const tat = base + interval * (charge.cost ?? 1)
    const ahead = tat - now
    if (ahead > windowMs + EPSILON_MS) {
      const wait = Math.max(1, Math.ceil(ahead - windowMs))
      if (refusal === null || wait > refusal.retryAfterMs) refusal = { retryAfterMs: wait, key: charge.key }
      continue
    }
    writes.set(charge.key, tat)
    remaining = Math.min(remaining, Math.floor((windowMs - ahead) / interval + EPSILON_MS))
    resetMs = Math.max(resetMs, ahead)
  }
  if (refusal !== null) return { writes: new Map(), result: { isAllowed: false, ...refusal } }
  return { writes, result: { isAllowed: true, remaining: Number.isFinite(remaining) ? remaining : 0, resetMs: Math.ceil(resetMs) } }
}

/** Gives back charges that were taken (the times move back; a bucket never holds more than its limit). */
export function refund (charges: readonly Charge[], tats: ReadonlyMap<string, number>): Map<string, number> {
  const writes = new Map<string, number>()
  for (const charge of charges) {
    const tat = writes.get(charge.key) ?? tats.get(charge.key)
    if (tat === undefined) continue
    writes.set(charge.key, tat - (charge.rate.windowMs / charge.rate.limit) * (charge.cost ?? 1))
  }
  return writes
}
