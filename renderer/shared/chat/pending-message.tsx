/**
 * A message of mine the room has not confirmed yet: "Sending…", or "Not sent" with the host's own
 * reason, a live countdown when the host named a wait, then Resend.
 */
import { memo } from 'react'
import { useT } from '../i18n/index.js'
import type { OutboxEntry } from './outbox.js'
import { MessageText } from './message-text.js'
import { withoutStaticWait } from './text-rules.js'
import { useNow } from './use-now.js'

interface PendingMessageProps {
  entry: OutboxEntry
  onResend: (clientMsgId: string) => void
  onDiscard: (clientMsgId: string) => void
}

export const PendingMessage = memo(function PendingMessage ({ entry, onResend, onDiscard }: PendingMessageProps) {
  const t = useT()
  const retryAt = entry.failure?.retryAt ?? null
  const now = useNow(1000, retryAt !== null)
  const waitS = retryAt !== null ? Math.ceil((retryAt - now) / 1000) : 0
  const isFailed = entry.state === 'failed'
  const reason = entry.failure ? withoutStaticWait(entry.failure.message) : ''
  return (
    <article className={`msg msg--own ${isFailed ? 'msg--unsent' : 'msg--pending'}`} data-client-msg-id={entry.clientMsgId} tabIndex={-1}>
      <div className='msg__body'>
        <div className='bubble'>
          <MessageText text={entry.content} />
        </div>
        {!isFailed && <span className='msg__status'><span className='clock' aria-hidden='true' />{t.message.pending}</span>}
        {isFailed && (
          <div className='msg__failure'>
            <p className='msg__reason' role='alert'>{reason || t.message.notSent}</p>
            {retryAt !== null && (
              <p className='msg__wait' aria-live='off'>{waitS > 0 ? t.message.waitSeconds(waitS) : t.message.resendNow}</p>
            )}
            <span className='msg__actions'>
              <button type='button' className='link-button' disabled={waitS > 0} onClick={() => onResend(entry.clientMsgId)}>{t.message.resend}</button>
              <button type='button' className='link-button link-button--muted' onClick={() => onDiscard(entry.clientMsgId)}>{t.message.discard}</button>
            </span>
          </div>
        )}
      </div>
    </article>
  )
})
