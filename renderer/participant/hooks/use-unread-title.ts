/** While the tab is in the background, counts new messages from others in its title: "(3) Room". */
import { useEffect, useRef } from 'react'
import type { ChatEntry } from '../../shared/chat/chat-state.js'

export function useUnreadTitle (baseTitle: string, entries: ChatEntry[], selfId: number): void {
  const unread = useRef(0)
  const lastKey = useRef<string | null>(entries.at(-1)?.key ?? null)

  useEffect(() => {
    const last = entries.at(-1)
    if (!last || last.key === lastKey.current) return
    if (lastKey.current === null) {
      // The history that was there when the page opened is not news.
      lastKey.current = last.key
      return
    }
    // Count what arrived after the newest entry we already looked at.
    let i = entries.length - 1
    let added = 0
    while (i >= 0 && entries[i]!.key !== lastKey.current) {
      const e = entries[i]!
      if (e.kind === 'ai' || e.fromUserId !== selfId) added++
      i--
    }
    lastKey.current = last.key
    if (document.visibilityState !== 'hidden') return
    unread.current += added
    document.title = `(${unread.current}) ${baseTitle}`
  }, [entries, selfId, baseTitle])

  useEffect(() => {
    const onVisible = (): void => {
      if (document.visibilityState === 'hidden') return
      unread.current = 0
      document.title = baseTitle
    }
    document.title = baseTitle
    document.addEventListener('visibilitychange', onVisible)
    return () => document.removeEventListener('visibilitychange', onVisible)
  }, [baseTitle])
}
