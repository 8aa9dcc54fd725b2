/**
 * Suggested questions as chips: the app's first questions above the composer, for someone who has
 * not said anything yet, and its follow-ups under the newest answer that has them.
 */
import { useT } from '../../shared/i18n/index.js'

interface SuggestionChipsProps {
  suggestions: string[]
  onAsk: (question: string) => void
  /** the group's name for screen readers (default: "Try asking") */
  label?: string
}

export function SuggestionChips ({ suggestions, onAsk, label }: SuggestionChipsProps) {
  const t = useT()
  if (suggestions.length === 0) return null
  return (
    <div className='chips' role='group' aria-label={label ?? t.welcome.suggestions}>
      {suggestions.map(q => (
        <button key={q} type='button' className='suggestion suggestion--chip' onClick={() => onAsk(q)}>
          <span aria-hidden='true'>✨ </span>{q}
        </button>
      ))}
    </div>
  )
}
