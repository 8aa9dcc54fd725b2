/**
 * WebSocket connection caps: per client address and in total. Counts live only as long as the
 * connections do, so memory is bounded by the caps themselves.
 */
import { AppError, Errors } from '../errors.js'

export interface ConnectionCounter {
  /** Takes a slot for `address`, or returns why not (429 for one address, 503 for the room). */
  reserve (address: string): AppError | null
  release (address: string): void
  count (address?: string): number
}

const RETRY_AFTER_MS = 10_000

/** Creates a counter with the given caps. */
export function createConnectionCounter (caps: { perAddress: number, total: number }): ConnectionCounter {
  const byAddress = new Map<string, number>()
  let total = 0
  return {
    reserve (address) {
      if (total >= caps.total) {
        return Errors.roomFull().with({ retryAfterMs: RETRY_AFTER_MS })
      }
      const n = byAddress.get(address) ?? 0
      if (n >= caps.perAddress) {
        return Errors.rateLimited(`Too many open connections from your device (at most ${caps.perAddress}). Close some tabs and try again.`).with({ retryAfterMs: RETRY_AFTER_MS })
      }
      byAddress.set(address, n + 1)
      total++
      return null
    },
    release (address) {
      const n = byAddress.get(address)
      if (n === undefined) return
      if (n <= 1) byAddress.delete(address)
      else byAddress.set(address, n - 1)
      total--
    },
    count: (address) => address === undefined ? total : byAddress.get(address) ?? 0
  }
}
