/**
 * Reconnect delays: exponential with "equal jitter", so a room full of phones that lost the Wi-Fi
 * together does not come back in one burst.
 * @see https://aws.amazon.com/blogs/architecture/exponential-backoff-and-jitter/
 */
export interface BackoffOptions {
  baseMs: number
  maxMs: number
}

export const DEFAULT_BACKOFF: BackoffOptions = { baseMs: 500, maxMs: 15_000 }

/** Delay before reconnect attempt `attempt` (0-based): between half and all of the capped exponential. */
export function backoffDelay (attempt: number, random: () => number = Math.random, options = DEFAULT_BACKOFF): number {
  const ceiling = Math.min(options.maxMs, options.baseMs * 2 ** Math.min(attempt, 20))
  return Math.round(ceiling / 2 + random() * ceiling / 2)
}
