/**
 * Under a question in `approve` mode: where it stands (waiting for the host, approved, not taken
 * with the host's reason, merged) and its votes. Others' waiting questions get a vote button (one
 * vote each, pressed again to take it back), big enough for a thumb.
 */
import { memo } from 'react'
import { useT } from '../../shared/i18n/index.js'
import type { QuestionView } from './question-state.js'
import './question-status.css'

interface QuestionStatusProps {
  question: QuestionView
  isOwn: boolean
  onVote: (up: boolean) => void
}

export const QuestionStatus = memo(function QuestionStatus ({ question, isOwn, onVote }: QuestionStatusProps) {
  const t = useT().question
  const q = question
  const showVotes = (q.status !== 'pending' || isOwn) && q.votes > 0
  return (
    <div className={`question-status question-status--${q.status}`}>
      <p className='question-status__state' role='status'>
        <span className='question-status__icon' aria-hidden='true'>{ICONS[q.status]} </span>
        {t.state[q.status](isOwn)}
        {q.status === 'rejected' && q.reason !== null && <> <span className='question-status__reason'>{t.reason(q.reason)}</span></>}
        {showVotes && <span className='question-status__votes'> · {t.votes(q.votes)}</span>}
      </p>
      {q.asked !== null && <p className='question-status__asked'>{t.editedTo(q.asked)}</p>}
      {q.status === 'pending' && !isOwn && (
        <button type='button' className='question-status__vote' aria-pressed={q.myVote} onClick={() => onVote(!q.myVote)}>
          <span aria-hidden='true'>▲</span> {q.myVote ? t.voted(q.votes) : t.vote(q.votes)}
        </button>
      )}
    </div>
  )
})

const ICONS = { pending: '⏳', approved: '✓', rejected: '✕', merged: '⇄' } as const
