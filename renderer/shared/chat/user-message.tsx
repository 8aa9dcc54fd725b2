/** One participant message: others on the left with their avatar, mine on the right. */
import { memo, useRef, useState, type ReactNode } from 'react'
import { formatTime } from '../format.js'
import { useT } from '../i18n/index.js'
import { isNameless, type UserEntry } from './chat-state.js'
import { Avatar } from './avatar.js'
import { MessageText } from './message-text.js'
import { MessagePhotos } from './message-photos.js'
import { foldText } from './text-rules.js'
import { useTabbableInside } from './use-tabbable-inside.js'

interface UserMessageProps {
  entry: UserEntry
  isOwn: boolean
  asksAi: boolean
  isAwaitingApproval: boolean
  /** Same sender as the message above, moments later: no repeated name and avatar. */
  isContinuation: boolean
  /** "Show more" joins the Tab order only while this message has focus (the list is one Tab stop). */
  isTabbable: boolean
  /** Extra controls (the console's). */
  actions?: ReactNode
}

export const UserMessage = memo(function UserMessage ({ entry, isOwn, asksAi, isAwaitingApproval, isContinuation, isTabbable, actions }: UserMessageProps) {
  const t = useT()
  const [isExpanded, setIsExpanded] = useState(false)
  const actionsRef = useRef<HTMLDivElement>(null)
  useTabbableInside(actionsRef, isTabbable)
  const folded = isExpanded ? null : foldText(entry.content)
  const hasNoName = isNameless(entry)
  const name = isOwn ? t.message.you : hasNoName ? t.message.anonymous : entry.fromUser
  const className = `msg${isOwn ? ' msg--own' : ''}${isContinuation ? ' msg--cont' : ''}`
  return (
    <article className={className} data-seq={entry.seq} data-key={entry.key} tabIndex={-1} aria-label={name}>
      {!isOwn && <Avatar emoji={entry.emoji} userId={entry.fromUserId} isHidden={isContinuation} />}
      <div className='msg__body'>
        <header className={isContinuation ? 'msg__meta visually-hidden' : 'msg__meta'}>
          <span className='msg__name'>{name}</span>
          {entry.isAnonymous && !hasNoName && <span className='msg__anon'>{t.message.anonymousTag}</span>}
          <time className='msg__time' dateTime={new Date(entry.timestamp).toISOString()}>{formatTime(entry.timestamp, t.locale)}</time>
        </header>
        <div className={asksAi ? 'bubble bubble--asks' : 'bubble'}>
          <MessagePhotos files={entry.files} name={name} isTabbable={isTabbable} />
          {entry.content !== '' && <MessageText text={folded ?? entry.content} />}
          {folded !== null && (
            <button type='button' className='show-more' tabIndex={isTabbable ? 0 : -1} aria-expanded='false' onClick={() => setIsExpanded(true)}>
              {t.message.showMore}
            </button>
          )}
        </div>
        {asksAi && <span className='msg__tag'><span aria-hidden='true'>✨ </span>{isAwaitingApproval ? t.message.awaitingApproval : t.message.asksAi}</span>}
        {actions && <div ref={actionsRef} className='msg__actions'>{actions}</div>}
      </div>
    </article>
  )
})
