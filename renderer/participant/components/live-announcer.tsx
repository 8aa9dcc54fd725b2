/**
 * Tells screen readers about new messages from others and finished answers, without reading every
 * streamed token (the list itself is not a live region).
 */
import { useEffect, useRef, useState } from 'react'
import { truncate } from '../../shared/format.js'
import { useT } from '../../shared/i18n/index.js'
import { isTerminal, type ChatEntry } from '../state/chat-state.js'

export function LiveAnnouncer ({ entries, selfId }: { entries: ChatEntry[], selfId: number }) {
  const t = useT()
  const [text, setText] = useState('')
  const announced = useRef<string | null>(null)
  const last = entries.at(-1)
  const signature = last ? `${last.key}:${last.kind === 'ai' ? isTerminal(last.status) : ''}` : null

  useEffect(() => {
    if (!last || signature === announced.current) return
    const isFirst = announced.current === null
    announced.current = signature
    // Not the history that was already there when the page opened.
    if (isFirst) return
    if (last.kind === 'user' && last.fromUserId !== selfId) setText(`${last.fromUser}: ${truncate(last.content, 200)}`)
    if (last.kind === 'ai' && isTerminal(last.status)) setText(`${t.message.ai}: ${truncate(last.content, 300)}`)
  }, [signature, last, selfId, t])

  return <div className='visually-hidden' aria-live='polite' aria-atomic='true'>{text}</div>
}
