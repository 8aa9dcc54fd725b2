/**
 * Tells screen readers, politely, about new messages from others and about each AI answer once,
 * when it is finished (never token by token: the list itself is not a live region).
 */
import { useEffect, useRef } from 'react'
import { isTerminal, type ChatEntry } from '../../shared/chat/chat-state.js'
import { truncate } from '../../shared/format.js'
import { useT, type Messages } from '../../shared/i18n/index.js'

/** Only the newest entries can be news; older ones were there or were loaded as history. */
const LOOK_BACK = 40

export function LiveAnnouncer ({ entries, selfId }: { entries: ChatEntry[], selfId: number }) {
  const t = useT()
  const said = useRef<Set<string> | null>(null)
  const regionRef = useRef<HTMLDivElement>(null)

  useEffect(() => {
    if (said.current === null) {
      // Whatever was there when the page opened is not news (an answer still streaming will be).
      said.current = new Set(entries.filter(e => e.kind === 'user' || isTerminal(e.status)).map(e => e.key))
      return
    }
    const seen = said.current
    const news: string[] = []
    for (let i = Math.max(0, entries.length - LOOK_BACK); i < entries.length; i++) {
      const entry = entries[i]!
      if (seen.has(entry.key)) continue
      if (entry.kind === 'ai' && !isTerminal(entry.status)) continue
      seen.add(entry.key)
      const line = announcement(entry, selfId, t)
      if (line) news.push(line)
    }
    // Written straight into the live region: a render per message would only repeat this.
    if (news.length > 0 && regionRef.current) regionRef.current.textContent = news.slice(-3).join('\n')
  }, [entries, selfId, t])

  return <div ref={regionRef} className='visually-hidden' aria-live='polite' aria-atomic='true' />
}

function announcement (entry: ChatEntry, selfId: number, t: Messages): string {
  if (entry.isHidden) return ''
  if (entry.kind === 'user') return entry.fromUserId === selfId ? '' : `${entry.fromUser}: ${truncate(entry.content, 200)}`
  return t.ai.announce(truncate(entry.content, 300))
}
