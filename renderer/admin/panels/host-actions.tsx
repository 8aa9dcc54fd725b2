/**
 * The host's controls under each message of the shared message list: Hide (participants see it
 * vanish), Stop for a reply still streaming or queued, and on a hidden one's tombstone "Read" (the
 * host may still see the text) and "Show" (undo). An answer shows how the room rated it, and a
 * written one can be taught to the AI app (the host's words become its answer to that question).
 */
import { memo, useState } from 'react'
import { isTerminal, type ChatEntry } from '../../shared/chat/chat-state.js'
import { useAdminT } from '../../shared/i18n/admin.js'

interface HostActionsProps {
  entry: ChatEntry
  onHide: (id: number) => void
  onUnhide: (id: number) => void
  onStop: (id: number) => void
  /** "Teach this answer" (a written answer) */
  onTeach?: ((id: number) => void) | undefined
  /** The host's own rating of a written answer, told to the AI app */
  hostRating?: 'like' | 'dislike' | null
  onRate?: ((id: number, rating: 'like' | 'dislike' | null) => void) | undefined
  /** participants' ratings of this answer */
  feedback?: { helpful: number, confused: number } | undefined
}

export const HostActions = memo(function HostActions ({ entry, onHide, onUnhide, onStop, onTeach, hostRating = null, onRate, feedback }: HostActionsProps) {
  const t = useAdminT()
  const [isRevealed, setIsRevealed] = useState(false)
  const author = entry.kind === 'ai' ? 'AI' : entry.fromUser

  if (entry.isHidden) {
    return (
      <span className='host-actions host-actions--hidden'>
        <span className='host-actions__who'>{author}</span>
        {entry.content !== '' && (
          <button type='button' className='host-btn' aria-expanded={isRevealed} onClick={() => setIsRevealed(v => !v)}>
            {isRevealed ? t.room.conceal : t.room.reveal}
          </button>
        )}
        <button type='button' className='host-btn' aria-label={t.room.showLabel} onClick={() => onUnhide(entry.id)}>{t.room.show}</button>
        {isRevealed && <span className='host-actions__text'>{entry.content}</span>}
      </span>
    )
  }

  const isLiveReply = entry.kind === 'ai' && !isTerminal(entry.status)
  const buttons = (
    <span className={isLiveReply ? 'host-actions' : 'host-actions host-actions--quiet'}>
      {isLiveReply && (
        <button type='button' className='host-btn host-btn--stop' aria-label={t.room.stopLabel} onClick={() => onStop(entry.id)}>
          <span className='stop-square' aria-hidden='true' /> {t.room.stop}
        </button>
      )}
      {entry.kind === 'ai' && !isLiveReply && entry.content !== '' && onRate !== undefined && (['like', 'dislike'] as const).map(r => (
        <button key={r} type='button' className={hostRating === r ? 'host-btn is-on' : 'host-btn'} aria-pressed={hostRating === r} aria-label={r === 'like' ? t.room.rateGood : t.room.ratePoor} onClick={() => onRate(entry.id, hostRating === r ? null : r)}>
          <span aria-hidden='true'>{r === 'like' ? '👍' : '👎'}</span>
        </button>
      ))}
      {entry.kind === 'ai' && !isLiveReply && entry.content !== '' && onTeach !== undefined && (
        <button type='button' className='host-btn' aria-label={t.room.teachLabel} onClick={() => onTeach(entry.id)}><span aria-hidden='true'>🎓 </span>{t.room.teach}</button>
      )}
      <button type='button' className='host-btn' aria-label={t.room.hideLabel(author)} onClick={() => onHide(entry.id)}>{t.room.hide}</button>
    </span>
  )
  // How the room rated an answer stays in sight; the buttons show on hover or focus.
  if (feedback === undefined) return buttons
  return (
    <>
      <span className={feedback.confused > feedback.helpful ? 'feedback-counts is-confused' : 'feedback-counts'} role='img' aria-label={t.room.feedbackLabel(feedback.helpful, feedback.confused)}>
        👍 {feedback.helpful} · 😕 {feedback.confused}
      </span>
      {buttons}
    </>
  )
})
