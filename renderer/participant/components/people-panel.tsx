/** Everyone who joined, online first; a sheet on phones, a column on wide screens. */
import { useEffect, useMemo, useRef } from 'react'
import type { UserSummary } from '../../../server/protocol/index.js'
import { useT } from '../../shared/i18n/index.js'
import { sortPeople } from '../state/presence-state.js'
import { Avatar } from '../../shared/chat/avatar.js'

interface PeoplePanelProps {
  users: UserSummary[]
  onlineCount: number
  selfId: number
  /** names are hidden in this room: only I am listed, with a note */
  isAnonymous?: boolean
  onClose: () => void
  onLeave: () => void
}

const MAX_LISTED = 200

export function PeoplePanel ({ users, onlineCount, selfId, isAnonymous = false, onClose, onLeave }: PeoplePanelProps) {
  const t = useT()
  const closeRef = useRef<HTMLButtonElement>(null)
  const sorted = useMemo(() => sortPeople(users, selfId), [users, selfId])
  const listed = sorted.slice(0, MAX_LISTED)

  useEffect(() => {
    closeRef.current?.focus()
    const onKey = (e: KeyboardEvent): void => { if (e.key === 'Escape') onClose() }
    window.addEventListener('keydown', onKey)
    return () => window.removeEventListener('keydown', onKey)
  }, [onClose])

  return (
    <>
      <div className='sheet-backdrop' onClick={onClose} aria-hidden='true' />
      <aside id='people-panel' className='people' aria-label={t.room.people}>
        <div className='people__head'>
          <h2 className='people__title'>{t.room.people} <span className='people__count'>{t.room.online(onlineCount)}</span></h2>
          <button ref={closeRef} type='button' className='icon-button' onClick={onClose} aria-label={t.room.closePeople}>✕</button>
        </div>
        {isAnonymous && <p className='people__note'><span aria-hidden='true'>🕶️ </span>{t.room.anonymousPeople}</p>}
        <ul className='people__list'>
          {listed.map(u => (
            <li key={u.user_id} className={u.online ? 'person' : 'person is-away'}>
              <Avatar emoji={u.emoji} userId={u.user_id} />
              <span className='person__name'>{u.username}</span>
              {u.user_id === selfId && <span className='person__you'>{t.room.you}</span>}
              <span className={u.online ? 'status-dot is-online' : 'status-dot is-away'} role='img' aria-label={u.online ? t.connection.connected : t.room.offlineSuffix} />
            </li>
          ))}
        </ul>
        {sorted.length > listed.length && <p className='people__more'>{t.room.morePeople(sorted.length - listed.length)}</p>}
        <div className='people__foot'>
          <button type='button' className='button button--ghost' onClick={() => { if (window.confirm(t.room.leaveConfirm)) onLeave() }}>{t.room.leave}</button>
        </div>
      </aside>
    </>
  )
}
