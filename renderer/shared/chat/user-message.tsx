/** One participant message: others on the left with their avatar, mine on the right. */
import { memo } from 'react'
import { formatTime } from '../format.js'
import { useT } from '../i18n/index.js'
import type { UserEntry } from './chat-state.js'
import { Avatar } from './avatar.js'
import { MessageText } from './message-text.js'

interface UserMessageProps {
  entry: UserEntry
  isOwn: boolean
  asksAi: boolean
  isAwaitingApproval: boolean
  /** Same sender as the message above, moments later: no repeated name and avatar. */
  isContinuation: boolean
}

export const UserMessage = memo(function UserMessage ({ entry, isOwn, asksAi, isAwaitingApproval, isContinuation }: UserMessageProps) {
  const t = useT()
  const name = isOwn ? t.message.you : entry.fromUser
  const className = `msg${isOwn ? ' msg--own' : ''}${isContinuation ? ' msg--cont' : ''}`
  return (
    <article className={className} data-seq={entry.seq} data-key={entry.key}>
      {!isOwn && <Avatar emoji={entry.emoji} userId={entry.fromUserId} isHidden={isContinuation} />}
      <div className='msg__body'>
        <header className={isContinuation ? 'msg__meta visually-hidden' : 'msg__meta'}>
          <span className='msg__name'>{name}</span>
          <time className='msg__time' dateTime={new Date(entry.timestamp).toISOString()}>{formatTime(entry.timestamp, t.locale)}</time>
        </header>
        <div className={asksAi ? 'bubble bubble--asks' : 'bubble'}>
          <MessageText text={entry.content} />
        </div>
        {asksAi && <span className='msg__tag'><span aria-hidden='true'>✨ </span>{isAwaitingApproval ? t.message.awaitingApproval : t.message.asksAi}</span>}
      </div>
    </article>
  )
})
