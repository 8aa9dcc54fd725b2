/** Room name, who is here, and the connection at a glance. */
import { useT } from '../../shared/i18n/index.js'
import type { ConnectionPhase } from '../state/chat-connection.js'

interface RoomHeaderProps {
  roomName: string
  onlineCount: number
  phase: ConnectionPhase
  selfEmoji: string
  isPeopleOpen: boolean
  onTogglePeople: () => void
}

export function RoomHeader ({ roomName, onlineCount, phase, selfEmoji, isPeopleOpen, onTogglePeople }: RoomHeaderProps) {
  const t = useT()
  const dot = phase === 'open' ? 'is-online' : phase === 'offline' ? 'is-offline' : 'is-waiting'
  const phaseLabel = phase === 'open' ? t.connection.connected : phase === 'offline' ? t.connection.offline : t.connection.connecting
  // The count is only true while connected: offline, the last count would be stale.
  const summary = phase === 'open' ? t.room.online(onlineCount) : phase === 'offline' ? t.room.offline : t.connection.connecting
  return (
    <header className='room-header'>
      <div className='room-header__title'>
        <span className='brand__mark' aria-hidden='true'>◆</span>
        <h1 className='room-header__name'>{roomName}</h1>
      </div>
      <button
        type='button'
        className='presence-button'
        onClick={onTogglePeople}
        aria-expanded={isPeopleOpen}
        aria-controls='people-panel'
        aria-label={`${t.room.people}: ${summary}`}
      >
        <span className={`status-dot ${dot}`} title={phaseLabel} aria-hidden='true' />
        <span className='presence-button__count'>{summary}</span>
        <span className='presence-button__me' aria-hidden='true'>{selfEmoji}</span>
      </button>
    </header>
  )
}
