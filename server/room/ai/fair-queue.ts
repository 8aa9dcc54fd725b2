/**
 * The fair queue of questions waiting for the AI: one queue per asker, served round-robin, so a
 * participant who asks ten questions waits behind each other asker's first, not in front of them.
 */

export interface FairQueue<T> {
  readonly size: number
  push (item: T): void
  /** The next item in fair order (the asker at the head of the rotation), or undefined. */
  shift (): T | undefined
  /** Takes a waiting item out (stopped before it ran); false when it is not queued. */
  remove (item: T): boolean
  /** Every waiting item in the order `shift` would serve them. */
  order (): T[]
}

/** A fair queue keyed by `askerOf`. */
export function createFairQueue<T> (askerOf: (item: T) => number): FairQueue<T> {
  const queues = new Map<number, T[]>()
  /** askers with something waiting, the next to be served first */
  const rotation: number[] = []
  let size = 0

  return {
    get size () { return size },
    push (item) {
      const asker = askerOf(item)
      let q = queues.get(asker)
      if (q === undefined) { q = []; queues.set(asker, q); rotation.push(asker) }
      q.push(item)
      size++
    },
    shift () {
      const asker = rotation.shift()
      if (asker === undefined) return undefined
      const q = queues.get(asker)!
      const item = q.shift()!
      size--
      if (q.length > 0) rotation.push(asker)
      else queues.delete(asker)
      return item
    },
    remove (item) {
      const asker = askerOf(item)
      const q = queues.get(asker)
      const i = q?.indexOf(item) ?? -1
      if (q === undefined || i < 0) return false
      q.splice(i, 1)
      size--
      if (q.length === 0) {
        queues.delete(asker)
        rotation.splice(rotation.indexOf(asker), 1)
      }
      return true
    },
    order () {
      const cursors = rotation.map(a => ({ q: queues.get(a)!, i: 0 }))
      const out: T[] = []
      while (out.length < size) {
        for (const c of cursors) {
          const item = c.q[c.i]
          if (item === undefined) continue
          c.i++
          out.push(item)
        }
      }
      return out
    }
  }
}
