/**
 * A poll on top of the room: the question, big touch targets (radio or checkbox options, or a
 * short text field), "Change answer" while it is open, result bars when the host shows them, and
 * its closed state. The answer is sent by the parent; this only says what was picked.
 */
import { useState, type FormEvent } from 'react'
import { MAX_POLL_TEXT_CODE_POINTS, codePointLength } from '../../../server/protocol/index.js'
import { useT } from '../../shared/i18n/index.js'
import type { PollView } from './poll-state.js'
import './poll-card.css'

export interface PollCardProps {
  poll: PollView
  onAnswer: (answer: { choice: number[] } | { text: string }) => void
}

export function PollCard ({ poll, onAnswer }: PollCardProps): React.JSX.Element {
  const t = useT().poll
  const isOpen = poll.status === 'open'
  const hasAnswered = poll.mine !== null
  const [isEditing, setEditing] = useState(false)
  const [choice, setChoice] = useState<number[]>(poll.mine?.choice ?? [])
  const [text, setText] = useState(poll.mine?.text ?? '')
  const isAsking = isOpen && (!hasAnswered || isEditing)
  const textLength = codePointLength(text.trim())
  const isTooLong = textLength > MAX_POLL_TEXT_CODE_POINTS
  const canSend = poll.kind === 'open' ? textLength > 0 && !isTooLong : choice.length > 0
  const headingId = `poll-${poll.id}-q`

  function pick (i: number): void {
    if (poll.kind === 'single') setChoice([i])
    else setChoice(c => c.includes(i) ? c.filter(x => x !== i) : [...c, i].sort((a, b) => a - b))
  }

  function submit (e: FormEvent): void {
    e.preventDefault()
    if (!canSend) return
    onAnswer(poll.kind === 'open' ? { text: text.trim() } : { choice })
    setEditing(false)
  }

  return (
    <section className={`poll-card${isOpen ? '' : ' is-closed'}`} aria-labelledby={headingId}>
      <div className='poll-card__head'>
        <span className='poll-card__label'>{t.label}</span>
        <span className={`poll-card__status${isOpen ? ' is-open' : ''}`}>{isOpen ? t.open : t.closed}</span>
        {/* The count is news only with the results: while they are hidden it is not kept up to date. */}
        {poll.counts !== null && <span className='poll-card__total'>{t.answered(poll.total)}</span>}
      </div>
      <h2 id={headingId} className='poll-card__question'>{poll.question}</h2>
      {isAsking
        ? (
          <form className='poll-card__form' onSubmit={submit}>
            {poll.kind === 'open'
              ? (
                <div className='poll-card__text'>
                  <label htmlFor={`poll-${poll.id}-text`}>{t.textLabel}</label>
                  <input
                    id={`poll-${poll.id}-text`}
                    type='text'
                    value={text}
                    onChange={e => setText(e.target.value)}
                    aria-invalid={isTooLong}
                    aria-describedby={`poll-${poll.id}-hint`}
                    enterKeyHint='send'
                  />
                  <small id={`poll-${poll.id}-hint`} className={isTooLong ? 'is-error' : ''}>
                    {isTooLong ? t.textTooLong(MAX_POLL_TEXT_CODE_POINTS) : t.textHint(MAX_POLL_TEXT_CODE_POINTS)} ({textLength}/{MAX_POLL_TEXT_CODE_POINTS})
                  </small>
                </div>
                )
              : (
                <fieldset className='poll-card__options'>
                  <legend>{poll.kind === 'single' ? t.pickOne : t.pickAny}</legend>
                  {poll.options.map((o, i) => (
                    <label key={i} className={`poll-card__option${choice.includes(i) ? ' is-picked' : ''}`}>
                      <input
                        type={poll.kind === 'single' ? 'radio' : 'checkbox'}
                        name={`poll-${poll.id}`}
                        checked={choice.includes(i)}
                        onChange={() => pick(i)}
                      />
                      <span>{o}</span>
                    </label>
                  ))}
                </fieldset>
                )}
            <button type='submit' className='poll-card__send' disabled={!canSend}>{t.submit}</button>
          </form>
          )
        : (
          <div className='poll-card__after'>
            {hasAnswered && <p className='poll-card__saved'>{t.saved} <strong>{describe(poll)}</strong></p>}
            {isOpen && hasAnswered && <button type='button' className='poll-card__change' onClick={() => setEditing(true)}>{t.change}</button>}
          </div>
          )}
      {poll.counts !== null && poll.kind !== 'open' && (
        <ol className='poll-card__results'>
          {poll.options.map((o, i) => {
            const n = poll.counts?.[i] ?? 0
            const share = poll.total > 0 ? Math.round(n * 100 / poll.total) : 0
            return (
              <li key={i}>
                <span className='poll-card__bar-label'><span>{o}</span><span>{t.count(n)} · {share}%</span></span>
                <span className='poll-card__bar' aria-hidden='true'><span style={{ width: `${share}%` }} /></span>
              </li>
            )
          })}
        </ol>
      )}
      {poll.counts === null && isOpen && hasAnswered && !isAsking && <p className='poll-card__hint'>{t.resultsHidden}</p>}
    </section>
  )
}

/** My answer in words: the options I picked, or my text. */
function describe (poll: PollView): string {
  if (poll.mine?.text !== undefined) return poll.mine.text
  return (poll.mine?.choice ?? []).map(i => poll.options[i] ?? '').join(', ')
}
