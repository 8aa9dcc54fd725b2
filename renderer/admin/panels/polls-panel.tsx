/**
 * Polls: the host writes a question (one choice, several, yes/no or a few words), marks the
 * correct option of a quiz question, opens it for every phone at once, watches the counts arrive,
 * shows or hides them for the class and closes it. Followed live from the admin socket's
 * `poll_update` and `poll_results` frames (the list is read again, a few times a second at most).
 */
import { useCallback, useEffect, useRef, useState, type FormEvent } from 'react'
import {
  MAX_POLL_OPTIONS, MAX_POLL_OPTION_CODE_POINTS, MAX_POLL_QUESTION_CODE_POINTS, MIN_POLL_OPTIONS,
  QUIZ_DRAFT, type AdminPoll, type CreatePollBody, type PollGroupsResponse, type QuizDraftItem
} from '../../../server/protocol/index.js'
import { useAdminT } from '../../shared/i18n/admin.js'
import { useToast } from '../components/toast.js'
import type { ConsolePanelProps } from './panel-props.js'

type Kind = 'single' | 'multi' | 'yesNo' | 'open'
const KINDS: readonly Kind[] = ['single', 'multi', 'yesNo', 'open']
/** The list is read again at most this often while answers stream in. */
const REFRESH_MS = 300
const DRAFT_MINUTES = [5, 10, 20, 45] as const

export function PollsPanel ({ api, socket }: ConsolePanelProps) {
  const t = useAdminT()
  const [polls, setPolls] = useState<AdminPoll[] | null>(null)
  // A drafted question the host wants to edit before opening: the form starts from it.
  const [editing, setEditing] = useState<{ key: number, draft: QuizDraftItem } | null>(null)
  const refresh = useCoalesced(useCallback(async () => {
    const { polls } = await api.polls()
    setPolls([...polls].reverse())
  }, [api]))

  useEffect(() => {
    refresh()
    return socket.subscribe(frames => {
      if (frames.some(f => f.type === 'poll_update' || f.type === 'poll_results' || f.type === 'room_cleared')) refresh()
    })
  }, [socket, refresh])

  return (
    <section className='panel polls' aria-labelledby='polls-h'>
      <h2 id='polls-h' className='panel__title'>{t.polls.heading}</h2>
      <p className='help polls__intro'>{t.polls.intro}</p>
      <div className='polls__grid'>
        <div className='polls__side'>
          <QuizDrafter api={api} onOpened={refresh} onEdit={draft => setEditing(e => ({ key: (e?.key ?? 0) + 1, draft }))} />
          <PollForm key={editing?.key ?? 0} api={api} initial={editing?.draft ?? null} onOpened={refresh} />
        </div>
        <div className='polls__list'>
          {polls !== null && polls.length === 0 && <p className='empty'>{t.polls.none}</p>}
          {polls?.map(p => <PollResults key={p.poll_id} poll={p} api={api} onChanged={refresh} />)}
        </div>
      </div>
    </section>
  )
}

/** Asks the AI for quiz questions from the lesson's last minutes; each can be opened, edited or dropped. */
function QuizDrafter ({ api, onOpened, onEdit }: { api: ConsolePanelProps['api'], onOpened: () => void, onEdit: (draft: QuizDraftItem) => void }) {
  const t = useAdminT()
  const toast = useToast()
  const [minutes, setMinutes] = useState<number>(QUIZ_DRAFT.minutes.default)
  const [count, setCount] = useState<number>(QUIZ_DRAFT.count.default)
  const [drafts, setDrafts] = useState<QuizDraftItem[]>([])
  const [isDrafting, setDrafting] = useState(false)
  const drop = (d: QuizDraftItem): void => setDrafts(list => list.filter(x => x !== d))

  function draft (): void {
    setDrafting(true)
    api.draftQuiz({ minutes, count }).then(r => {
      setDrafts(r.drafts)
      toast.notify({ text: t.polls.drafted(r.drafts.length) })
    }, err => toast.fail(err)).finally(() => setDrafting(false))
  }

  function open (d: QuizDraftItem): void {
    api.createPoll({ question: d.question, kind: 'single', options: d.options, correct: d.correct }).then(() => {
      drop(d)
      toast.notify({ text: t.polls.launched(d.question) })
      onOpened()
    }, err => toast.fail(err))
  }

  return (
    <div className='card quiz-drafter'>
      <h3 className='card__title'>✨ {t.polls.draftTitle}</h3>
      <p className='help'>{t.polls.draftHelp}</p>
      <div className='quiz-drafter__controls'>
        <label>
          <span className='field__label'>{t.polls.draftFrom}</span>
          <select value={minutes} onChange={e => setMinutes(Number(e.target.value))}>
            {DRAFT_MINUTES.map(m => <option key={m} value={m}>{t.polls.draftMinutes(m)}</option>)}
          </select>
        </label>
        <label>
          <span className='field__label'>{t.polls.draftCount}</span>
          <select value={count} onChange={e => setCount(Number(e.target.value))}>
            {[1, 2, 3, 4, 5].map(n => <option key={n} value={n}>{n}</option>)}
          </select>
        </label>
        <button type='button' className='btn' disabled={isDrafting} onClick={draft}>{isDrafting ? t.polls.drafting : t.polls.draft}</button>
      </div>
      {drafts.length > 0 && (
        <ol className='quiz-drafter__list'>
          {drafts.map((d, i) => (
            <li key={`${i}-${d.question}`} className='quiz-draft'>
              <p className='quiz-draft__question'>{d.question}</p>
              <ul className='quiz-draft__options'>
                {d.options.map((o, k) => <li key={k} className={d.correct.includes(k) ? 'is-correct' : undefined}>{o}{d.correct.includes(k) && <span className='poll-result__correct'> ✓ {t.polls.correctMark}</span>}</li>)}
              </ul>
              <div className='poll-result__actions'>
                <button type='button' className='btn btn--small btn--primary' onClick={() => open(d)}>{t.polls.useDraft}</button>
                <button type='button' className='btn btn--small' onClick={() => { onEdit(d); drop(d) }}>{t.polls.editDraft}</button>
                <button type='button' className='btn btn--small' onClick={() => drop(d)}>{t.polls.discardDraft}</button>
              </div>
            </li>
          ))}
        </ol>
      )}
    </div>
  )
}

function PollForm ({ api, initial, onOpened }: { api: ConsolePanelProps['api'], initial: QuizDraftItem | null, onOpened: () => void }) {
  const t = useAdminT()
  const toast = useToast()
  const [question, setQuestion] = useState(initial?.question ?? '')
  const [kind, setKind] = useState<Kind>('single')
  const [options, setOptions] = useState<string[]>(initial?.options ?? ['', ''])
  const [correct, setCorrect] = useState<number[]>(initial?.correct ?? [])
  const [isSending, setSending] = useState(false)
  const shown = kind === 'yesNo' ? [t.polls.yes, t.polls.no] : options
  const hasChoices = kind !== 'open'
  const filled = shown.map(o => o.trim()).filter(o => o !== '')
  const canOpen = question.trim() !== '' && (!hasChoices || filled.length >= MIN_POLL_OPTIONS) && !isSending

  const setOption = (i: number, value: string): void => setOptions(list => list.map((o, k) => k === i ? value : o))
  const removeOption = (i: number): void => {
    setOptions(list => list.filter((_, k) => k !== i))
    setCorrect(list => list.filter(k => k !== i).map(k => k > i ? k - 1 : k))
  }
  const toggleCorrect = (i: number): void => {
    const isMulti = kind === 'multi'
    setCorrect(list => list.includes(i) ? list.filter(k => k !== i) : isMulti ? [...list, i].sort((a, b) => a - b) : [i])
  }

  async function submit (e: FormEvent): Promise<void> {
    e.preventDefault()
    if (!canOpen) return
    // Empty option fields are left out; the correct marks follow their options.
    const kept = shown.map((o, i) => ({ text: o.trim(), i })).filter(o => o.text !== '')
    const body: CreatePollBody = hasChoices
      ? { question: question.trim(), kind: kind === 'multi' ? 'multi' : 'single', options: kept.map(o => o.text), correct: kept.flatMap((o, k) => correct.includes(o.i) ? [k] : []) }
      : { question: question.trim(), kind: 'open' }
    setSending(true)
    try {
      await api.createPoll(body)
      toast.notify({ text: t.polls.launched(body.question) })
      setQuestion('')
      setOptions(['', ''])
      setCorrect([])
      onOpened()
    } catch (err) {
      toast.fail(err)
    } finally {
      setSending(false)
    }
  }

  return (
    <form className='card poll-form' onSubmit={e => { submit(e).catch(() => { /* shown by the toast */ }) }}>
      <h3 className='card__title'>{t.polls.newPoll}</h3>
      <label className='field'>
        <span className='field__label'>{t.polls.question}</span>
        <textarea rows={2} value={question} maxLength={MAX_POLL_QUESTION_CODE_POINTS * 2} placeholder={t.polls.questionPlaceholder} onChange={e => setQuestion(e.target.value)} />
      </label>
      <fieldset className='field poll-form__kinds'>
        <legend className='field__label'>{t.polls.kind}</legend>
        <div className='segmented'>
          {KINDS.map(k => (
            <button key={k} type='button' aria-pressed={kind === k} onClick={() => { setKind(k); setCorrect([]) }}>{t.polls.kinds[k]}</button>
          ))}
        </div>
      </fieldset>
      {hasChoices
        ? (
          <fieldset className='field poll-form__options'>
            <legend className='field__label'>{t.polls.options}</legend>
            <p className='help'>{t.polls.correctHelp}</p>
            <ol>
              {shown.map((o, i) => (
                <li key={i} className='poll-form__option'>
                  <input
                    type='text'
                    value={o}
                    aria-label={t.polls.option(i + 1)}
                    placeholder={t.polls.option(i + 1)}
                    maxLength={MAX_POLL_OPTION_CODE_POINTS * 2}
                    readOnly={kind === 'yesNo'}
                    onChange={e => setOption(i, e.target.value)}
                  />
                  <label className='poll-form__correct'>
                    <input type={kind === 'multi' ? 'checkbox' : 'radio'} name='poll-correct' checked={correct.includes(i)} onChange={() => toggleCorrect(i)} onClick={() => { if (kind !== 'multi' && correct.includes(i)) setCorrect([]) }} />
                    {t.polls.correct}
                  </label>
                  {kind !== 'yesNo' && options.length > MIN_POLL_OPTIONS && (
                    <button type='button' className='btn btn--small' aria-label={t.polls.removeOption(i + 1)} onClick={() => removeOption(i)}>✕</button>
                  )}
                </li>
              ))}
            </ol>
            {kind !== 'yesNo' && options.length < MAX_POLL_OPTIONS && (
              <button type='button' className='btn btn--small' onClick={() => setOptions(list => [...list, ''])}>+ {t.polls.addOption}</button>
            )}
          </fieldset>
          )
        : <p className='help'>{t.polls.openHelp}</p>}
      <button type='submit' className='btn btn--primary' disabled={!canOpen}>{t.polls.launch}</button>
    </form>
  )
}

function PollResults ({ poll, api, onChanged }: { poll: AdminPoll, api: ConsolePanelProps['api'], onChanged: () => void }) {
  const t = useAdminT()
  const toast = useToast()
  const isOpen = poll.status === 'open'
  const act = (call: () => Promise<unknown>, done?: string): void => {
    call().then(() => { if (done !== undefined) toast.notify({ text: done }); onChanged() }, err => toast.fail(err))
  }
  const headingId = `admin-poll-${poll.poll_id}`
  return (
    <article className={`card poll-result${isOpen ? ' is-open' : ''}`} aria-labelledby={headingId}>
      <header className='poll-result__head'>
        <span className={`badge${isOpen ? ' badge--ok' : ''}`}>{isOpen ? t.polls.open : t.polls.closed}</span>
        <span className='muted'>{t.polls.answered(poll.total)}</span>
      </header>
      <h3 id={headingId} className='poll-result__question'>{poll.question}</h3>
      {poll.kind !== 'open'
        ? (
          <ol className='poll-result__bars'>
            {poll.options.map((o, i) => {
              const n = poll.counts?.[i] ?? 0
              const share = poll.total > 0 ? Math.round(n * 100 / poll.total) : 0
              const isCorrect = poll.correct.includes(i)
              return (
                <li key={i} className={isCorrect ? 'is-correct' : undefined}>
                  <span className='poll-result__label'>
                    <span>{o}{isCorrect && <span className='poll-result__correct'> ✓ {t.polls.correctMark}</span>}</span>
                    <span className='muted'>{t.polls.votes(n)} · {share}%</span>
                  </span>
                  <span className='poll-result__bar' aria-hidden='true'><span style={{ width: `${share}%` }} /></span>
                </li>
              )
            })}
          </ol>
          )
        : (
          <div className='poll-result__texts'>
            <h4 className='poll-result__sub'>{t.polls.openAnswers}</h4>
            {poll.answers.length === 0 ? <p className='muted'>{t.polls.noAnswers}</p> : <ul>{poll.answers.map(a => <li key={a.user_id}><strong>{a.username}</strong> {a.text}</li>)}</ul>}
            {poll.answers.length > 0 && <AnswerGroups api={api} pollId={poll.poll_id} />}
          </div>
          )}
      <p className='help'>{poll.show_results ? t.polls.shown : t.polls.hidden}</p>
      <div className='poll-result__actions'>
        <button type='button' className='btn btn--small' aria-pressed={poll.show_results} onClick={() => act(() => api.showPollResults(poll.poll_id, !poll.show_results))}>
          {poll.show_results ? t.polls.hide : t.polls.show}
        </button>
        {isOpen && <button type='button' className='btn btn--small' onClick={() => act(() => api.closePoll(poll.poll_id), t.polls.closedToast(poll.question))}>{t.polls.close}</button>}
        {!isOpen && poll.kind !== 'open' && poll.total > 0 && (
          <button type='button' className='btn btn--small' onClick={() => act(() => api.explainPoll(poll.poll_id), t.polls.explaining)}>
            ✨ {poll.correct.length > 0 ? t.polls.explain : t.polls.explainNoCorrect}
          </button>
        )}
      </div>
      {poll.kind !== 'open' && poll.answers.length > 0 && (
        <details className='poll-result__who'>
          <summary>{t.polls.who}</summary>
          <ul>
            {poll.answers.map(a => (
              <li key={a.user_id}><strong>{a.username}</strong> {(a.choice ?? []).map(i => poll.options[i] ?? '').join(', ')}</li>
            ))}
          </ul>
        </details>
      )}
    </article>
  )
}

/** "Group the answers": the AI's themes for the teacher first, then on the projector if wanted. */
function AnswerGroups ({ api, pollId }: { api: ConsolePanelProps['api'], pollId: number }) {
  const t = useAdminT()
  const toast = useToast()
  const [groups, setGroups] = useState<PollGroupsResponse['groups'] | null>(null)
  const [isBusy, setBusy] = useState(false)
  const [isShown, setShown] = useState(false)
  const group = (): void => {
    setBusy(true)
    api.groupPollAnswers(pollId).then(r => { setGroups(r.groups); setShown(false) }, err => toast.fail(err)).finally(() => setBusy(false))
  }
  const show = (on: boolean): void => {
    api.showPollGroups(pollId, on ? groups ?? [] : []).then(() => {
      setShown(on)
      if (on) toast.notify({ text: t.polls.groupsShown })
    }, err => toast.fail(err))
  }
  return (
    <div className='answer-groups'>
      <button type='button' className='btn btn--small' disabled={isBusy} onClick={group}>✨ {isBusy ? t.polls.grouping : t.polls.group}</button>
      {groups !== null && (
        <>
          <ul className='answer-groups__list'>
            {groups.map(g => (
              <li key={g.theme} className={g.is_misconception ? 'answer-group is-misconception' : 'answer-group'}>
                <p className='answer-group__theme'>{g.theme} <span className='muted'>({g.answers.length})</span>{g.is_misconception && <span className='badge badge--warn'>{t.polls.misconception}</span>}</p>
                <p className='answer-group__answers'>{g.answers.join(' · ')}</p>
              </li>
            ))}
          </ul>
          <button type='button' className='btn btn--small' aria-pressed={isShown} onClick={() => show(!isShown)}>{isShown ? t.polls.hideGroups : t.polls.showGroups}</button>
        </>
      )}
    </div>
  )
}

/** `run` at most once per REFRESH_MS however often it is asked for; the last ask always runs. */
function useCoalesced (run: () => Promise<void>): () => void {
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null)
  const last = useRef(0)
  useEffect(() => () => { if (timer.current !== null) clearTimeout(timer.current) }, [])
  return useCallback(() => {
    if (timer.current !== null) return
    const wait = Math.max(0, last.current + REFRESH_MS - Date.now())
    timer.current = setTimeout(() => {
      timer.current = null
      last.current = Date.now()
      run().catch(() => { /* the list stays as it was; the next frame reads it again */ })
    }, wait)
  }, [run])
}
