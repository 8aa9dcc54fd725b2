/** Under an AI answer held for the host's review: that the host is checking it, chose not to show it, or edited it. */
import { useT } from '../../shared/i18n/index.js'
import './question-status.css'

export function QuestionReview ({ isChecking, discardNote, isEdited = false }: { isChecking: boolean, discardNote: string | null | undefined, isEdited?: boolean }) {
  const t = useT().question
  if (isEdited) return <p className='question-review'>{t.answerEdited}</p>
  if (discardNote !== undefined) return <p className='question-review' role='status'>{t.discarded(discardNote)}</p>
  if (!isChecking) return null
  return <p className='question-review' role='status'><span aria-hidden='true'>⏳ </span>{t.checking}</p>
}
