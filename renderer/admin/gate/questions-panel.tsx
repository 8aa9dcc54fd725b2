/**
 * The teacher's question queue in the console: waiting questions most wanted first, each with
 * approve, edit-then-approve, reject with a reason the class sees, and merge into a duplicate;
 * then what was decided. Beside it the projector switch and "Save lesson".
 */
import { useCallback, useEffect, useMemo, useRef, useState } from 'react'
import { withoutAiMention, type QuestionItem, type QuestionsResponse } from '../../../server/protocol/index.js'
import { MessagePhotos } from '../../shared/chat/message-photos.js'
import { useAdminT } from '../../shared/i18n/admin.js'
import type { ConsolePanelProps } from '../panels/panel-props.js'
import { useToast } from '../components/toast.js'
import { createGateApi, type GateApi } from './gate-api.js'
import type { GateText } from '../../shared/i18n/gate.js'
import { LessonCard, ProjectorCard } from './gate-cards.js'
import { FilterCard, HeldList, PrivacyCard, SummaryCard } from './gate-more-cards.js'
import { ReviewList } from './review-list.js'
import './gate.css'

export function QuestionsPanel ({ socket, token }: ConsolePanelProps) {
  const t = useAdminT().gate
  const toast = useToast()
  const gate = useMemo(() => createGateApi('', token), [token])
  const [data, setData] = useState<QuestionsResponse | null>(null)
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null)
  const [heldVersion, setHeldVersion] = useState(0)
  const [reviewVersion, setReviewVersion] = useState(0)
  // The hook's object is new at each render; its subscribe is stable.
  const { subscribe } = socket

  const load = useCallback(() => {
    gate.questions().then(setData, toast.fail)
  }, [gate, toast.fail])

  useEffect(() => {
    load()
    // Every step of a question reaches the console as a frame: read the queue again (at most 4 times a second).
    const unsubscribe = subscribe(frames => {
      if (frames.some(f => (f as { type: string }).type === 'message_held')) setHeldVersion(v => v + 1)
      if (frames.some(f => f.type === 'ai_review')) setReviewVersion(v => v + 1)
      if (!frames.some(f => f.type === 'question_update' || f.type === 'room_cleared')) return
      if (timer.current !== null) return
      timer.current = setTimeout(() => { timer.current = null; load() }, 250)
    })
    return () => { unsubscribe(); if (timer.current !== null) clearTimeout(timer.current) }
  }, [subscribe, load])

  const questions = data?.questions ?? []
  const pending = questions.filter(q => q.status === 'pending')
  const decided = questions.filter(q => q.status !== 'pending')
  const isApproveMode = socket.state.room?.aiMode === 'approve'
  const act = (p: Promise<unknown>): void => { p.then(load, toast.fail) }

  return (
    <section className='panel gate' aria-labelledby='gate-h'>
      <div className='panel__head'>
        <h2 id='gate-h' className='panel__title'>{t.heading}</h2>
        {pending.length > 0 && <span className='badge gate__badge'>{t.waiting(pending.length)}</span>}
      </div>
      <div className='gate__grid'>
        <div className='gate__queue'>
          <ReviewList gate={gate} t={t} version={reviewVersion} />
          <HeldList gate={gate} t={t} version={heldVersion} />
          {!isApproveMode && pending.length === 0 && <p className='help'>{t.notApproveMode}</p>}
          {isApproveMode && pending.length === 0 && <p className='gate__empty'>{t.empty}</p>}
          <ol className='gate__list' aria-label={t.heading}>
            {pending.map(q => <li key={q.message_id}><PendingQuestion q={q} others={questions} gate={gate} t={t} act={act} /></li>)}
          </ol>
          {decided.length > 0 && (
            <details className='gate__decided'>
              <summary>{t.decided(decided.length)}</summary>
              <ol className='gate__list'>
                {decided.map(q => <li key={q.message_id}><DecidedQuestion q={q} all={questions} t={t} /></li>)}
              </ol>
            </details>
          )}
        </div>
        <aside className='gate__side'>
          <ProjectorCard gate={gate} token={token} t={t} />
          <LessonCard gate={gate} t={t} />
          <SummaryCard gate={gate} t={t} />
          <FilterCard gate={gate} t={t} />
          <PrivacyCard gate={gate} t={t} people={[...socket.state.participants.values()]} />
        </aside>
      </div>
    </section>
  )
}

type Mode = 'idle' | 'edit' | 'reject' | 'merge'

function PendingQuestion ({ q, others, gate, t, act }: { q: QuestionItem, others: QuestionItem[], gate: GateApi, t: GateText, act: (p: Promise<unknown>) => void }) {
  const [mode, setMode] = useState<Mode>('idle')
  const [draft, setDraft] = useState(() => withoutAiMention(q.content))
  const [reason, setReason] = useState('')
  const targets = others.filter(o => o.message_id !== q.message_id && (o.status === 'pending' || o.status === 'approved'))
  const [into, setInto] = useState<number>(targets[0]?.message_id ?? 0)
  const idBase = `q${q.message_id}`
  return (
    <article className='question' aria-labelledby={`${idBase}-text`}>
      <div className='question__votes' aria-label={t.votes(q.votes)}><span aria-hidden='true'>▲</span><strong>{q.votes}</strong></div>
      <div className='question__main'>
        <p className='question__meta'><strong>{q.from_user}</strong> · <time dateTime={new Date(q.timestamp).toISOString()}>{new Date(q.timestamp).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' })}</time></p>
        {q.files !== undefined && q.files.length > 0 && <MessagePhotos files={q.files} name={q.from_user} isTabbable />}
        <p className='question__text' id={`${idBase}-text`}>{withoutAiMention(q.content)}</p>
        {mode === 'idle' && (
          <div className='question__actions'>
            <button type='button' className='btn btn--primary' onClick={() => act(gate.approve(q.message_id))}>{t.approve}</button>
            <button type='button' className='btn' onClick={() => setMode('edit')}>{t.edit}</button>
            <button type='button' className='btn btn--danger-text' onClick={() => setMode('reject')}>{t.reject}</button>
            {targets.length > 0 && <button type='button' className='btn' onClick={() => setMode('merge')}>{t.merge}</button>}
          </div>
        )}
        {mode === 'edit' && (
          <form className='question__form' onSubmit={e => { e.preventDefault(); act(gate.approve(q.message_id, draft)) }}>
            <label className='field'>
              <span className='visually-hidden'>{t.edit}</span>
              <textarea value={draft} rows={3} onChange={e => setDraft(e.target.value)} autoFocus />
            </label>
            <div className='question__actions'>
              <button type='submit' className='btn btn--primary' disabled={draft.trim() === ''}>{t.approveEdited}</button>
              <button type='button' className='btn' onClick={() => setMode('idle')}>{t.cancel}</button>
            </div>
          </form>
        )}
        {mode === 'reject' && (
          <form className='question__form' onSubmit={e => { e.preventDefault(); act(gate.reject(q.message_id, reason.trim())) }}>
            <label className='field'>
              <span className='field__label'>{t.reasonLabel}</span>
              <input type='text' value={reason} maxLength={500} onChange={e => setReason(e.target.value)} autoFocus />
            </label>
            <div className='question__chips'>
              {t.reasons.map(r => <button key={r} type='button' className='btn btn--small' onClick={() => setReason(r)}>{r}</button>)}
            </div>
            <div className='question__actions'>
              <button type='submit' className='btn btn--danger'>{t.rejectConfirm}</button>
              <button type='button' className='btn' onClick={() => setMode('idle')}>{t.cancel}</button>
            </div>
          </form>
        )}
        {mode === 'merge' && (
          <form className='question__form' onSubmit={e => { e.preventDefault(); if (into > 0) act(gate.merge(q.message_id, into)) }}>
            <label className='field'>
              <span className='field__label'>{t.mergeInto}</span>
              <select value={into} onChange={e => setInto(Number(e.target.value))}>
                {targets.map(o => <option key={o.message_id} value={o.message_id}>{`${o.from_user}: ${shorten(withoutAiMention(o.content))}`}</option>)}
              </select>
            </label>
            <div className='question__actions'>
              <button type='submit' className='btn btn--primary'>{t.mergeConfirm}</button>
              <button type='button' className='btn' onClick={() => setMode('idle')}>{t.cancel}</button>
            </div>
          </form>
        )}
      </div>
    </article>
  )
}

function DecidedQuestion ({ q, all, t }: { q: QuestionItem, all: QuestionItem[], t: GateText }) {
  const target = q.merged_into === undefined ? undefined : all.find(o => o.message_id === q.merged_into)
  return (
    <article className={`question question--${q.status}`}>
      <div className='question__votes' aria-label={t.votes(q.votes)}><span aria-hidden='true'>▲</span><strong>{q.votes}</strong></div>
      <div className='question__main'>
        <p className='question__meta'><strong>{q.from_user}</strong> · <span className={`status status--${q.status}`}>{t.status[q.status]}</span></p>
        {q.files !== undefined && q.files.length > 0 && <MessagePhotos files={q.files} name={q.from_user} isTabbable />}
        <p className='question__text'>{withoutAiMention(q.content)}</p>
        {q.edited === true && q.asked !== undefined && <p className='help'>{t.editedTo(q.asked)}</p>}
        {q.reason !== undefined && <p className='help'>{t.reasonWas(q.reason)}</p>}
        {target !== undefined && <p className='help'>{t.mergedInto(shorten(withoutAiMention(target.content)))}</p>}
      </div>
    </article>
  )
}

function shorten (text: string): string {
  return text.length > 80 ? `${text.slice(0, 79)}…` : text
}
