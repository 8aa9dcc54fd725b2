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

const HELD = 'ERR_MESSAGE_HELD'

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
  // Held for the host (the word list, or a photo the host sees first): not an error, and a resend
  // would only be held again; it arrives like any message once the host lets it through.
  const isHeld = isFailed && entry.failure?.code === HELD
  const reason = entry.failure ? withoutStaticWait(entry.failure.message) : ''
  const photos = entry.files?.length ?? 0
  return (
    <article className={`msg msg--own ${isHeld ? 'msg--held' : isFailed ? 'msg--unsent' : 'msg--pending'}`} data-client-msg-id={entry.clientMsgId} tabIndex={-1}>
      <div className='msg__body'>
        <div className='bubble'>
          {photos > 0 && <p className='msg__photo-count'><span aria-hidden='true'>📷 </span>{t.photo.count(photos)}</p>}
          {entry.content !== '' && <MessageText text={entry.content} />}
        </div>
        {!isFailed && <span className='msg__status'><span className='clock' aria-hidden='true' />{t.message.pending}</span>}
        {isHeld && <p className='msg__status msg__status--held' role='status'><span className='clock' aria-hidden='true' />{reason}</p>}
        {isFailed && !isHeld && (
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
