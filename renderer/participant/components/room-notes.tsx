/** What the host pinned for everyone, and (once, after joining) that the host gave me another name. */
import { useState } from 'react'
import { useT } from '../../shared/i18n/index.js'

interface RoomNotesProps {
  announcement: string
  renamedFrom: string | null
  username: string
  /** names are hidden in this room */
  isAnonymous?: boolean
}

export function RoomNotes ({ announcement, renamedFrom, username, isAnonymous = false }: RoomNotesProps) {
  const t = useT()
  const [isRenameSeen, setIsRenameSeen] = useState(false)
  const [isAnonymousSeen, setIsAnonymousSeen] = useState(false)
  const showRename = renamedFrom !== null && !isRenameSeen
  const showAnonymous = isAnonymous && !isAnonymousSeen
  if (!announcement && !showRename && !showAnonymous) return null
  return (
    <div className='room-notes'>
      {announcement && (
        <section className='announcement' aria-label={t.room.announcement}>
          <p className='announcement__label'><span aria-hidden='true'>📌 </span>{t.room.announcement}</p>
          <p className='announcement__text'>{announcement}</p>
        </section>
      )}
      {showRename && (
        <div className='rename-note' role='status'>
          <p>{t.join.renamed(renamedFrom, username)}</p>
          <button type='button' className='icon-button icon-button--small' onClick={() => setIsRenameSeen(true)} aria-label={t.room.dismiss}>✕</button>
        </div>
      )}
      {showAnonymous && (
        <div className='rename-note anonymous-note' role='status'>
          <p><span aria-hidden='true'>🕶️ </span>{t.room.anonymousNote}</p>
          <button type='button' className='icon-button icon-button--small' onClick={() => setIsAnonymousSeen(true)} aria-label={t.room.dismiss}>✕</button>
        </div>
      )}
    </div>
  )
}
