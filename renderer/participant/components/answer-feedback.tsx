/** "Helpful" / "Still confused" under a written answer: one rating each, pressed again to take it back. */
import { useT } from '../../shared/i18n/index.js'
import type { FeedbackRating } from '../../../server/protocol/index.js'

interface AnswerFeedbackProps {
  messageId: number
  rating: FeedbackRating | undefined
  onRate: (messageId: number, rating: FeedbackRating | null) => void
}

export function AnswerFeedback ({ messageId, rating, onRate }: AnswerFeedbackProps) {
  const t = useT()
  const button = (value: FeedbackRating, icon: string, label: string) => (
    <button
      type='button'
      className={rating === value ? 'feedback-button is-on' : 'feedback-button'}
      aria-pressed={rating === value}
      onClick={() => onRate(messageId, rating === value ? null : value)}
    >
      <span aria-hidden='true'>{icon} </span>{label}
    </button>
  )
  return (
    <div className='answer-feedback' role='group' aria-label={t.feedback.label}>
      {button('helpful', '👍', t.feedback.helpful)}
      {button('confused', '😕', t.feedback.confused)}
    </div>
  )
}
