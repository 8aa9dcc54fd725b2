/**
 * Write before you show: the answer text queued for sockets but not yet saved. The hub hands it to
 * the write-ahead hook (one SQLite transaction for every answer that moved) before it writes any
 * socket, so a participant never sees text that a crash could lose.
 *
 * Epochs: text appended while epoch `e` is current is saved by save `e`; an outbox entry stamped
 * with `e` may be written once `savedThrough >= e`.
 */

/** The unsaved text of one answer: append it, or (after a moderation replace) set it. */
export interface AnswerWrite {
  id: number
  text: string
  isReplace: boolean
}

/** Saves the writes (one transaction); throws when nothing was saved. */
export type WriteAheadHook = (writes: readonly AnswerWrite[]) => void

export interface WriteAheadLedger {
  /** answers with unsaved text */
  readonly size: number
  /** the epoch that the unsaved text belongs to (-1 when nothing is unsaved: already writable) */
  readonly stamp: number
  /** the newest epoch that is saved */
  readonly savedThrough: number
  append (id: number, text: string): void
  replace (id: number, text: string): void
  /** Saves everything unsaved through `hook`; false (and nothing lost) when the hook throws. */
  save (hook: WriteAheadHook | null): boolean
}

/** Creates an empty ledger. */
export function createWriteAheadLedger (): WriteAheadLedger {
  let unsaved = new Map<number, AnswerWrite>()
  let epoch = 0
  let savedThrough = -1
  return {
    get size () { return unsaved.size },
    get stamp () { return unsaved.size === 0 ? -1 : epoch },
    get savedThrough () { return savedThrough },
    append (id, text) {
      const w = unsaved.get(id)
      if (w === undefined) unsaved.set(id, { id, text, isReplace: false })
      else w.text += text
    },
    replace (id, text) {
      unsaved.set(id, { id, text, isReplace: true })
    },
    save (hook) {
      if (unsaved.size === 0) return true
      const writes = [...unsaved.values()]
      if (hook !== null) {
        // Taken before the call: the hook may not append, but nothing it does can be lost either.
        const taken = unsaved
        unsaved = new Map()
        try {
          hook(writes)
        } catch {
          unsaved = mergeBack(taken, unsaved)
          return false
        }
      } else {
        unsaved.clear()
      }
      savedThrough = epoch
      epoch++
      return true
    }
  }
}

/** Older unsaved writes followed by newer ones, per answer. */
function mergeBack (older: Map<number, AnswerWrite>, newer: Map<number, AnswerWrite>): Map<number, AnswerWrite> {
  for (const [id, n] of newer) {
    const o = older.get(id)
    if (o === undefined || n.isReplace) older.set(id, n)
    else o.text += n.text
  }
  return older
}
