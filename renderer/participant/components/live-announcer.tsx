/**
 * Tells screen readers about new messages from others and finished answers, without reading every
 * streamed token (the list itself is not a live region).
 */
import { useState } from 'react'
import { truncate } from '../../shared/format.js'
import { useT, type Messages } from '../../shared/i18n/index.js'
import { isTerminal, type ChatEntry } from '../../shared/chat/chat-state.js'

export function LiveAnnouncer ({ entries, selfId }: { entries: ChatEntry[], selfId: number }) {
  const t = useT()
  const last = entries.at(-1)
  // Whatever was last when the page opened is not news.
  const [initialKey] = useState(() => last?.key ?? null)
  const text = last && last.key !== initialKey ? announcement(last, selfId, t) : ''
  return <div className='visually-hidden' aria-live='polite' aria-atomic='true'>{text}</div>
}

function announcement (entry: ChatEntry, selfId: number, t: Messages): string {
  if (entry.kind === 'user') return entry.fromUserId === selfId ? '' : `${entry.fromUser}: ${truncate(entry.content, 200)}`
  return isTerminal(entry.status) ? `${t.message.ai}: ${truncate(entry.content, 300)}` : ''
}
