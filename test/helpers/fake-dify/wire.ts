/**
 * Byte-level pieces of the fake Dify: both JSON eras, SSE frames, a seeded PRNG and a writer that
 * splits what it sends at random byte offsets, as TCP does (mid-line, mid-UTF-8, several frames
 * per write).
 * @see /work/shared/dify-api.md §3.1 and §6.1–6.5
 */
import { once } from 'node:events'
import type { ServerResponse } from 'node:http'

/** `orjson`: compact, raw UTF-8 (Dify ≥ ~1.9). `legacy`: Python `json.dumps`, spaces and `\uXXXX`. */
export type Encoding = 'orjson' | 'legacy'

export const PING_FRAME = 'event: ping\n\n'

export function encodeJson (value: unknown, encoding: Encoding): string {
  return encoding === 'orjson' ? JSON.stringify(value) : pyDumps(value)
}

/** One SSE data frame, exactly as Dify writes it. */
export function dataFrame (payload: unknown, encoding: Encoding): string {
  return `data: ${encodeJson(payload, encoding)}\n\n`
}

/** Python's `json.dumps(value)` with its default separators and `ensure_ascii=True`. */
export function pyDumps (value: unknown): string {
  if (value === null || value === undefined) return 'null'
  if (typeof value === 'string') return pyString(value)
  if (typeof value === 'number' || typeof value === 'boolean') return JSON.stringify(value)
  if (Array.isArray(value)) return `[${value.map(pyDumps).join(', ')}]`
  if (typeof value === 'object') {
    const entries = Object.entries(value).filter(([, v]) => v !== undefined)
    return `{${entries.map(([k, v]) => `${pyString(k)}: ${pyDumps(v)}`).join(', ')}}`
  }
  return 'null'
}

const SHORT_ESCAPES: Record<string, string> = {
  '"': '\\"', '\\': '\\\\', '\n': '\\n', '\r': '\\r', '\t': '\\t', '\b': '\\b', '\f': '\\f'
}

function pyString (text: string): string {
  let out = '"'
  for (let i = 0; i < text.length; i++) {
    const ch = text[i] as string
    const code = text.charCodeAt(i)
    const short = SHORT_ESCAPES[ch]
    if (short !== undefined) out += short
    else if (code < 0x20 || code > 0x7e) out += `\\u${code.toString(16).padStart(4, '0')}`
    else out += ch
  }
  return `${out}"`
}

/** mulberry32: small, fast and good enough to make chunking reproducible from a seed. */
export function createRandom (seed: number): () => number {
  let state = seed >>> 0
  return () => {
    state = (state + 0x6d2b79f5) >>> 0
    let t = state
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

/**
 * Queues whole frames and writes them in random slices. A slice boundary can fall anywhere,
 * and the rest waits for the next `drip()`, so the client sees partial lines and partial
 * characters separated in time.
 */
export class ChunkedWriter {
  private pending: Buffer = Buffer.alloc(0)
  private writing: Promise<void> = Promise.resolve()
  private readonly res: ServerResponse
  private readonly random: () => number

  constructor (res: ServerResponse, random: () => number) {
    this.res = res
    this.random = random
  }

  get isWritable (): boolean {
    return !this.res.destroyed && !this.res.writableEnded
  }

  /** Queues text; always call with whole frames so later frames start on a boundary. */
  push (text: string): void {
    this.pending = Buffer.concat([this.pending, Buffer.from(text, 'utf8')])
  }

  /** Writes a random prefix of what is queued (sometimes nothing, so frames batch up). */
  async drip (): Promise<void> {
    await this.serially(async () => {
      const size = this.pending.length
      if (size === 0) return
      if (size < 16 * 1024 && this.random() < 0.2) return
      await this.writePieces(this.take(this.cutPoint(this.pending)))
    })
  }

  /** Writes everything queued, still in random pieces. */
  async flush (): Promise<void> {
    await this.serially(async () => { await this.writePieces(this.take(this.pending.length)) })
  }

  /** Writes part of what is queued, then kills the socket without the chunked terminator. */
  async cut (): Promise<void> {
    await this.serially(async () => {
      const part = this.take(Math.max(1, Math.floor(this.pending.length * (0.2 + this.random() * 0.6))))
      this.pending = Buffer.alloc(0)
      await this.writePieces(part)
      await new Promise((resolve) => setTimeout(resolve, 5))
      this.res.socket?.destroy()
    })
  }

  /** Where to split `bytes`: everything, anywhere, or (often) inside a multi-byte character. */
  private cutPoint (bytes: Buffer): number {
    const roll = this.random()
    if (roll < 0.3) return bytes.length
    if (roll < 0.6) {
      const inside: number[] = []
      for (let i = 1; i < bytes.length; i++) if (((bytes[i] ?? 0) & 0xc0) === 0x80) inside.push(i)
      const at = inside[Math.floor(this.random() * inside.length)]
      if (at !== undefined) return at
    }
    return 1 + Math.floor(this.random() * bytes.length)
  }

  private take (size: number): Buffer {
    const head = this.pending.subarray(0, size)
    this.pending = this.pending.subarray(size)
    return head
  }

  /** Writes never interleave (the ping clock and the scenario both write). */
  private async serially (job: () => Promise<void>): Promise<void> {
    const run = this.writing.then(job)
    this.writing = run.catch(() => {})
    await run
  }

  private async writePieces (bytes: Buffer): Promise<void> {
    let rest = bytes
    while (rest.length > 0 && this.isWritable) {
      const take = this.random() < 0.5 ? rest.length : this.cutPoint(rest)
      const piece = rest.subarray(0, take)
      rest = rest.subarray(take)
      if (!this.res.write(piece)) {
        await Promise.race([once(this.res, 'drain'), once(this.res, 'close')])
      }
      // A turn of the event loop so consecutive pieces tend to leave as separate TCP segments.
      if (rest.length > 0) await new Promise((resolve) => setImmediate(resolve))
    }
  }
}
