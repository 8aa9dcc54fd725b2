/** What the host pinned for everyone, and (once, after joining) that the host gave me another name. */
import { useState } from 'react'
import { useT } from '../../shared/i18n/index.js'

interface RoomNotesProps {
  announcement: string
  renamedFrom: string | null
  username: string
}

export function RoomNotes ({ announcement, renamedFrom, username }: RoomNotesProps) {
  const t = useT()
  const [isRenameSeen, setIsRenameSeen] = useState(false)
  const showRename = renamedFrom !== null && !isRenameSeen
  if (!announcement && !showRename) return null
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
    </div>
  )
}
