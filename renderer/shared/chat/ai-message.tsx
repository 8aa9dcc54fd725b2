/**
 * One AI reply as everyone sees it: queued, answering, streaming with a caret, finished, stopped
 * (by its asker or the host, or cut at the host's answer limit),
 * failed (keeping what it had said) or interrupted. The asker gets Stop while it runs and
 * "Ask again" when it failed or was cut off.
 */
import { memo, useRef, useState, type ReactNode } from 'react'
import { formatTime, truncate } from '../format.js'
import { useT } from '../i18n/index.js'
import { copyText } from '../markdown/copy-text.js'
import { LazyMarkdown } from '../markdown/lazy-markdown.js'
import { isNameless, isTerminal, type AiEntry, type UserEntry } from './chat-state.js'
import { Avatar } from './avatar.js'
import { Citations } from './citations.js'
import { useThrottled } from './use-throttled.js'
import { useTabbableInside } from './use-tabbable-inside.js'

interface AiMessageProps {
  entry: AiEntry
  question: UserEntry | undefined
  isMine: boolean
  /** Copy joins the Tab order only while this message has focus (the list is one Tab stop). */
  isTabbable: boolean
  onStop?: (id: number) => void
  onAskAgain?: (question: UserEntry) => void
  /** Extra controls (the console's). */
  actions?: ReactNode
}

export const AiMessage = memo(function AiMessage ({ entry, question, isMine, isTabbable, onStop, onAskAgain, actions }: AiMessageProps) {
  const t = useT()
  const [isCopied, setIsCopied] = useState(false)
  const cardRef = useRef<HTMLDivElement>(null)
  const extraRef = useRef<HTMLSpanElement>(null)
  useTabbableInside(cardRef, isTabbable)
  useTabbableInside(extraRef, isTabbable)
  const isLive = !isTerminal(entry.status)
  const isQueued = isLive && entry.queuePosition > 0
  const hasText = entry.content.length > 0
  const text = useThrottled(entry.content, STREAM_RENDER_MS, isLive)
  const canAskAgain = onAskAgain !== undefined && question !== undefined && !question.isHidden &&
    (entry.status === 'failed' || entry.status === 'interrupted')

  const onCopy = async (): Promise<void> => {
    if (await copyText(entry.content)) {
      setIsCopied(true)
      setTimeout(() => setIsCopied(false), 1500)
    }
  }

  return (
    <article className={`msg msg--ai msg--${entry.status}`} data-key={entry.key} aria-busy={isLive} tabIndex={-1} aria-label={t.message.ai}>
      <Avatar emoji='✨' userId={null} isAi />
      <div className='msg__body'>
        <header className='msg__meta'>
          <span className='msg__name'>{t.message.ai}</span>
          {entry.isTeachersAnswer && <span className='msg__teacher'><span aria-hidden='true'>🎓 </span>{t.ai.teachersAnswer}</span>}
          <time className='msg__time' dateTime={new Date(entry.timestamp).toISOString()}>{formatTime(entry.timestamp, t.locale)}</time>
        </header>
        {question && (
          <p className='msg__reply-to'>
            <span className='msg__reply-name'>{t.message.replyTo(isNameless(question) ? t.message.anonymous : question.fromUser)}</span>
            <span className='msg__reply-quote'>{question.isHidden ? t.message.hidden : truncate(question.content.replace(/\s+/g, ' '), 90)}</span>
          </p>
        )}
        <div ref={cardRef} className={isLive && !isQueued ? 'ai-card is-answering' : 'ai-card'}>
          {isQueued && (
            <p className='ai-state ai-state--queued'>
              <span className='hourglass' aria-hidden='true'>⏳</span>
              {isMine ? t.ai.queuedMine(entry.queuePosition) : t.ai.queued(entry.queuePosition)}
            </p>
          )}
          {isLive && !isQueued && !hasText && (
            <p className='ai-state'><span className='typing' aria-hidden='true'><i /><i /><i /></span>{t.ai.thinking}</p>
          )}
          {hasText && <LazyMarkdown text={text || entry.content} isStreaming={isLive} />}
          {entry.status === 'stopped' && <p className='ai-note'>{entry.cutAtChars !== null ? t.ai.cut(entry.cutAtChars) : t.ai.stopped}</p>}
          {entry.status === 'interrupted' && <p className='ai-note ai-note--warn'>{t.ai.interrupted}</p>}
          {entry.status === 'failed' && (
            <p className='ai-note ai-note--error' role='alert'>
              {t.ai.failed}{entry.error?.message ? ` ${entry.error.message}` : ''}
            </p>
          )}
          <Citations citations={entry.citations} />
        </div>
        <div className='msg__actions'>
          {isLive && isMine && onStop && (
            <button type='button' className='chip-button chip-button--stop' onClick={() => onStop(entry.id)} aria-label={t.ai.stopLabel}>
              <span className='stop-square' aria-hidden='true' /> {t.ai.stop}
            </button>
          )}
          {canAskAgain && (
            <button type='button' className='chip-button' onClick={() => onAskAgain(question)}>
              <span aria-hidden='true'>↻</span> {t.ai.askAgain}
            </button>
          )}
          {!isLive && hasText && (
            <button type='button' className='link-button link-button--muted' tabIndex={isTabbable ? 0 : -1} onClick={() => { onCopy().catch(ignore) }}>
              {isCopied ? t.ai.copied : t.ai.copy}
            </button>
          )}
          {/* Ratings, follow-ups and the console's controls: one Tab rule with Copy. */}
          {actions !== undefined && actions !== null && <span ref={extraRef} className='msg__extra'>{actions}</span>}
        </div>
      </div>
    </article>
  )
})

/** How often a streaming answer is re-rendered (its Markdown parsed again). */
const STREAM_RENDER_MS = 250

function ignore (): void { /* copying is best effort */ }
