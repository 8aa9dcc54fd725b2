/**
 * AI delta coalescing: the deltas of one answer that arrive between two flushes become one
 * `ai_message_chunk` frame, and a run of chunk frames a socket has not had yet is merged again per
 * answer when it is written (a group written late in a cycle gets as few frames as one written first).
 */
import { encodeJsonFrame } from './ws-frame.js'

/** Deltas of one answer waiting for a frame. */
export interface PendingChunk {
  id: number
  replyTo: number
  conversationId: string
  text: string
  /** streams to admin sockets only (an answer held for the host's review) */
  isAdminOnly: boolean
}

export interface DeltaCoalescer {
  /** answers with text waiting */
  readonly size: number
  append (chunk: PendingChunk): void
  /** Text of answer `id` waiting for a frame. */
  pendingText (id: number): string
  /** The waiting chunks, one per answer (and audience), in the order the answers first moved; clears them. */
  drain (): PendingChunk[]
}

/** Creates an empty coalescer. */
export function createDeltaCoalescer (): DeltaCoalescer {
  // Keyed by answer and audience: an answer released from review must not merge with its held text.
  const pending = new Map<number, PendingChunk>()
  const keyOf = (id: number, isAdminOnly: boolean): number => id * 2 + (isAdminOnly ? 1 : 0)
  return {
    get size () { return pending.size },
    append (chunk) {
      const key = keyOf(chunk.id, chunk.isAdminOnly)
      const c = pending.get(key)
      if (c === undefined) pending.set(key, { ...chunk })
      else { c.text += chunk.text; c.conversationId = chunk.conversationId }
    },
    pendingText (id) {
      return (pending.get(keyOf(id, false))?.text ?? '') + (pending.get(keyOf(id, true))?.text ?? '')
    },
    drain () {
      const out = [...pending.values()]
      pending.clear()
      return out
    }
  }
}

/** The wire frame of a chunk; one held for review says so (`review: true`, CONTRACT.md). */
export function encodeChunk (c: PendingChunk, now: number): Buffer {
  const frame: Record<string, unknown> = { type: 'ai_message_chunk', id: c.id, reply_to: c.replyTo, content: c.text, conversation_id: c.conversationId, timestamp: now }
  if (c.isAdminOnly) frame.review = true
  return encodeJsonFrame(frame)
}

/**
 * One frame per answer for a run of consecutive chunk frames (in the order the answers first
 * appear); a chunk alone in the run keeps its already encoded bytes.
 */
export function mergeChunkRun (run: ReadonlyArray<{ buf: Buffer, chunk: PendingChunk }>, now: number): Buffer[] {
  if (run.length === 1) return [run[0]!.buf]
  const byAnswer = new Map<number, { first: Buffer, count: number, merged: PendingChunk }>()
  for (const e of run) {
    const key = e.chunk.id * 2 + (e.chunk.isAdminOnly ? 1 : 0)
    const m = byAnswer.get(key)
    if (m === undefined) byAnswer.set(key, { first: e.buf, count: 1, merged: { ...e.chunk } })
    else { m.count++; m.merged.text += e.chunk.text; m.merged.conversationId = e.chunk.conversationId }
  }
  const parts: Buffer[] = []
  for (const m of byAnswer.values()) parts.push(m.count === 1 ? m.first : encodeChunk(m.merged, now))
  return parts
}
