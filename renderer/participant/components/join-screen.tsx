/** The page before joining: who is hosting, what the room offers, and the join form. */
import type { RoomInfoResponse } from '../../../server/protocol/index.js'
import { useT } from '../../shared/i18n/index.js'
import type { Session } from '../../shared/session-store.js'
import { JoinForm } from './join-form.js'

interface JoinScreenProps {
  info: RoomInfoResponse
  note: string | null
  onJoined: (session: Session, renamedFrom: string | null) => void
}

export function JoinScreen ({ info, note, onJoined }: JoinScreenProps) {
  const t = useT()
  const hasAi = info.ai_available && info.ai_mode !== 'off'
  return (
    <main className='join'>
      <div className='join__card'>
        <p className='brand'><span className='brand__mark' aria-hidden='true'>◆</span> {t.appName}</p>
        <h1 className='join__title'>
          <span className='join__welcome'>{t.join.welcome}</span>
          <span className='join__room'>{info.room.name}</span>
        </h1>
        <p className='join__intro'>{t.join.intro}</p>
        <p className={hasAi ? 'join__ai' : 'join__ai join__ai--off'}>
          <span aria-hidden='true'>{hasAi ? '✨' : '💬'}</span> {hasAi ? t.join.aiOn : info.ai_available ? t.join.aiOff : t.join.aiUnavailable}
        </p>
        {note && <p className='join__note' role='alert'>{note}</p>}
        <JoinForm info={info} onJoined={onJoined} />
      </div>
    </main>
  )
}
