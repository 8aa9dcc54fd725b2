/** The room: header, connection banner, the conversation, who is here, and the composer. */
import { useCallback, useEffect, useRef, useState } from 'react'
import { MAX_MESSAGE_CODE_POINTS, mentionsAi, type RoomInfoResponse } from '../../../server/protocol/index.js'
import type { ChatEntry, UserEntry } from '../../shared/chat/chat-state.js'
import { MessageList } from '../../shared/chat/message-list.js'
import { useT } from '../../shared/i18n/index.js'
import { PollCard } from './poll-card.js'
import { currentPoll } from './poll-state.js'
import type { Session } from '../../shared/session-store.js'
import { useChatSocket } from '../hooks/use-chat-socket.js'
import { useUnreadTitle } from '../hooks/use-unread-title.js'
import { Composer } from './composer.js'
import { ConnectionBanner } from './connection-banner.js'
import { LiveAnnouncer } from './live-announcer.js'
import { AnswerFeedback } from './answer-feedback.js'
import { sameQuestion } from './question-state.js'
import { ListenButton } from '../../shared/chat/listen-button.js'
import { useReadAloud } from '../../shared/read-aloud/use-read-aloud.js'
import { SignalButtons } from './signal-buttons.js'
import { ReactionBar } from '../../shared/chat/reaction-bar.js'
import { MuteNotice } from './mute-notice.js'
import { NoticeToast } from './notice-toast.js'
import { PeoplePanel } from './people-panel.js'
import { RoomHeader } from './room-header.js'
import { RoomNotes } from './room-notes.js'
import { SuggestionChips } from './suggestion-chips.js'
import { WelcomeCard } from './welcome-card.js'
import { QuestionStatus } from './question-status.js'
import { QuestionWaiting } from './question-waiting.js'
import { QuestionReview } from './question-review.js'

/** Why the page left the room: the token expired, the person left, or the host removed them. */
export type SessionEnd = 'expired' | 'left' | 'removed'

interface RoomScreenProps {
  info: RoomInfoResponse
  session: Session
  /** Set when the person joined just now (focus the message box; say if the host renamed them). */
  justJoined: { renamedFrom: string | null } | null
  onSessionEnded: (reason: SessionEnd) => void
}

const COMPOSER_ID = 'composer-input'
const MESSAGES_ID = 'messages'

export function RoomScreen ({ info, session, justJoined, onSessionEnded }: RoomScreenProps) {
  const onAuthFailed = useCallback(() => onSessionEnded('expired'), [onSessionEnded])
  const onRemoved = useCallback(() => onSessionEnded('removed'), [onSessionEnded])
  const t = useT()
  const socket = useChatSocket(info.room.id, session, onAuthFailed, onRemoved)
  useUnreadTitle(`${info.room.name} · ${t.appName}`, socket.chat.entries, session.userId)
  const [isPeopleOpen, setIsPeopleOpen] = useState(false)
  const [hasSpoken, setHasSpoken] = useState(false)
  const composerRef = useRef<HTMLTextAreaElement>(null)
  const closePeople = useCallback(() => setIsPeopleOpen(false), [])
  const togglePeople = (): void => {
    if (!isPeopleOpen && socket.presence.isListStale) socket.refreshPeople()
    setIsPeopleOpen(!isPeopleOpen)
  }

  const isAnonymous = socket.chat.room.anonymous
  const { refreshPeople } = socket
  // Names shown again: the list read while they were hidden holds only me.
  const wasAnonymous = useRef(isAnonymous)
  useEffect(() => {
    if (wasAnonymous.current && !isAnonymous) refreshPeople()
    wasAnonymous.current = isAnonymous
  }, [isAnonymous, refreshPeople])

  const aiMode = socket.live?.aiMode ?? info.ai_mode
  const aiAvailable = socket.live?.aiAvailable ?? info.ai_available
  const canAsk = aiAvailable && aiMode !== 'off'
  const maxLength = Math.min(info.limits.max_message_length || MAX_MESSAGE_CODE_POINTS, MAX_MESSAGE_CODE_POINTS)
  const { send, stopReply, resend, discard, reconnectNow, loadEarlier } = socket

  const onSend = useCallback((content: string, files: string[] = []) => {
    setHasSpoken(true)
    send(content, files)
  }, [send])

  const ask = useCallback((question: string) => {
    onSend(aiMode === 'all' ? question : `@ai ${question}`)
  }, [aiMode, onSend])

  // A new question with the same words (not a resend: the first one was posted and answered badly).
  const askAgain = useCallback((question: UserEntry) => {
    const text = question.content
    onSend(aiMode === 'all' || mentionsAi(text) ? text : `@ai ${text}`)
  }, [aiMode, onSend])

  // "/" jumps to the message box from anywhere that is not already a text field.
  useEffect(() => {
    const onKey = (e: KeyboardEvent): void => {
      if (e.key !== '/' || e.ctrlKey || e.metaKey || e.altKey || e.defaultPrevented || isTextField(e.target)) return
      e.preventDefault()
      composerRef.current?.focus()
    }
    window.addEventListener('keydown', onKey)
    return () => window.removeEventListener('keydown', onKey)
  }, [])

  // approve mode: each question shows where it stands with the host, and others' can be voted for.
  const { questions, vote, followUps, myFeedback, rate, signal, reactions, react } = socket
  // Read-aloud: the host's audio of an answer (fetched with my token), else the browser's voice.
  const { token } = session
  const audioSource = useCallback((id: number, signal: AbortSignal) => fetch(`/api/messages/${id}/audio`, { headers: { authorization: `Bearer ${token}` }, signal }), [token])
  const reader = useReadAloud(audioSource, t.locale)
  // A follow-up someone already asked (approve mode) is a vote for theirs, not a second question.
  const entries = socket.chat.entries
  const askFollowUp = useCallback((suggestion: string) => {
    const same = aiMode === 'approve' ? sameQuestion(suggestion, entries, questions, session.userId) : null
    if (same === null) ask(suggestion)
    else if (same.canVote) vote(same.messageId, true)
  }, [aiMode, entries, questions, session.userId, ask, vote])
  const poll = currentPoll(socket.polls)
  const renderQuestion = useCallback((entry: ChatEntry) => {
    if (entry.kind === 'ai') {
      const isChecking = questions.reviewing.has(entry.id)
      const note = questions.discarded.get(entry.id)
      const isEdited = questions.edited.has(entry.id)
      const review = isChecking || isEdited || note !== undefined ? <QuestionReview isChecking={isChecking} discardNote={note} isEdited={isEdited} /> : null
      // The app's follow-ups under the newest answer that has them; a tap asks by the room's rules.
      const next = canAsk && followUps?.replyId === entry.id ? <div className='follow-ups'><SuggestionChips suggestions={followUps.suggestions} onAsk={askFollowUp} label={t.welcome.followUps} /></div> : null
      // A written answer the room can see takes a rating (not one still streaming, held or hidden).
      const canRate = entry.status !== 'streaming' && entry.content !== '' && !isChecking && note === undefined
      const feedback = canRate ? <><AnswerFeedback messageId={entry.id} rating={myFeedback.get(entry.id)} onRate={rate} /><ListenButton messageId={entry.id} text={entry.content} reader={reader} /></> : null
      const reactionBar = canRate ? <ReactionBar counts={reactions.counts.get(entry.id)} mine={reactions.mine.get(entry.id)} onReact={(e, on) => react(entry.id, e, on)} /> : null
      return review === null && next === null && feedback === null ? null : <>{review}{feedback}{reactionBar}{next}</>
    }
    if (entry.kind !== 'user') return null
    const question = questions.byId.get(entry.id)
    const reactionBar = entry.isHidden ? null : <ReactionBar counts={reactions.counts.get(entry.id)} mine={reactions.mine.get(entry.id)} onReact={(e, on) => react(entry.id, e, on)} />
    if (question === undefined) return reactionBar
    return <>{<QuestionStatus question={question} isOwn={entry.fromUserId === session.userId} onVote={up => vote(entry.id, up)} />}{reactionBar}</>
  }, [questions, vote, session.userId, followUps, canAsk, askFollowUp, t, myFeedback, rate, reactions, react, reader])

  // The welcome card already offers the suggestions in an empty room.
  const saidSomething = hasSpoken || socket.chat.entries.some(e => e.kind === 'user' && e.fromUserId === session.userId)

  return (
    <div className={isPeopleOpen ? 'room has-people' : 'room'}>
      <a
        className='skip-link'
        href={`#${COMPOSER_ID}`}
        onClick={e => { e.preventDefault(); composerRef.current?.focus() }}
      >
        {t.room.skipToComposer}
      </a>
      <RoomHeader
        roomName={info.room.name}
        onlineCount={socket.presence.onlineCount}
        phase={socket.status.phase}
        selfEmoji={session.emoji}
        isPeopleOpen={isPeopleOpen}
        onTogglePeople={togglePeople}
      />
      <ConnectionBanner status={socket.status} onReconnect={reconnectNow} />
      <RoomNotes announcement={socket.chat.room.announcement} renamedFrom={justJoined?.renamedFrom ?? null} username={session.username} isAnonymous={isAnonymous} />
      {poll !== null && <PollCard key={poll.id} poll={poll} onAnswer={answer => socket.answerPoll(poll.id, answer)} />}
      <main className='room__main'>
        <MessageList
          id={MESSAGES_ID}
          entries={socket.chat.entries}
          outbox={socket.chat.outbox}
          selfId={session.userId}
          // The question's own status line says it waits for the host (and what became of it).
          isApproveMode={false}
          renderActions={renderQuestion}
          welcome={<WelcomeCard roomName={info.room.name} openingStatement={info.opening_statement} suggestions={info.suggested_questions} onAsk={canAsk ? ask : null} />}
          hasEarlier={socket.hasEarlier}
          onLoadEarlier={loadEarlier}
          onStop={stopReply}
          onResend={resend}
          onDiscard={discard}
          onAskAgain={canAsk ? askAgain : undefined}
        />
        {isPeopleOpen && (
          <PeoplePanel
            // An anonymous room lists only me (the list may still hold names read before the switch).
            users={isAnonymous ? socket.presence.users.filter(u => u.user_id === session.userId) : socket.presence.users}
            isAnonymous={isAnonymous}
            onlineCount={socket.presence.onlineCount}
            selfId={session.userId}
            onClose={closePeople}
            onLeave={() => onSessionEnded('left')}
          />
        )}
      </main>
      <div className='room__bottom'>
        <MuteNotice until={socket.mutedUntil} />
        {aiMode === 'approve' && <QuestionWaiting count={questions.waiting} />}
        <SignalButtons mine={socket.mySignals} onSignal={signal} />
        {canAsk && !saidSomething && followUps === null && socket.chat.entries.length > 0 && <SuggestionChips suggestions={info.suggested_questions.slice(0, 4)} onAsk={ask} />}
        <Composer
          inputId={COMPOSER_ID}
          inputRef={composerRef}
          autoFocus={justJoined !== null}
          aiMode={aiMode}
          aiAvailable={aiAvailable}
          maxLength={maxLength}
          slowModeS={socket.chat.room.slowModeS}
          photos={socket.live?.photos ?? info.photos ?? 'off'}
          token={session.token}
          onSend={onSend}
        />
      </div>
      <NoticeToast notice={socket.notice} />
      <LiveAnnouncer entries={socket.chat.entries} selfId={session.userId} openedAtSeq={socket.openedAtSeq} />
    </div>
  )
}

function isTextField (target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false
  return target.isContentEditable || target.tagName === 'TEXTAREA' || target.tagName === 'SELECT' ||
    (target.tagName === 'INPUT' && !['button', 'checkbox', 'radio', 'submit'].includes((target as HTMLInputElement).type))
}
