/**
 * A long answer on the projector reaches its end by itself, since nobody in the room can scroll
 * it: while it streams, the newest lines stay on the screen (the answer view follows them); once
 * written, an answer taller than the screen moves on a page at a time (PAGE_MS each, a line of
 * the last page kept at the top), holds its last page, then starts again from the top. The host's
 * keys (arrows, Page Up/Down) take over for PAUSE_MS.
 */
import { useEffect, type RefObject } from 'react'

export const PAGE_MS = 12_000
export const PAUSE_MS = 30_000
/** How much of a page the next page moves on: a line or two stay for context. */
const PAGE_STEP = 0.85

/** Where the next page starts (scrollTop), or null when the whole answer fits. */
export function nextPageTop (scrollTop: number, scrollHeight: number, clientHeight: number): number | null {
  const max = scrollHeight - clientHeight
  if (max <= 4) return null
  if (scrollTop >= max - 4) return 0
  return Math.min(max, scrollTop + Math.round(clientHeight * PAGE_STEP))
}

/** Pages `ref`'s element while the answer (`answerKey`) is written and not streaming. */
export function useAnswerPaging (ref: RefObject<HTMLElement | null>, isStreaming: boolean, answerKey: unknown): void {
  useEffect(() => {
    const el = ref.current
    if (el === null || isStreaming) return
    let pausedUntil = 0
    const onKey = (): void => { pausedUntil = Date.now() + PAUSE_MS }
    window.addEventListener('keydown', onKey)
    const timer = setInterval(() => {
      if (Date.now() < pausedUntil) return
      const top = nextPageTop(el.scrollTop, el.scrollHeight, el.clientHeight)
      if (top !== null) el.scrollTo({ top, behavior: 'smooth' })
    }, PAGE_MS)
    return () => {
      clearInterval(timer)
      window.removeEventListener('keydown', onKey)
    }
  }, [ref, isStreaming, answerKey])
}
