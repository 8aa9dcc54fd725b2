/**
 * The host's limit on one AI answer, in characters (Unicode code points, as chat messages count
 * them). A runaway answer (megabytes from a looping model) would otherwise be stored whole, sent
 * to every socket, replayed to each newcomer and exported; the reply keeps its first `limit`
 * characters and stops there. Counting is per delta, so a long answer costs no more than a short one.
 */
import { codePointLength } from '../../protocol/index.js'

/** The cap of one answer as it streams. */
export interface AnswerCap {
  /** The limit this answer is held to (the setting when it started). */
  readonly limit: number
  /** True once text was left out: the answer holds its first `limit` characters and must stop. */
  readonly isCut: boolean
  /** The part of `delta` that fits (all of it, a prefix, or ''). */
  append (delta: string): string
  /** The whole answer replaced (Dify's message_replace): the part of `text` that fits. */
  replace (text: string): string
}

/** Starts the count of one answer held to `limit` characters. */
export function createAnswerCap (limit: number): AnswerCap {
  let count = 0
  let isCut = false
  function take (text: string): string {
    const room = limit - count
    const kept = clipToChars(text, room)
    if (kept === text) {
      count += codePointLength(text)
      return text
    }
    // clipToChars keeps exactly `room` characters when the text holds more.
    count = limit
    isCut = true
    return kept
  }
  return {
    limit,
    get isCut () { return isCut },
    append (delta) { return isCut ? '' : take(delta) },
    replace (text) {
      count = 0
      isCut = false
      return take(text)
    }
  }
}

/** The first `limit` characters of `text` (never half of a surrogate pair); `text` itself when it fits. */
export function clipToChars (text: string, limit: number): string {
  // A string of at most `limit` UTF-16 units holds at most `limit` characters.
  if (text.length <= limit) return text
  if (limit <= 0) return ''
  let chars = 0
  for (let i = 0; i < text.length; i++) {
    if (chars === limit) return text.slice(0, i)
    if (isHighSurrogate(text.charCodeAt(i)) && isLowSurrogate(text.charCodeAt(i + 1))) i++
    chars++
  }
  return text
}

function isHighSurrogate (code: number): boolean { return code >= 0xd800 && code <= 0xdbff }
function isLowSurrogate (code: number): boolean { return code >= 0xdc00 && code <= 0xdfff }
