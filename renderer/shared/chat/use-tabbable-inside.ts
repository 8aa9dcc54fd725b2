/** A message's own controls join the Tab order only while that message has focus (the list is one Tab stop). */
import { useEffect, type RefObject } from 'react'

/**
 * The answer's own controls (a code block's Copy, the sources toggle) follow the message's Tab
 * rule too; they are rendered later by the Markdown view, so new ones are caught as they appear.
 */
export function useTabbableInside (ref: RefObject<HTMLElement | null>, isTabbable: boolean): void {
  useEffect(() => {
    const root = ref.current
    if (!root) return
    const apply = (): void => {
      for (const el of root.querySelectorAll<HTMLElement>('button, summary, a[href]')) {
        const wanted = isTabbable ? 0 : -1
        if (el.tabIndex !== wanted) el.tabIndex = wanted
      }
    }
    apply()
    if (typeof MutationObserver === 'undefined') return
    const observer = new MutationObserver(apply)
    observer.observe(root, { childList: true, subtree: true })
    return () => observer.disconnect()
  }, [ref, isTabbable])
}
