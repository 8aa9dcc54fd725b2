/** The AI app's opening statement and suggested questions, greeting whoever just arrived. */
import { useT } from '../../shared/i18n/index.js'
import { LazyMarkdown } from '../../shared/markdown/lazy-markdown.js'

interface WelcomeCardProps {
  roomName: string
  openingStatement: string | null
  suggestions: string[]
  onAsk: ((question: string) => void) | null
}

export function WelcomeCard ({ roomName, openingStatement, suggestions, onAsk }: WelcomeCardProps) {
  const t = useT()
  return (
    <section className='welcome' aria-label={t.welcome.title}>
      <p className='welcome__title'><span aria-hidden='true'>👋 </span>{t.welcome.titleBefore}<strong>{roomName}</strong>{t.welcome.titleAfter}</p>
      {openingStatement ? <LazyMarkdown text={openingStatement} /> : <p className='welcome__plain'>{t.welcome.plain}</p>}
      {onAsk && suggestions.length > 0 && (
        <div className='welcome__suggestions'>
          <p className='welcome__label'>{t.welcome.suggestions}</p>
          <ul className='suggestions'>
            {suggestions.map(q => (
              <li key={q}>
                <button type='button' className='suggestion' onClick={() => onAsk(q)}>{q}</button>
              </li>
            ))}
          </ul>
        </div>
      )}
    </section>
  )
}
