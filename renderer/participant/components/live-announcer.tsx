/**
 * Tells screen readers, politely, about new messages from others and about each AI answer once,
 * when it is finished (never token by token: the list itself is not a live region).
 */
import { useEffect, useRef } from 'react'
import { isNameless, isTerminal, type ChatEntry } from '../../shared/chat/chat-state.js'
import { truncate } from '../../shared/format.js'
import { useT, type Messages } from '../../shared/i18n/index.js'

interface LiveAnnouncerProps {
  entries: ChatEntry[]
  selfId: number
  /** The newest seq of the history the page opened with (null while it loads): older is not news. */
  openedAtSeq: number | null
}

/** Only the newest entries can be news; older ones were there or were loaded as history. */
const LOOK_BACK = 40

export function LiveAnnouncer ({ entries, selfId, openedAtSeq }: LiveAnnouncerProps) {
  const t = useT()
  const regionRef = useRef<HTMLDivElement>(null)
  /** Entries already announced or known to be old. */
  const done = useRef(new Set<string>())
  /** Answers seen while they were still being written: news once they end. */
  const live = useRef(new Set<string>())

  useEffect(() => {
    if (openedAtSeq === null) return
    const news: string[] = []
    for (let i = Math.max(0, entries.length - LOOK_BACK); i < entries.length; i++) {
      const entry = entries[i]!
      const key = entry.key
      if (done.current.has(key)) continue
      const isOld = entry.seq !== null && entry.seq <= openedAtSeq
      if (entry.kind === 'ai' && !isTerminal(entry.status)) {
        live.current.add(key)
        continue
      }
      done.current.add(key)
      if (isOld && !live.current.has(key)) continue
      live.current.delete(key)
      const line = announcement(entry, selfId, t)
      if (line) news.push(line)
    }
    // Written straight into the live region: a render per message would only repeat this.
    if (news.length > 0 && regionRef.current) regionRef.current.textContent = news.slice(-3).join('\n')
  }, [entries, selfId, t, openedAtSeq])

  return <div ref={regionRef} className='visually-hidden' aria-live='polite' aria-atomic='true' />
}

function announcement (entry: ChatEntry, selfId: number, t: Messages): string {
  if (entry.isHidden) return ''
  if (entry.kind === 'user') return entry.fromUserId === selfId ? '' : `${isNameless(entry) ? t.message.anonymous : entry.fromUser}: ${truncate(entry.content, 200)}`
  return t.ai.announce(truncate(entry.content, 300))
}
