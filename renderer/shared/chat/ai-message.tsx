/**
 * One AI reply as everyone sees it: queued, answering, streaming with a caret, finished, stopped,
 * failed (keeping what it had said) or interrupted. The asker gets a Stop button.
 */
import { memo, useState } from 'react'
import { formatTime, truncate } from '../format.js'
import { useT } from '../i18n/index.js'
import { copyText } from '../markdown/copy-text.js'
import { LazyMarkdown } from '../markdown/lazy-markdown.js'
import { isTerminal, type AiEntry, type UserEntry } from './chat-state.js'
import { Avatar } from './avatar.js'
import { Citations } from './citations.js'

interface AiMessageProps {
  entry: AiEntry
  question: UserEntry | undefined
  isMine: boolean
  onStop: (id: number) => void
}

export const AiMessage = memo(function AiMessage ({ entry, question, isMine, onStop }: AiMessageProps) {
  const t = useT()
  const [isCopied, setIsCopied] = useState(false)
  const isLive = !isTerminal(entry.status)
  const isQueued = isLive && entry.queuePosition > 0
  const hasText = entry.content.length > 0

  const onCopy = async (): Promise<void> => {
    if (await copyText(entry.content)) {
      setIsCopied(true)
      setTimeout(() => setIsCopied(false), 1500)
    }
  }

  return (
    <article className={`msg msg--ai msg--${entry.status}`} data-key={entry.key} aria-busy={isLive}>
      <Avatar emoji='✨' userId={null} isAi />
      <div className='msg__body'>
        <header className='msg__meta'>
          <span className='msg__name'>{t.message.ai}</span>
          <time className='msg__time' dateTime={new Date(entry.timestamp).toISOString()}>{formatTime(entry.timestamp, t.locale)}</time>
        </header>
        {question && (
          <p className='msg__reply-to'>
            <span className='msg__reply-name'>{t.message.replyTo(question.fromUser)}</span>
            <span className='msg__reply-quote'>{truncate(question.content.replace(/\s+/g, ' '), 90)}</span>
          </p>
        )}
        <div className={isLive && !isQueued ? 'ai-card is-answering' : 'ai-card'}>
          {isQueued && (
            <p className='ai-state ai-state--queued'>
              <span className='hourglass' aria-hidden='true'>⏳</span>
              {isMine ? t.ai.queuedMine(entry.queuePosition) : t.ai.queued(entry.queuePosition)}
            </p>
          )}
          {isLive && !isQueued && !hasText && (
            <p className='ai-state'><span className='typing' aria-hidden='true'><i /><i /><i /></span>{t.ai.thinking}</p>
          )}
          {hasText && <LazyMarkdown text={entry.content} isStreaming={isLive} />}
          {entry.status === 'stopped' && <p className='ai-note'>{t.ai.stopped}</p>}
          {entry.status === 'interrupted' && <p className='ai-note ai-note--warn'>{t.ai.interrupted}</p>}
          {entry.status === 'failed' && (
            <p className='ai-note ai-note--error' role='alert'>
              {t.ai.failed}{entry.error?.message ? ` ${entry.error.message}` : ''}
            </p>
          )}
          <Citations citations={entry.citations} />
        </div>
        <div className='msg__actions'>
          {isLive && isMine && (
            <button type='button' className='chip-button chip-button--stop' onClick={() => onStop(entry.id)} aria-label={t.ai.stopLabel}>
              <span className='stop-square' aria-hidden='true' /> {t.ai.stop}
            </button>
          )}
          {!isLive && hasText && (
            <button type='button' className='link-button link-button--muted' onClick={() => { onCopy().catch(ignore) }}>
              {isCopied ? t.ai.copied : t.ai.copy}
            </button>
          )}
        </div>
      </div>
    </article>
  )
})

function ignore (): void { /* copying is best effort */ }
