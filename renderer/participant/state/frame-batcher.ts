/**
 * Socket frames arrive one task at a time; a busy room streams dozens of chunks a second. Handing
 * them to React once per paint keeps a cheap phone responsive.
 */
import type { RoomFrame } from '../../shared/chat/frames.js'

const BACKSTOP_MS = 150

export interface FrameBatcher {
  push: (frame: RoomFrame) => void
  flush: () => void
}

/** Collects frames and hands them over together on the next paint (or soon, in a hidden tab). */
export function createFrameBatcher (apply: (frames: RoomFrame[]) => void): FrameBatcher {
  let queue: RoomFrame[] = []
  let isScheduled = false
  const flush = (): void => {
    isScheduled = false
    if (queue.length === 0) return
    const frames = queue
    queue = []
    apply(frames)
  }
  return {
    push (frame) {
      queue.push(frame)
      if (isScheduled) return
      isScheduled = true
      // Hidden tabs get no animation frames (a tab may hide after this is scheduled): a timer
      // backs the paint up, so state (and the unread title) stays current in the background.
      if (typeof requestAnimationFrame === 'function' && document.visibilityState !== 'hidden') requestAnimationFrame(flush)
      setTimeout(flush, BACKSTOP_MS)
    },
    flush
  }
}
