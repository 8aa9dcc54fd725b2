/**
 * A fixed-bucket latency histogram (0.1 ms buckets to 100 ms, then 1 ms to 120 s) that several
 * generator processes fill and the coordinator merges; quantiles are read from the buckets.
 */
const FINE = 1000 // 0.1 ms buckets covering [0, 100) ms
const COARSE = 119_900 // 1 ms buckets covering [100, 120000) ms
export const BUCKETS = FINE + COARSE + 1

export class Histogram {
  readonly counts: Uint32Array
  count = 0
  sum = 0
  max = 0

  constructor (counts?: ArrayLike<number>) {
    this.counts = new Uint32Array(BUCKETS)
    if (counts !== undefined) this.counts.set(counts)
  }

  add (ms: number): void {
    const v = ms < 0 ? 0 : ms
    const i = v < 100 ? Math.floor(v * 10) : Math.min(FINE + Math.floor(v - 100), BUCKETS - 1)
    this.counts[i]!++
    this.count++
    this.sum += v
    if (v > this.max) this.max = v
  }

  merge (o: SerializedHistogram): void {
    for (const [i, n] of o.sparse) this.counts[i]! += n
    this.count += o.count
    this.sum += o.sum
    if (o.max > this.max) this.max = o.max
  }

  /** The value at quantile q (upper edge of its bucket), ms. */
  quantile (q: number): number {
    if (this.count === 0) return NaN
    const rank = Math.ceil(q * this.count)
    let seen = 0
    for (let i = 0; i < BUCKETS; i++) {
      seen += this.counts[i]!
      if (seen >= rank) return Math.min(i < FINE ? (i + 1) / 10 : 100 + (i - FINE + 1), this.max)
    }
    return this.max
  }

  serialize (): SerializedHistogram {
    const sparse: Array<[number, number]> = []
    for (let i = 0; i < BUCKETS; i++) if (this.counts[i] !== 0) sparse.push([i, this.counts[i]!])
    return { sparse, count: this.count, sum: this.sum, max: this.max }
  }

  summary (): { n: number, p50: number, p95: number, p99: number, max: number, mean: number } {
    return { n: this.count, p50: r(this.quantile(0.5)), p95: r(this.quantile(0.95)), p99: r(this.quantile(0.99)), max: r(this.max), mean: r(this.count === 0 ? NaN : this.sum / this.count) }
  }
}

export interface SerializedHistogram { sparse: Array<[number, number]>, count: number, sum: number, max: number }

/** Median of a list of numbers (NaN when empty). */
export function median (values: number[]): number {
  const v = values.filter(x => Number.isFinite(x)).sort((a, b) => a - b)
  if (v.length === 0) return NaN
  const m = Math.floor(v.length / 2)
  return v.length % 2 === 1 ? v[m]! : (v[m - 1]! + v[m]!) / 2
}

function r (x: number): number {
  return Math.round(x * 10) / 10
}
