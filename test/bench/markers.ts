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

// ⟦ is E2 9F A6 in UTF-8 and ⟧ is E2 9F A7: a byte loop finds them faster than Buffer#indexOf,
// whose native call costs more than the ~45 bytes between two markers.
const B0 = OPEN[0]!
const B1 = OPEN[1]!
const B2 = OPEN[2]!

/**
 * Calls `fn` for each marker in `buf[from..]`, in order; returns how many it saw. The numbers are
 * parsed straight from the bytes. With `withTimes` false the two times are skipped (passed as 0).
 */
export function scanMarkers (buf: Buffer, from: number, fn: (answer: number, token: number, sentMs: number, askedMs: number) => void, withTimes = true): number {
  let count = 0
  const n = buf.length - 2
  let i = from
  while (i < n) {
    if (buf[i] !== B0 || buf[i + 1] !== B1 || buf[i + 2] !== B2) { i++; continue }
    let p = i + 3
    let answer = 0
    let c = buf[p]!
    while (c >= 48 && c <= 57) { answer = answer * 10 + c - 48; c = buf[++p]! }
    p++ // '.'
    let token = 0
    c = buf[p]!
    while (c >= 48 && c <= 57) { token = token * 10 + c - 48; c = buf[++p]! }
    p++ // '@'
    let sent = 0
    let asked = 0
    if (withTimes) {
      p = readDecimal(buf, p)
      sent = decimal
      p = readDecimal(buf, p + 1) // after '|'
      asked = decimal
    }
    fn(answer, token, sent, asked)
    count++
    // on to the closing bracket (E2 9F A7), then past it
    while (p < n && !(buf[p] === B0 && buf[p + 1] === B1 && buf[p + 2] === CLOSE_LAST)) p++
    i = p + 3
  }
  return count
}

/** The value of the last readDecimal (a module variable: no object per call on the hot path). */
let decimal = 0

/** Reads a decimal number at `p` into `decimal`; returns the index after it. */
function readDecimal (buf: Buffer, p: number): number {
  let int = 0
  let c = buf[p]!
  while (c >= 48 && c <= 57) { int = int * 10 + c - 48; c = buf[++p]! }
  let frac = 0
  let scale = 1
  if (c === 46) {
    c = buf[++p]!
    while (c >= 48 && c <= 57) { frac = frac * 10 + c - 48; scale *= 10; c = buf[++p]! }
  }
  decimal = int + frac / scale
  return p
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
