/**
 * Keeps a scrolling list pinned to its newest item, but only while the reader is already at the
 * bottom; otherwise it counts what arrived so the page can offer a "new messages" pill.
 */
import { useCallback, useEffect, useLayoutEffect, useRef, useState, type RefObject } from 'react'

const BOTTOM_SLACK_PX = 32

export interface StickToBottom {
  isAtBottom: boolean
  unseen: number
  onScroll: () => void
  scrollToBottom: (smooth?: boolean) => void
}

export function useStickToBottom (
  scrollRef: RefObject<HTMLElement | null>,
  contentRef: RefObject<HTMLElement | null>,
  itemCount: number,
  /** Key of the newest item: only growth at the bottom counts as unseen (not older history). */
  newestKey: string | null
): StickToBottom {
  const isAtBottomRef = useRef(true)
  const [isAtBottom, setIsAtBottom] = useState(true)
  const [unseen, setUnseen] = useState(0)
  const previous = useRef({ count: itemCount, newestKey })

  const pin = useCallback(() => {
    const el = scrollRef.current
    if (el && isAtBottomRef.current) el.scrollTop = el.scrollHeight
  }, [scrollRef])

  const onScroll = useCallback(() => {
    const el = scrollRef.current
    if (!el) return
    const atBottom = el.scrollHeight - el.scrollTop - el.clientHeight <= BOTTOM_SLACK_PX
    isAtBottomRef.current = atBottom
    setIsAtBottom(atBottom)
    if (atBottom) setUnseen(0)
  }, [scrollRef])

  const scrollToBottom = useCallback((smooth = false) => {
    const el = scrollRef.current
    isAtBottomRef.current = true
    setIsAtBottom(true)
    setUnseen(0)
    if (!el) return
    if (smooth && typeof el.scrollTo === 'function') el.scrollTo({ top: el.scrollHeight, behavior: 'smooth' })
    else el.scrollTop = el.scrollHeight
  }, [scrollRef])

  // Every render may have grown the list (a new message, a streamed chunk): follow it if pinned.
  useLayoutEffect(pin)

  useEffect(() => {
    const before = previous.current
    previous.current = { count: itemCount, newestKey }
    if (newestKey === before.newestKey || isAtBottomRef.current) return
    const added = Math.max(1, itemCount - before.count)
    setUnseen(n => n + added)
  }, [itemCount, newestKey])

  // Height also changes without a render of ours (lazy Markdown, highlighting, fonts, keyboard).
  useEffect(() => {
    const content = contentRef.current
    const scroller = scrollRef.current
    if (!content || !scroller || typeof ResizeObserver === 'undefined') return
    const observer = new ResizeObserver(pin)
    observer.observe(content)
    observer.observe(scroller)
    return () => observer.disconnect()
  }, [contentRef, scrollRef, pin])

  return { isAtBottom, unseen, onScroll, scrollToBottom }
}
