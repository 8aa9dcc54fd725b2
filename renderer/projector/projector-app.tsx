/**
 * The classroom screen (16:9, read from the back row): the join QR code, address and room name
 * while people join; then the newest question and its answer streaming in large type. The host
 * switches views from the console (`projector_update`); F toggles full screen, Q the join code.
 */
import { useCallback, useEffect, useReducer, useRef, useState } from 'react'
import type { AdminApi } from '../admin/api.js'
import { createGateApi } from '../admin/gate/gate-api.js'
import { QrCode } from '../admin/components/qr-code.js'
import { useNetwork } from '../admin/hooks/use-network.js'
import { useAdminConnection } from '../admin/hooks/use-admin-connection.js'
import { withoutAiMention } from '../../server/protocol/index.js'
import { LazyMarkdown } from '../shared/markdown/lazy-markdown.js'
import { createProjectorState, projectorReducer, shownView, type ProjectedPoll, type ProjectorState } from './projector-state.js'
import type { ProjectorText } from '../shared/i18n/projector.js'
import { useAnswerPaging } from './answer-paging.js'
import { useReadAloud, type ReadAloud } from '../shared/read-aloud/use-read-aloud.js'

/** Keys that scroll the answer: a share of its height (Infinity: to the end). */
const SCROLL_KEYS: Record<string, number> = { ArrowDown: 0.25, ArrowUp: -0.25, PageDown: 0.9, PageUp: -0.9, ' ': 0.9, Home: -Infinity, End: Infinity }

/** How many seqs back the projector reads when it opens (enough for the last answers). */
const CONTEXT_SEQS = 400

export function ProjectorApp ({ api, token, text }: { api: AdminApi, token: string, text: ProjectorText }) {
  const [state, dispatch] = useReducer(projectorReducer, undefined, () => createProjectorState())
  const [roomName, setRoomName] = useState('')
  const [isQrForced, setQrForced] = useState(false)
  const network = useNetwork(api)
  const lastSeq = useRef(0)
  useEffect(() => { lastSeq.current = Math.max(lastSeq.current, state.lastSeq) }, [state.lastSeq])

  const isFirstRead = useRef(true)
  const phase = useAdminConnection(token, {
    lastSeq: () => lastSeq.current,
    async prepare () {
      const status = await api.status()
      setRoomName(status.room.name)
      if (isFirstRead.current) {
        isFirstRead.current = false
        // Start a little before now: the newest answers and their questions.
        lastSeq.current = Math.max(0, status.last_seq - CONTEXT_SEQS)
        const p = await createGateApi('', token).projector()
        dispatch([{ type: 'projector_update', view: p.view, hide_names: p.hide_names, read_aloud: p.read_aloud === true }])
      }
    },
    onFrames: frames => dispatch(frames)
  })

  useEffect(() => {
    const onKey = (ev: KeyboardEvent): void => {
      if (ev.ctrlKey || ev.metaKey || ev.altKey) return
      const key = ev.key.toLowerCase()
      if (key === 'f') {
        if (document.fullscreenElement) document.exitFullscreen().catch(() => {})
        else document.documentElement.requestFullscreen().catch(() => {})
      } else if (key === 'q') {
        setQrForced(v => !v)
      } else if (SCROLL_KEYS[ev.key] !== undefined) {
        // The answer follows its newest lines; the host scrolls back with the arrow keys.
        const body = document.querySelector('.answer__body')
        if (body === null) return
        ev.preventDefault()
        const step = SCROLL_KEYS[ev.key]!
        body.scrollBy({ top: Math.abs(step) === Infinity ? (step > 0 ? body.scrollHeight : -body.scrollHeight) : step * body.clientHeight, behavior: 'smooth' })
      }
    }
    window.addEventListener('keydown', onKey)
    return () => window.removeEventListener('keydown', onKey)
  }, [])

  const audioSource = useCallback((id: number, signal: AbortSignal) => fetch(`/api/messages/${id}/audio`, { headers: { authorization: `Bearer ${token}` }, signal }), [token])
  const reader = useReadAloud(audioSource, navigator.language)
  useReadingAloud(state, reader)

  const joinUrl = network.chosen?.url ?? `${window.location.protocol}//${window.location.host}/`
  const view = shownView(state, isQrForced)

  if (phase === 'refused') return <p className='projector__notice' role='alert'>{text.refused}</p>
  return (
    <main className={`projector projector--${view}`} data-view={view}>
      {view === 'qr' && <JoinView roomName={roomName} joinUrl={joinUrl} state={state} text={text} />}
      {view === 'answer' && <AnswerView roomName={roomName} joinUrl={joinUrl} state={state} text={text} />}
      {view === 'poll' && state.poll !== null && <PollView api={api} poll={state.poll} roomName={roomName} joinUrl={joinUrl} text={text} />}
      {phase === 'reconnecting' && <p className='projector__phase' role='status'>{text.reconnecting}</p>}
      {reader.state?.phase === 'failed' && reader.state.reason === 'blocked' && state.answer !== null && (
        // The browser plays sound only after someone touched the page: one click on the projector.
        <button type='button' className='projector__sound' onClick={() => { if (state.answer !== null) reader.read(state.answer.id, state.answer.text).catch(() => {}) }}>
          <span aria-hidden='true'>🔊 </span>{text.allowSound}
        </button>
      )}
    </main>
  )
}

/**
 * With read-aloud on, each answer the room sees written while this screen is open is read once it
 * ends (an answer already finished when the screen opened, or held for the host, is not).
 */
function useReadingAloud (state: ProjectorState, reader: ReadAloud): void {
  const watched = useRef(new Set<number>())
  const read = useRef(new Set<number>())
  const answer = state.answer
  const { read: readAnswer, stop } = reader
  useEffect(() => {
    if (!state.readAloud) { stop(); return }
    if (answer === null || answer.isHidden) return
    if (answer.status === 'streaming') { watched.current.add(answer.id); return }
    if (answer.status !== 'complete' || answer.isReviewing || !watched.current.has(answer.id) || read.current.has(answer.id)) return
    read.current.add(answer.id)
    readAnswer(answer.id, answer.text).catch(() => {})
  }, [state.readAloud, answer, readAnswer, stop])
}

function JoinView ({ roomName, joinUrl, state, text }: { roomName: string, joinUrl: string, state: ProjectorState, text: ProjectorText }) {
  return (
    <section className='join' aria-label={text.scanToJoin}>
      <div className='join__qr'>
        <QrCode text={joinUrl} label={`${text.scanToJoin}: ${joinUrl}`} className='join__code' />
      </div>
      <div className='join__text'>
        <p className='brand'><span className='brand__mark' aria-hidden='true'>◆</span> MindWeb</p>
        <h1 className='join__room'>{roomName}</h1>
        <p className='join__scan'>{text.scanToJoin}</p>
        <p className='join__or'>{text.orOpen}</p>
        <p className='join__url'>{displayUrl(joinUrl)}</p>
        <p className='join__meta'>
          {state.online > 0 && <span>{text.online(state.online)}</span>}
          {state.online > 0 && state.waiting > 0 && <span> · </span>}
          {state.waiting > 0 && <span>{text.waitingQuestions(state.waiting)}</span>}
        </p>
      </div>
      <p className='projector__keys'>{text.keys}</p>
    </section>
  )
}

function AnswerView ({ roomName, joinUrl, state, text }: { roomName: string, joinUrl: string, state: ProjectorState, text: ProjectorText }) {
  const answer = state.answer
  const question = answer === null ? undefined : state.questions.get(answer.replyTo)
  const bodyRef = useRef<HTMLDivElement>(null)

  // Follow the answer as it grows: the newest lines stay on the screen. A written answer starts
  // at its beginning and pages on by itself (answer-paging.ts).
  const isStreaming = answer?.status === 'streaming'
  useEffect(() => {
    const el = bodyRef.current
    if (el !== null && isStreaming) el.scrollTop = el.scrollHeight
  }, [answer?.text, answer?.id, isStreaming])
  useAnswerPaging(bodyRef, isStreaming, answer?.id)

  const asker = question === undefined || question.from === null || state.hideNames ? text.aQuestion : text.asked(question.from)
  return (
    <section className='answer' aria-live='polite'>
      <header className='answer__question'>
        <p className='answer__asker'>
          {asker}
          {question?.asked != null && <span className='answer__edited'>{text.editedByHost}</span>}
          {answer?.isEditedByHost === true && <span className='answer__edited'>{text.answerEdited}</span>}
        </p>
        {question !== undefined && <h1 className='answer__q'>{question.asked ?? withoutAiMention(question.content)}</h1>}
      </header>
      {/* focusable: the arrow keys scroll it, and a keyboard user can reach it */}
      <div className='answer__body' ref={bodyRef} tabIndex={0}>
        {answer === null && <p className='answer__empty'>{text.noAnswerYet}</p>}
        {answer !== null && answer.isHidden && <p className='answer__empty'>{text.hidden}</p>}
        {answer !== null && !answer.isHidden && (
          answer.text === '' && answer.status === 'streaming'
            ? <p className='answer__writing'>{answer.isReviewing ? text.checking : text.writing}</p>
            : <LazyMarkdown text={answer.text} isStreaming={answer.status === 'streaming'} />
        )}
        {answer !== null && !answer.isHidden && (answer.status === 'stopped' || answer.status === 'failed' || answer.status === 'interrupted') && (
          <p className='answer__status'>{answer.status !== 'stopped' ? text.failed : answer.cutAtChars !== null ? text.cut(answer.cutAtChars) : text.stopped}</p>
        )}
      </div>
      <footer className='answer__footer'>
        <QrCode text={joinUrl} label={`${text.scanToJoin}: ${joinUrl}`} className='answer__qr' />
        <span className='answer__join'>{text.joinAt} <strong>{displayUrl(joinUrl)}</strong></span>
        <span className='answer__room'>{roomName}</span>
        {state.waiting > 0 && <span className='answer__waiting'>{text.waitingQuestions(state.waiting)}</span>}
      </footer>
    </section>
  )
}

/**
 * The newest poll in large type: its question, then bars while the host shows the results (a
 * cloud of the answers for an open poll, the same answer bigger the more often it was given), or
 * how many have answered until then.
 */
function PollView ({ api, poll, roomName, joinUrl, text }: { api: AdminApi, poll: ProjectedPoll, roomName: string, joinUrl: string, text: ProjectorText }) {
  const cloud = useAnswerCloud(api, poll)
  const correct = useCorrectOptions(api, poll)
  const isShown = poll.showResults && poll.groups === null
  return (
    <section className='pollview' aria-live='polite'>
      <header className='pollview__head'>
        <p className='pollview__label'>{poll.status === 'open' ? text.poll : text.pollClosed} · {text.answered(poll.total)}</p>
        <h1 className='pollview__q'>{poll.question}</h1>
      </header>
      <div className='pollview__body'>
        {isShown && poll.kind !== 'open' && (
          <ol className='pollview__bars'>
            {poll.options.map((o, i) => {
              const n = poll.counts[i] ?? 0
              const share = poll.total > 0 ? Math.round(n * 100 / poll.total) : 0
              return (
                <li key={i} className={correct.has(i) ? 'is-correct' : undefined}>
                  <span className='pollview__option'>
                    <span>{o}{correct.has(i) && <span className='pollview__correct'> ✓ {text.correct}</span>}</span>
                    <span className='pollview__n'>{share}% · {text.votes(n)}</span>
                  </span>
                  <span className='pollview__bar' aria-hidden='true'><span style={{ width: `${share}%` }} /></span>
                </li>
              )
            })}
          </ol>
        )}
        {isShown && poll.kind === 'open' && (
          <ul className='pollview__cloud'>
            {cloud.map(w => <li key={w.text} style={{ fontSize: `${3 + 5 * w.weight}vmin` }}>{w.text}</li>)}
          </ul>
        )}
        {poll.groups !== null && (
          <ul className='pollview__groups'>
            {poll.groups.map(g => (
              <li key={g.theme} className={g.is_misconception ? 'is-misconception' : undefined}>
                <p className='pollview__theme'>{g.theme}{g.is_misconception && <span className='pollview__flag'> · {text.misconception}</span>} <span className='pollview__n'>({g.answers.length})</span></p>
                <p className='pollview__examples'>{g.answers.slice(0, 6).join(' · ')}</p>
              </li>
            ))}
          </ul>
        )}
        {!isShown && poll.groups === null && (
          <div className='pollview__waiting'>
            {poll.kind !== 'open' && <ol className='pollview__choices'>{poll.options.map((o, i) => <li key={i}>{o}</li>)}</ol>}
            <p>{poll.status === 'open' ? text.answerOnPhones : text.resultsSoon}</p>
          </div>
        )}
      </div>
      <footer className='answer__footer'>
        <QrCode text={joinUrl} label={`${text.scanToJoin}: ${joinUrl}`} className='answer__qr' />
        <span className='answer__join'>{text.joinAt} <strong>{displayUrl(joinUrl)}</strong></span>
        <span className='answer__room'>{roomName}</span>
      </footer>
    </section>
  )
}

/**
 * A closed quiz question's correct options, from the host's record of the poll: the class sees
 * which was right once the poll is closed and its results are shown (never while it is open).
 */
function useCorrectOptions (api: AdminApi, poll: ProjectedPoll): ReadonlySet<number> {
  const [read, setRead] = useState<{ pollId: number, correct: ReadonlySet<number> } | null>(null)
  const isWanted = poll.status === 'closed' && poll.showResults && poll.kind !== 'open'
  useEffect(() => {
    if (!isWanted) return
    let isCurrent = true
    api.polls().then(r => {
      const found = r.polls.find(p => p.poll_id === poll.id)
      if (isCurrent) setRead({ pollId: poll.id, correct: new Set(found?.correct ?? []) })
    }, () => { /* the bars show without the mark */ })
    return () => { isCurrent = false }
  }, [api, poll.id, isWanted])
  return isWanted && read?.pollId === poll.id ? read.correct : NO_CORRECT
}

const NO_CORRECT: ReadonlySet<number> = new Set()

/** An open poll's answers grouped (case and spacing aside), most given first, while they are shown. */
function useAnswerCloud (api: AdminApi, poll: ProjectedPoll): Array<{ text: string, weight: number }> {
  const [cloud, setCloud] = useState<Array<{ text: string, weight: number }>>([])
  const isWanted = poll.kind === 'open' && poll.showResults
  useEffect(() => {
    if (!isWanted) return
    let isCurrent = true
    // Read again as answers arrive (the total changes); a few reads a second at most.
    const timer = setTimeout(() => {
      api.polls().then(r => {
        if (!isCurrent) return
        const texts = r.polls.find(p => p.poll_id === poll.id)?.answers.flatMap(a => a.text === undefined ? [] : [a.text.trim()]) ?? []
        const groups = new Map<string, { text: string, n: number }>()
        for (const t of texts) {
          const key = t.toLocaleLowerCase().replace(/\s+/g, ' ')
          const g = groups.get(key)
          if (g === undefined) groups.set(key, { text: t, n: 1 })
          else g.n++
        }
        const sorted = [...groups.values()].sort((a, b) => b.n - a.n).slice(0, 40)
        const most = sorted[0]?.n ?? 1
        setCloud(sorted.map(g => ({ text: g.text, weight: most === 1 ? 0.3 : (g.n - 1) / (most - 1) })))
      }, () => { /* the cloud stays as it was */ })
    }, 300)
    return () => { isCurrent = false; clearTimeout(timer) }
  }, [api, poll.id, poll.total, isWanted])
  return cloud
}

/** The address as people type it: no scheme, no trailing slash. */
function displayUrl (url: string): string {
  return url.replace(/^https?:\/\//, '').replace(/\/$/, '')
}
