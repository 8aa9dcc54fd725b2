/** Under an AI answer held for the host's review: that the host is checking it, or chose not to show it. */
import { useT } from '../../shared/i18n/index.js'
import { questionText } from './question-text.js'
import './question-status.css'

export function QuestionReview ({ isChecking, discardNote }: { isChecking: boolean, discardNote: string | null | undefined }) {
  const t = questionText(useT().locale)
  if (discardNote !== undefined) return <p className='question-review' role='status'>{t.discarded(discardNote)}</p>
  if (!isChecking) return null
  return <p className='question-review' role='status'><span aria-hidden='true'>⏳ </span>{t.checking}</p>
}
