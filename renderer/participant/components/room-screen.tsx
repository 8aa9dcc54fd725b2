/** The room: header, connection banner, the conversation, who is here, and the composer. */
import { useCallback, useState } from 'react'
import { MAX_MESSAGE_CODE_POINTS, type RoomInfoResponse } from '../../../server/protocol/index.js'
import { useT } from '../../shared/i18n/index.js'
import type { Session } from '../../shared/session-store.js'
import { useChatSocket } from '../hooks/use-chat-socket.js'
import { useUnreadTitle } from '../hooks/use-unread-title.js'
import { Composer } from './composer.js'
import { ConnectionBanner } from './connection-banner.js'
import { LiveAnnouncer } from './live-announcer.js'
import { MessageList } from '../../shared/chat/message-list.js'
import { NoticeToast } from './notice-toast.js'
import { PeoplePanel } from './people-panel.js'
import { RoomHeader } from './room-header.js'
import { SuggestionChips } from './suggestion-chips.js'
import { WelcomeCard } from './welcome-card.js'

interface RoomScreenProps {
  info: RoomInfoResponse
  session: Session
  onSessionEnded: (reason: 'expired' | 'left') => void
}

export function RoomScreen ({ info, session, onSessionEnded }: RoomScreenProps) {
  const onAuthFailed = useCallback(() => onSessionEnded('expired'), [onSessionEnded])
  const t = useT()
  const socket = useChatSocket(info.room.id, session, onAuthFailed)
  useUnreadTitle(`${info.room.name} · ${t.appName}`, socket.chat.entries, session.userId)
  const [isPeopleOpen, setIsPeopleOpen] = useState(false)
  const [hasSpoken, setHasSpoken] = useState(false)
  const closePeople = useCallback(() => setIsPeopleOpen(false), [])
  const togglePeople = (): void => {
    if (!isPeopleOpen && socket.presence.isListStale) socket.refreshPeople()
    setIsPeopleOpen(!isPeopleOpen)
  }

  const aiMode = socket.live?.aiMode ?? info.ai_mode
  const aiAvailable = socket.live?.aiAvailable ?? info.ai_available
  const canAsk = aiAvailable && aiMode !== 'off'
  const maxLength = Math.min(info.limits.max_message_length || MAX_MESSAGE_CODE_POINTS, MAX_MESSAGE_CODE_POINTS)
  const { send, stopReply, resend, discard, reconnectNow, loadEarlier } = socket

  const onSend = useCallback((content: string) => {
    setHasSpoken(true)
    send(content)
  }, [send])

  const ask = useCallback((question: string) => {
    onSend(aiMode === 'all' ? question : `@ai ${question}`)
  }, [aiMode, onSend])

  // The welcome card already offers the suggestions in an empty room.
  const saidSomething = hasSpoken || socket.chat.entries.some(e => e.kind === 'user' && e.fromUserId === session.userId)

  return (
    <div className={isPeopleOpen ? 'room has-people' : 'room'}>
      <RoomHeader
        roomName={info.room.name}
        onlineCount={socket.presence.onlineCount}
        phase={socket.status.phase}
        selfEmoji={session.emoji}
        isPeopleOpen={isPeopleOpen}
        onTogglePeople={togglePeople}
      />
      <ConnectionBanner status={socket.status} onReconnect={reconnectNow} />
      <div className='room__main'>
        <MessageList
          entries={socket.chat.entries}
          outbox={socket.chat.outbox}
          selfId={session.userId}
          isApproveMode={aiMode === 'approve'}
          welcome={<WelcomeCard roomName={info.room.name} openingStatement={info.opening_statement} suggestions={info.suggested_questions} onAsk={canAsk ? ask : null} />}
          hasEarlier={socket.hasEarlier}
          onLoadEarlier={loadEarlier}
          onStop={stopReply}
          onResend={resend}
          onDiscard={discard}
        />
        {isPeopleOpen && (
          <PeoplePanel
            users={socket.presence.users}
            onlineCount={socket.presence.onlineCount}
            selfId={session.userId}
            onClose={closePeople}
            onLeave={() => onSessionEnded('left')}
          />
        )}
      </div>
      <div className='room__bottom'>
        {canAsk && !saidSomething && socket.chat.entries.length > 0 && <SuggestionChips suggestions={info.suggested_questions.slice(0, 4)} onAsk={ask} />}
        <Composer aiMode={aiMode} aiAvailable={aiAvailable} maxLength={maxLength} onSend={onSend} />
      </div>
      <NoticeToast notice={socket.notice} />
      <LiveAnnouncer entries={socket.chat.entries} selfId={session.userId} />
    </div>
  )
}
