/** The console's word list, held messages, lesson summary and privacy controls (beside the queue). */
import { useCallback, useEffect, useState } from 'react'
import type { AdminParticipant } from '../../../server/protocol/index.js'
import { MessagePhotos } from '../../shared/chat/message-photos.js'
import { LazyMarkdown } from '../../shared/markdown/lazy-markdown.js'
import { ConfirmDialog } from '../components/confirm-dialog.js'
import { useToast } from '../components/toast.js'
import type { GateApi, HeldItem, WordFilterState } from './gate-api.js'
import type { GateText } from '../../shared/i18n/gate.js'

const RETENTION_CHOICES = [null, 7, 30, 90, 365] as const

export function FilterCard ({ gate, t }: { gate: GateApi, t: GateText }) {
  const toast = useToast()
  const [state, setState] = useState<WordFilterState | null>(null)
  const [draft, setDraft] = useState('')
  useEffect(() => { gate.wordFilter().then(s => { setState(s); setDraft(s.words.join('\n')) }, toast.fail) }, [gate, toast.fail])
  if (state === null) return null
  const save = (patch: Parameters<GateApi['setWordFilter']>[0]): void => {
    gate.setWordFilter(patch).then(s => { setState(s); setDraft(s.words.join('\n')); toast.notify({ text: t.filterSaved(s.words.length) }) }, toast.fail)
  }
  const addStarter = (lang: string): void => {
    gate.starterList(lang).then(r => setDraft(d => [...new Set([...d.split('\n').filter(w => w.trim() !== ''), ...r.words])].join('\n')), toast.fail)
  }
  return (
    <fieldset className='card gate__card'>
      <legend className='card__title'>{t.filter}</legend>
      <label className='switch'>
        <input type='checkbox' role='switch' checked={state.enabled} onChange={e => save({ enabled: e.target.checked })} />
        <span className='switch__label'>{t.filterOn}</span>
      </label>
      <p className='help'>{t.filterHelp}</p>
      <div className='gate__choices'>
        {(['hold', 'refuse'] as const).map(a => (
          <label key={a} className='choice'>
            <input type='radio' name='filter-action' checked={state.action === a} onChange={() => save({ action: a })} />
            <span>{a === 'hold' ? t.hold : t.refuse}</span>
          </label>
        ))}
      </div>
      <label className='field'>
        <span className='field__label'>{t.words}</span>
        <textarea rows={5} value={draft} onChange={e => setDraft(e.target.value)} spellCheck={false} />
        <span className='help'>{t.wordsHelp}</span>
      </label>
      <div className='question__actions'>
        <button type='button' className='btn btn--primary' onClick={() => save({ words: draft.split('\n') })}>{t.save}</button>
        {state.starter_lists.map(lang => <button key={lang} type='button' className='btn btn--small' onClick={() => addStarter(lang)}>{t.addStarter(lang)}</button>)}
      </div>
    </fieldset>
  )
}

/** Messages the word list held, with "let it through" and "discard"; re-read when one is held. */
export function HeldList ({ gate, t, version }: { gate: GateApi, t: GateText, version: number }) {
  const toast = useToast()
  const [held, setHeld] = useState<HeldItem[]>([])
  const load = useCallback(() => { gate.held().then(r => setHeld(r.held), () => { /* the list stays */ }) }, [gate])
  useEffect(() => { load() }, [load, version])
  if (held.length === 0) return null
  const act = (p: Promise<unknown>): void => { p.then(load, toast.fail) }
  return (
    <section className='gate__held' aria-label={t.heldHeading(held.length)}>
      <h3 className='card__title'>{t.heldHeading(held.length)}</h3>
      <ol className='gate__list'>
        {held.map(h => (
          <li key={h.id} className='question question--held'>
            <div className='question__votes' aria-hidden='true'>⚑</div>
            <div className='question__main'>
              <p className='question__meta'><strong>{h.username}</strong> · {h.matched === '' ? t.heldPhoto : t.heldMatched(h.matched)}</p>
              {h.files !== undefined && h.files.length > 0 && <MessagePhotos files={h.files} name={h.username} isTabbable />}
              {h.content !== '' && <p className='question__text'>{h.content}</p>}
              <div className='question__actions'>
                <button type='button' className='btn' onClick={() => act(gate.release(h.id))}>{t.release}</button>
                <button type='button' className='btn btn--danger-text' onClick={() => act(gate.discard(h.id))}>{t.discard}</button>
              </div>
            </div>
          </li>
        ))}
      </ol>
    </section>
  )
}

export function SummaryCard ({ gate, t }: { gate: GateApi, t: GateText }) {
  const toast = useToast()
  const [summary, setSummary] = useState<string | null>(null)
  const [isBusy, setBusy] = useState(false)
  useEffect(() => { gate.summary().then(s => setSummary(s.summary), () => { /* none yet */ }) }, [gate])
  const run = (): void => {
    setBusy(true)
    gate.summarise().then(s => setSummary(s.summary), toast.fail).finally(() => setBusy(false))
  }
  return (
    <fieldset className='card gate__card'>
      <legend className='card__title'>{t.summary}</legend>
      {summary === null ? <p className='help'>{t.noSummary}</p> : <div className='gate__summary'><LazyMarkdown text={summary} /></div>}
      <button type='button' className='btn' disabled={isBusy} onClick={run}>{isBusy ? t.summarising : t.summarise}</button>
    </fieldset>
  )
}

export function PrivacyCard ({ gate, t, people }: { gate: GateApi, t: GateText, people: readonly AdminParticipant[] }) {
  const toast = useToast()
  const [days, setDays] = useState<number | null>(null)
  const [who, setWho] = useState<number>(0)
  const [isConfirming, setConfirming] = useState(false)
  useEffect(() => { gate.retention().then(r => setDays(r.days), () => { /* default shows */ }) }, [gate])
  const chosen = people.find(p => p.user_id === who)
  return (
    <fieldset className='card gate__card'>
      <legend className='card__title'>{t.privacy}</legend>
      <label className='field'>
        <span className='field__label'>{t.retention}</span>
        <select
          value={days ?? ''} onChange={e => {
            const next = e.target.value === '' ? null : Number(e.target.value)
            gate.setRetention(next).then(r => { setDays(r.days); toast.notify({ text: t.retentionDone(r.deleted_sessions) }) }, toast.fail)
          }}
        >
          {RETENTION_CHOICES.map(n => <option key={n ?? 'keep'} value={n ?? ''}>{n === null ? t.retentionKeep : t.retentionDays(n)}</option>)}
        </select>
      </label>
      <label className='field'>
        <span className='field__label'>{t.erase}</span>
        <select value={who} onChange={e => setWho(Number(e.target.value))}>
          <option value={0}>—</option>
          {people.map(p => <option key={p.user_id} value={p.user_id}>{`${p.emoji} ${p.username}`}</option>)}
        </select>
        <span className='help'>{t.eraseHelp}</span>
      </label>
      <button type='button' className='btn btn--danger-text' disabled={chosen === undefined} onClick={() => setConfirming(true)}>{t.erase}</button>
      {isConfirming && chosen !== undefined && (
        <ConfirmDialog
          title={t.eraseConfirmTitle(chosen.username)} confirmLabel={t.erase} isDanger
          onCancel={() => setConfirming(false)}
          onConfirm={() => {
            setConfirming(false)
            gate.erase(chosen.user_id).then(r => { setWho(0); toast.notify({ text: t.eraseDone(r.messages_erased) }) }, toast.fail)
          }}
        >
          <p>{t.eraseConfirmBody}</p>
        </ConfirmDialog>
      )}
    </fieldset>
  )
}
