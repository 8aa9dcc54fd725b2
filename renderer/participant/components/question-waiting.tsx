/** "N questions waiting for the host": shown to everyone in `approve` mode while any wait. */
import { useT } from '../../shared/i18n/index.js'

export function QuestionWaiting ({ count }: { count: number }) {
  const t = useT().question
  if (count <= 0) return null
  return <p className='question-waiting' role='status'><span aria-hidden='true'>⏳ </span>{t.waiting(count)}</p>
}
