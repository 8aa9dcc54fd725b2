/** The live room: the conversation with the host's composer, and beside it the join code and the numbers that matter now. */
import { useCallback, useState } from 'react'
import type { ChatEntry } from '../../shared/chat/chat-state.js'
import { TeachDialog } from './teach-dialog.js'
import { MessageList } from '../../shared/chat/message-list.js'
import { useAdminT } from '../../shared/i18n/admin.js'
import type { ConsolePanelProps } from './panel-props.js'
import { useToast } from '../components/toast.js'
import type { Desktop } from '../hooks/use-desktop.js'
import type { Network } from '../hooks/use-network.js'
import { HostActions } from './host-actions.js'
import { SignalsCard } from './signals-card.js'
import { HostComposer } from './host-composer.js'
import { InvitePanel } from './invite-panel.js'
import { StatTiles } from './stats-panel.js'

interface RoomPanelProps extends ConsolePanelProps {
  network: Network
  desktop: Desktop
  onShowInvite: () => void
}

export function RoomPanel ({ api, socket, network, desktop, onShowInvite }: RoomPanelProps) {
  const t = useAdminT()
  const toast = useToast()
  const { state } = socket
  const room = state.room

  const onHide = useCallback((id: number) => { api.hide(id).catch(toast.fail) }, [api, toast])
  const onUnhide = useCallback((id: number) => { api.unhide(id).catch(toast.fail) }, [api, toast])
  const onStop = useCallback((id: number) => { api.stopReply(id).catch(toast.fail) }, [api, toast])
  const onSend = useCallback((content: string) => api.post(content), [api])
  const [teachingId, setTeachingId] = useState<number | null>(null)
  const onTeach = useCallback((id: number) => setTeachingId(id), [])
  // The host's ratings changed here (what history said is on each entry).
  const [ratings, setRatings] = useState<ReadonlyMap<number, 'like' | 'dislike' | null>>(new Map())
  const onRate = useCallback((id: number, rating: 'like' | 'dislike' | null) => {
    api.rate(id, rating).then(() => {
      setRatings(before => new Map(before).set(id, rating))
      toast.notify({ text: rating === null ? t.room.rateTakenBack : t.room.rated })
    }, toast.fail)
  }, [api, toast, t])
  const handleLoadEarlier = socket.loadEarlier
  const { feedback } = state
  const renderActions = useCallback((entry: ChatEntry) => (
    <HostActions
      entry={entry} onHide={onHide} onUnhide={onUnhide} onStop={onStop} onTeach={onTeach} onRate={onRate}
      hostRating={entry.kind === 'ai' ? (ratings.has(entry.id) ? ratings.get(entry.id) ?? null : entry.hostRating) : null}
      feedback={entry.kind === 'ai' ? feedback.get(entry.id) : undefined}
    />
  ), [onHide, onUnhide, onStop, onTeach, onRate, ratings, feedback])
  const teaching = teachingId === null ? undefined : state.chat.entries.find(e => e.kind === 'ai' && e.id === teachingId)
  const taughtQuestion = teaching?.kind === 'ai' && teaching.replyTo !== null ? state.chat.entries.find(e => e.kind === 'user' && e.id === teaching.replyTo) : undefined

  return (
    <div className='room-layout'>
      <section className='room-live' aria-labelledby='room-h'>
        <h2 id='room-h' className='visually-hidden'>{t.room.heading}</h2>
        {room?.announcement && (
          <p className='announcement'><span className='announcement__label'>📌 {t.room.announcement}</span> {room.announcement}</p>
        )}
        {!socket.hasHistory && <div className='room-live__loading'><div className='splash__spinner' role='status' aria-label={t.loadingShort} /></div>}
        {socket.hasHistory && <MessageList
          id='console-messages'
          entries={state.chat.entries}
          selfId={null}
          isApproveMode={room?.aiMode === 'approve'}
          hasEarlier={socket.hasEarlier}
          onLoadEarlier={handleLoadEarlier}
          onStop={onStop}
          hiddenAs='tombstone'
          renderActions={renderActions}
                              />}
        <HostComposer onSend={onSend} />
        {teaching?.kind === 'ai' && (
          <TeachDialog
            answer={teaching}
            question={taughtQuestion?.kind === 'user' ? taughtQuestion : undefined}
            onCancel={() => setTeachingId(null)}
            onSave={body => {
              api.teach(teaching.id, body).then(() => { setTeachingId(null); toast.notify({ text: t.room.taught }) }, toast.fail)
            }}
          />
        )}
      </section>
      <aside className='room-side'>
        <SignalsCard api={api} socket={socket} />
        <InvitePanel network={network} desktop={desktop} onShowBig={onShowInvite} />
        <StatTiles state={state} isCompact />
      </aside>
    </div>
  )
}
