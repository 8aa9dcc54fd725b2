/** "Listen" under a written answer: reads it aloud (the host's audio, else the browser's voice); pressed again, stops. */
import { useT } from '../i18n/index.js'
import type { ReadAloud } from '../read-aloud/use-read-aloud.js'

interface ListenButtonProps {
  messageId: number
  text: string
  reader: ReadAloud
}

export function ListenButton ({ messageId, text, reader }: ListenButtonProps) {
  const t = useT()
  const state = reader.state?.id === messageId ? reader.state : null
  const isOn = state !== null && state.phase !== 'failed'
  const label = state?.phase === 'loading' ? t.listen.loading : state?.phase === 'playing' ? t.listen.stop : t.listen.listen
  return (
    <>
      <button
        type='button'
        className={isOn ? 'feedback-button is-on' : 'feedback-button'}
        aria-pressed={isOn}
        // The visible words are the name (WCAG 2.5.3); the title says what Listen does.
        title={isOn ? undefined : t.listen.label}
        onClick={() => reader.toggle(messageId, text)}
      >
        <span aria-hidden='true'>{state?.phase === 'playing' ? '⏹ ' : '🔊 '}</span>{label}
      </button>
      {state?.phase === 'failed' && <span className='listen-note' role='status'>{state.reason === 'blocked' ? t.listen.blocked : t.listen.failed}</span>}
    </>
  )
}
