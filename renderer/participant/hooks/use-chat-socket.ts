/**
 * The participant's one socket hook: loads recent history, keeps the room socket alive and
 * resumes it with `since=`, applies frames through the pure reducers, and owns the optimistic
 * outbox (kept in localStorage so not even a refresh loses a message).
 */
import { startTransition, useCallback, useEffect, useReducer, useRef, useState } from 'react'
import type { AiMode, ErrorFrame, FeedbackRating, HelloFrame, PhotosMode, ReactionEmoji, SignalKind } from '../../../server/protocol/index.js'
import { NO_REACTIONS, reactionsReducer, type ReactionsView } from '../../shared/chat/reactions-state.js'
import { ApiError, getMessages, getUsers } from '../../shared/api.js'
import { readJson, writeJson, type Session } from '../../shared/session-store.js'
import { chatReducer, createChatState, type ChatState } from '../../shared/chat/chat-state.js'
import type { RoomFrame } from '../../shared/chat/frames.js'
import {
  AuthFailedError, createChatConnection, roomSocketUrl, type ChatConnection, type ConnectionStatus
} from '../state/chat-connection.js'
import { createFrameBatcher } from '../../shared/chat/frame-batcher.js'
import { fetchEarlier } from '../../shared/chat/earlier.js'
import { createOutboxEntry, newClientMsgId, reviveOutbox } from '../../shared/chat/outbox.js'
import { createPresenceState, LARGE_ROOM, presenceReducer, type PresenceState } from '../state/presence-state.js'
import { fetchQuestions, NO_QUESTIONS, questionsReducer, type QuestionsView } from '../components/question-state.js'
import { fetchPolls, NO_POLLS, pollsReducer, type PollsState } from '../components/poll-state.js'

export const HISTORY_LIMIT = 100

export interface MySignals { feeling: 'lost' | 'got_it' | null, hand: boolean }
const NO_SIGNALS: MySignals = { feeling: null, hand: false }

export interface RoomLive {
  aiMode: AiMode
  aiAvailable: boolean
  /** the host's photo rule */
  photos: PhotosMode
}

export interface ChatSocket {
  chat: ChatState
  presence: PresenceState
  status: ConnectionStatus
  live: RoomLive | null
  /** A transient problem to show (an error frame not tied to a message). */
  notice: ErrorFrame | null
  /** The host muted me until then (ms since epoch); null when not muted. */
  mutedUntil: number | null
  /** The AI app's follow-up questions of the newest answer that has them. */
  followUps: { replyId: number, suggestions: string[] } | null
  /** My own ratings of answers; `rate` sets one (null takes it back). */
  myFeedback: ReadonlyMap<number, FeedbackRating>
  /** My signals: "I'm lost" or "got it" (until they run out), and my raised hand. */
  mySignals: MySignals
  signal: (kind: SignalKind, on: boolean) => void
  /** Every message's reaction counts and mine; `react` adds or takes back one. */
  reactions: ReactionsView
  react: (messageId: number, emoji: ReactionEmoji, on: boolean) => void
  rate: (messageId: number, rating: FeedbackRating | null) => void
  send: (content: string, files?: string[]) => void
  resend: (clientMsgId: string) => void
  discard: (clientMsgId: string) => void
  stopReply: (id: number) => void
  /** The teacher's gate: each question's state and my votes; `vote` sends one. */
  questions: QuestionsView
  vote: (messageId: number, up: boolean) => void
  /** This session's polls; `answerPoll` sends my answer (again: it replaces the earlier one). */
  polls: PollsState
  answerPoll: (pollId: number, answer: { choice: number[] } | { text: string }) => void
  reconnectNow: () => void
  /** Re-reads who is here (the people list of a large room is read when it is opened). */
  refreshPeople: () => void
  /** True while older messages may exist on the host beyond what was loaded. */
  hasEarlier: boolean
  /** Loads older messages; resolves to how many were added. */
  loadEarlier: () => Promise<number>
  /** The newest seq of the history loaded on opening (null until it is): what came after is news. */
  openedAtSeq: number | null
}

const NOTICE_MS = 6000

/** Connects `session` to its room while mounted; `onAuthFailed` fires when the token is refused. */
export function useChatSocket (roomId: string, session: Session, onAuthFailed: () => void, onRemoved: (message: string | null) => void = ignoreRemoved): ChatSocket {
  const outboxKey = `mindweb:outbox:${roomId}:${session.userId}`
  const [chat, dispatch] = useReducer(chatReducer, outboxKey, key => createChatState(reviveOutbox(readJson(key))))
  const [presence, dispatchPresence] = useReducer(presenceReducer, undefined, createPresenceState)
  const [questions, dispatchQuestions] = useReducer(questionsReducer, NO_QUESTIONS)
  const [polls, dispatchPolls] = useReducer(pollsReducer, NO_POLLS)
  const [status, setStatus] = useState<ConnectionStatus>({ phase: 'connecting', retryAt: null, hasConnected: false })
  const [live, setLive] = useState<RoomLive | null>(null)
  const [notice, setNotice] = useState<ErrorFrame | null>(null)
  const [hasEarlier, setHasEarlier] = useState(false)
  const [openedAtSeq, setOpenedAtSeq] = useState<number | null>(null)
  const [mutedUntil, setMutedUntil] = useState<number | null>(null)
  const [mySignals, setMySignals] = useState<MySignals>(NO_SIGNALS)
  const [reactions, dispatchReactions] = useReducer(reactionsReducer, NO_REACTIONS)
  // the newest answer's follow-up questions (older ones are of questions already moved past)
  const [followUps, setFollowUps] = useState<{ replyId: number, suggestions: string[] } | null>(null)
  const [myFeedback, setMyFeedback] = useState<ReadonlyMap<number, FeedbackRating>>(new Map())
  const oldestSeqRef = useRef<number | null>(null)
  const connectionRef = useRef<ChatConnection | null>(null)
  const outboxRef = useRef(chat.outbox)
  const authFailedRef = useRef(onAuthFailed)
  const removedRef = useRef(onRemoved)

  useEffect(() => { outboxRef.current = chat.outbox }, [chat.outbox])
  useEffect(() => { oldestSeqRef.current = chat.entries[0]?.seq ?? null }, [chat.entries])
  useEffect(() => { authFailedRef.current = onAuthFailed }, [onAuthFailed])
  useEffect(() => { removedRef.current = onRemoved }, [onRemoved])
  useEffect(() => { writeJson(outboxKey, chat.outbox) }, [outboxKey, chat.outbox])

  useEffect(() => {
    const token = session.token
    let hasHistory = false
    // A busy room streams many chunks a second: render them once per animation frame, not per frame.
    // A transition: React renders it in slices and lets a key press in between (no long task).
    const batcher = createFrameBatcher(frames => startTransition(() => dispatch({ type: 'frames', frames })))
    const refreshUsers = (): void => {
      getUsers(token).then(r => dispatchPresence({ type: 'users', users: r.users }), () => { /* the count still shows */ })
    }
    const connection = createChatConnection({
      url: since => roomSocketUrl(window.location, token, since),
      async prepare ({ failedBeforeHello }) {
        if (hasHistory && !failedBeforeHello) return
        // First load: recent history; after a refused upgrade: is the token still good?
        const limit = hasHistory ? 1 : HISTORY_LIMIT
        const result = await getMessages(token, { limit }).catch((err: unknown) => {
          if (err instanceof ApiError && err.status === 401) throw new AuthFailedError(err.message)
          throw err
        })
        if (hasHistory) return
        hasHistory = true
        setHasEarlier(result.messages.length >= HISTORY_LIMIT && (result.messages[0]?.seq ?? 0) > 1)
        dispatch({ type: 'history', messages: result.messages })
        dispatchReactions({ type: 'history', messages: result.messages })
        setMyFeedback(prev => {
          const next = new Map(prev)
          for (const m of result.messages) if (m.my_feedback !== undefined) next.set(m.id, m.my_feedback)
          return next
        })
        const withFollowUps = result.messages.findLast(m => m.suggestions !== undefined && m.suggestions.length > 0)
        if (withFollowUps !== undefined) setFollowUps({ replyId: withFollowUps.id, suggestions: withFollowUps.suggestions ?? [] })
        dispatchQuestions({ type: 'history', messages: result.messages })
        for (const m of result.messages) connection.noteSeq(m.seq)
        setOpenedAtSeq(connection.lastSeq())
        // The questions' states: their frames before this history are not replayed.
        const asked = await fetchQuestions(token).catch(() => null)
        if (asked !== null) dispatchQuestions({ type: 'load', response: asked })
        // The polls too: a poll opened before this history window is still on top of the room.
        const polled = await fetchPolls(token).catch(() => null)
        if (polled !== null) dispatchPolls({ type: 'load', response: polled })
      },
      onFrame (frame: RoomFrame) {
        batcher.push(frame)
        if (frame.type === 'presence') dispatchPresence({ type: 'presence', frame })
        if (frame.type === 'question_update' || frame.type === 'ai_review' || frame.type === 'ai_message_end' || frame.type === 'room_cleared') dispatchQuestions({ type: 'frame', frame })
        if (frame.type === 'poll_update' || frame.type === 'poll_results' || frame.type === 'room_cleared') dispatchPolls({ type: 'frame', frame })
        if (frame.type === 'hello') dispatchPresence({ type: 'count', onlineCount: frame.online_count })
        // What I had set before a reload (a raised hand stays raised); a reconnect also corrects a stale one.
        if (frame.type === 'hello') setMySignals(frame.my_signals ?? NO_SIGNALS)
        // A room_update names only what changed (the lock or the announcement leave the AI alone).
        if (frame.type === 'room_update') {
          setLive(prev => prev && {
            aiMode: frame.ai_mode ?? prev.aiMode,
            aiAvailable: typeof frame.ai_available === 'boolean' ? frame.ai_available : prev.aiAvailable,
            photos: frame.photos ?? prev.photos
          })
        }
        if (frame.type === 'room_cleared') setHasEarlier(false)
        if (frame.type === 'muted') setMutedUntil(frame.until)
        if (frame.type === 'reactions') dispatchReactions({ type: 'frame', frame })
        if (frame.type === 'room_cleared') dispatchReactions({ type: 'cleared' })
        // The host lowered my hand, or my "lost" / "got it" ran out.
        if (frame.type === 'signal_cleared') {
          const kind = frame.kind
          setMySignals(prev => kind === 'hand' ? { ...prev, hand: false } : prev.feeling === kind ? { ...prev, feeling: null } : prev)
        }
        if (frame.type === 'ai_suggestions') setFollowUps({ replyId: frame.message_id, suggestions: frame.suggestions })
        if (frame.type === 'room_cleared') setFollowUps(null)
      },
      onOpen (hello: HelloFrame) {
        setLive({ aiMode: hello.ai_mode, aiAvailable: hello.ai_available ?? true, photos: hello.photos ?? 'off' })
        setMutedUntil(hello.muted_until ?? null)
        // In a large room thousands of pages must not each fetch thousands of names on connect.
        if (hello.online_count <= LARGE_ROOM) refreshUsers()
        else dispatchPresence({ type: 'stale' })
        for (const entry of outboxRef.current) {
          if (entry.state === 'pending') connection.sendChat(entry.clientMsgId, entry.content, entry.files)
        }
      },
      onChatRefused (clientMsgId, error) {
        const retryAt = error.retry_after_ms !== undefined ? Date.now() + error.retry_after_ms : null
        dispatch({ type: 'outbox/failed', clientMsgId, failure: { code: error.code, message: error.message, retryAt } })
      },
      onNotice: setNotice,
      onStatus: setStatus,
      onAuthFailed: () => authFailedRef.current(),
      onRemoved: (message) => removedRef.current(message)
    })
    connectionRef.current = connection
    connection.start()

    const nudge = (): void => { if (document.visibilityState !== 'hidden') connection.nudge() }
    window.addEventListener('online', nudge)
    window.addEventListener('offline', nudge)
    window.addEventListener('focus', nudge)
    window.addEventListener('pageshow', nudge)
    document.addEventListener('visibilitychange', nudge)
    return () => {
      window.removeEventListener('online', nudge)
      window.removeEventListener('offline', nudge)
      window.removeEventListener('focus', nudge)
      window.removeEventListener('pageshow', nudge)
      document.removeEventListener('visibilitychange', nudge)
      connection.stop()
      batcher.flush()
      connectionRef.current = null
    }
  }, [session.token])

  useEffect(() => {
    if (!notice) return
    const timer = setTimeout(() => setNotice(null), NOTICE_MS)
    return () => clearTimeout(timer)
  }, [notice])

  const send = useCallback((content: string, files: string[] = []) => {
    const entry = createOutboxEntry(newClientMsgId(), content, Date.now(), files)
    dispatch({ type: 'outbox/add', entry })
    connectionRef.current?.sendChat(entry.clientMsgId, entry.content, entry.files)
  }, [])

  const resend = useCallback((clientMsgId: string) => {
    const entry = outboxRef.current.find(e => e.clientMsgId === clientMsgId)
    if (!entry) return
    dispatch({ type: 'outbox/retry', clientMsgId })
    connectionRef.current?.sendChat(clientMsgId, entry.content, entry.files)
  }, [])

  const discard = useCallback((clientMsgId: string) => dispatch({ type: 'outbox/discard', clientMsgId }), [])
  const stopReply = useCallback((id: number) => { connectionRef.current?.stopReply(id) }, [])
  const vote = useCallback((messageId: number, up: boolean) => {
    dispatchQuestions({ type: 'vote', messageId, up })
    connectionRef.current?.sendVote(messageId, up)
  }, [])
  const rate = useCallback((messageId: number, rating: FeedbackRating | null) => {
    setMyFeedback(prev => {
      const next = new Map(prev)
      if (rating === null) next.delete(messageId)
      else next.set(messageId, rating)
      return next
    })
    connectionRef.current?.sendFeedback(messageId, rating)
  }, [])
  const react = useCallback((messageId: number, emoji: ReactionEmoji, on: boolean) => {
    if (connectionRef.current?.sendReaction(messageId, emoji, on) === true) dispatchReactions({ type: 'mine', messageId, emoji, on })
  }, [])
  const signal = useCallback((kind: SignalKind, on: boolean) => {
    if (connectionRef.current?.sendSignal(kind, on) !== true) return
    setMySignals(prev => kind === 'hand' ? { ...prev, hand: on } : { ...prev, feeling: on ? kind : prev.feeling === kind ? null : prev.feeling })
  }, [])
  const answerPoll = useCallback((pollId: number, answer: { choice: number[] } | { text: string }) => {
    if (connectionRef.current?.sendPollAnswer(pollId, answer) === true) dispatchPolls({ type: 'answered', pollId, mine: answer })
  }, [])
  const reconnectNow = useCallback(() => connectionRef.current?.nudge(), [])
  const refreshPeople = useCallback(() => {
    getUsers(session.token).then(r => dispatchPresence({ type: 'users', users: r.users }), () => { /* the count still shows */ })
  }, [session.token])

  const loadEarlier = useCallback(async (): Promise<number> => {
    const oldest = oldestSeqRef.current
    if (oldest === null || oldest <= 1) {
      setHasEarlier(false)
      return 0
    }
    const { older, since } = await fetchEarlier(oldest, query => getMessages(session.token, query))
    dispatch({ type: 'history', messages: older })
    dispatchReactions({ type: 'history', messages: older })
    dispatchQuestions({ type: 'history', messages: older })
    setHasEarlier(since > 0)
    return older.length
  }, [session.token])

  return { chat, presence, status, live, notice, mutedUntil, followUps, myFeedback, rate, mySignals, signal, reactions, react, send, resend, discard, stopReply, questions, vote, polls, answerPoll, reconnectNow, refreshPeople, hasEarlier, loadEarlier, openedAtSeq }
}

function ignoreRemoved (): void { /* callers that do not care still stop reconnecting */ }
