/**
 * Token markers: every fake-Dify token carries `⟦<answer>.<token>@<sentMs>|<askedMs>⟧`, so a
 * participant can tell, from bytes alone, which token of which answer arrived, when it was sent and
 * when its question was asked. Scanning works on the raw frame (no JSON parse per frame).
 */
export const OPEN = Buffer.from('⟦', 'utf8')
const CLOSE_LAST = Buffer.from('⟧', 'utf8').at(-1)!

/** A wall clock with sub-millisecond resolution, comparable across processes on one machine. */
export function nowMs (): number {
  return performance.timeOrigin + performance.now()
}

/** The marker text of one token. */
export function marker (answer: number, token: number, sentMs: number, askedMs: number): string {
  return `⟦${answer}.${token}@${sentMs.toFixed(2)}|${askedMs.toFixed(2)}⟧`
}

export interface Mark { answer: number, token: number, sentMs: number, askedMs: number }

/**
 * Calls `fn` for each marker in `buf[from..]`, in order; returns how many it saw.
 * The numbers are parsed straight from the bytes.
 */
export function scanMarkers (buf: Buffer, from: number, fn: (answer: number, token: number, sentMs: number, askedMs: number) => void): number {
  let count = 0
  let i = buf.indexOf(OPEN, from)
  while (i >= 0) {
    let p = i + OPEN.length
    let answer = 0
    let c = buf[p]!
    while (c >= 48 && c <= 57) { answer = answer * 10 + c - 48; c = buf[++p]! }
    p++ // '.'
    let token = 0
    c = buf[p]!
    while (c >= 48 && c <= 57) { token = token * 10 + c - 48; c = buf[++p]! }
    p++ // '@'
    const sent = readDecimal(buf, p)
    p = sent.end + 1 // '|'
    const asked = readDecimal(buf, p)
    p = asked.end
    fn(answer, token, sent.value, asked.value)
    count++
    // p sits on the closing bracket's first byte
    while (p < buf.length && buf[p] !== CLOSE_LAST) p++
    i = buf.indexOf(OPEN, p)
  }
  return count
}

function readDecimal (buf: Buffer, p: number): { value: number, end: number } {
  let int = 0
  let c = buf[p]!
  while (c >= 48 && c <= 57) { int = int * 10 + c - 48; c = buf[++p]! }
  let frac = 0
  let scale = 1
  if (c === 46) {
    c = buf[++p]!
    while (c >= 48 && c <= 57) { frac = frac * 10 + c - 48; scale *= 10; c = buf[++p]! }
  }
  return { value: int + frac / scale, end: p }
}

/** The integer after `key` (e.g. `"seq":`) in a frame, or -1. */
export function readIntAfter (buf: Buffer, key: Buffer): number {
  const i = buf.indexOf(key)
  if (i < 0) return -1
  let p = i + key.length
  let n = 0
  let c = buf[p]!
  if (c < 48 || c > 57) return -1
  while (c >= 48 && c <= 57) { n = n * 10 + c - 48; c = buf[++p]! }
  return n
}
