/** Suggested first questions just above the composer, for someone who has not said anything yet. */
import { useT } from '../../shared/i18n/index.js'

interface SuggestionChipsProps {
  suggestions: string[]
  onAsk: (question: string) => void
}

export function SuggestionChips ({ suggestions, onAsk }: SuggestionChipsProps) {
  const t = useT()
  if (suggestions.length === 0) return null
  return (
    <div className='chips' role='group' aria-label={t.welcome.suggestions}>
      {suggestions.map(q => (
        <button key={q} type='button' className='suggestion suggestion--chip' onClick={() => onAsk(q)}>
          <span aria-hidden='true'>✨ </span>{q}
        </button>
      ))}
    </div>
  )
}
