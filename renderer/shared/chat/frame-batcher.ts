/**
 * Socket frames arrive one task at a time; a busy room streams dozens of chunks a second. Handing
 * them to React together, at most every `minIntervalMs` and on a paint, keeps a cheap phone (and
 * the host console beside a busy room) responsive: ten answers streaming render ten times a second,
 * not sixty.
 */
import type { RoomFrame } from './frames.js'

const BACKSTOP_MS = 150
/** Default gap between two hand-overs: fast enough to read as live, slow enough for a cheap phone. */
export const MIN_INTERVAL_MS = 100

export interface FrameBatcher<F = RoomFrame> {
  push: (frame: F) => void
  flush: () => void
}

/** Collects frames and hands them over together on a later paint (or soon, in a hidden tab). */
export function createFrameBatcher<F = RoomFrame> (apply: (frames: F[]) => void, minIntervalMs = MIN_INTERVAL_MS): FrameBatcher<F> {
  let queue: F[] = []
  let isScheduled = false
  let lastFlushAt = -Infinity
  const timers: Array<ReturnType<typeof setTimeout>> = []
  const flush = (): void => {
    isScheduled = false
    for (const t of timers.splice(0)) clearTimeout(t)
    if (queue.length === 0) return
    const frames = queue
    queue = []
    lastFlushAt = Date.now()
    apply(frames)
  }
  const onPaint = (): void => {
    if (typeof requestAnimationFrame === 'function' && document.visibilityState !== 'hidden') requestAnimationFrame(flush)
    else flush()
  }
  return {
    push (frame) {
      queue.push(frame)
      if (isScheduled) return
      isScheduled = true
      const wait = Math.max(0, lastFlushAt + minIntervalMs - Date.now())
      if (wait === 0) onPaint()
      else timers.push(setTimeout(onPaint, wait))
      // Hidden tabs get no animation frames (a tab may hide after this is scheduled): a timer
      // backs the paint up, so state (and the unread title) stays current in the background.
      timers.push(setTimeout(flush, wait + BACKSTOP_MS))
    },
    flush
  }
}
