/** Review answers first: answers written and waiting for the host, shown, edited or discarded here. */
import { useCallback, useEffect, useState } from 'react'
import { withoutAiMention } from '../../../server/protocol/index.js'
import { LazyMarkdown } from '../../shared/markdown/lazy-markdown.js'
import { useToast } from '../components/toast.js'
import type { GateApi, HeldAnswer } from './gate-api.js'
import type { GateText } from '../../shared/i18n/gate.js'

export function ReviewList ({ gate, t, version }: { gate: GateApi, t: GateText, version: number }) {
  const toast = useToast()
  const [answers, setAnswers] = useState<HeldAnswer[]>([])
  const load = useCallback(() => { gate.heldAnswers().then(r => setAnswers(r.answers), () => { /* the list stays */ }) }, [gate])
  useEffect(() => { load() }, [load, version])
  if (answers.length === 0) return null
  const act = (p: Promise<unknown>): void => { p.then(load, toast.fail) }
  return (
    <section className='gate__held' aria-label={t.reviewHeading(answers.length)}>
      <h3 className='card__title'>{t.reviewHeading(answers.length)}</h3>
      <ol className='gate__list'>
        {answers.map(a => <li key={a.id}><HeldAnswerCard a={a} t={t} act={act} gate={gate} /></li>)}
      </ol>
    </section>
  )
}

function HeldAnswerCard ({ a, t, act, gate }: { a: HeldAnswer, t: GateText, act: (p: Promise<unknown>) => void, gate: GateApi }) {
  const [mode, setMode] = useState<'idle' | 'edit' | 'discard'>('idle')
  const [draft, setDraft] = useState(a.content)
  const [note, setNote] = useState('')
  return (
    <article className='question question--review'>
      <div className='question__votes' aria-hidden='true'>✨</div>
      <div className='question__main'>
        <p className='question__meta'>{t.reviewAsked(a.from_user)}: <strong>{withoutAiMention(a.question)}</strong></p>
        {mode === 'edit'
          ? <textarea className='gate__answer-edit' rows={8} value={draft} onChange={e => setDraft(e.target.value)} aria-label={t.editAnswer} />
          : <div className='gate__summary'><LazyMarkdown text={a.content} /></div>}
        {mode === 'discard' && (
          <label className='field'>
            <span className='field__label'>{t.discardNote}</span>
            <input type='text' value={note} maxLength={500} onChange={e => setNote(e.target.value)} />
          </label>
        )}
        <div className='question__actions'>
          {mode === 'idle' && <button type='button' className='btn btn--primary' onClick={() => act(gate.releaseAnswer(a.id))}>{t.releaseAnswer}</button>}
          {mode === 'idle' && <button type='button' className='btn' onClick={() => setMode('edit')}>{t.editAnswer}</button>}
          {mode === 'idle' && <button type='button' className='btn btn--danger-text' onClick={() => setMode('discard')}>{t.discardAnswer}</button>}
          {mode === 'edit' && <button type='button' className='btn btn--primary' disabled={draft.trim() === ''} onClick={() => act(gate.releaseAnswer(a.id, draft))}>{t.releaseEdited}</button>}
          {mode === 'discard' && <button type='button' className='btn btn--danger' onClick={() => act(gate.discardAnswer(a.id, note.trim()))}>{t.discardAnswer.replace('…', '')}</button>}
          {mode !== 'idle' && <button type='button' className='btn' onClick={() => setMode('idle')}>{t.cancel}</button>}
        </div>
      </div>
    </article>
  )
}
