/**
 * The participant page: loads the room's public info, then shows the join form or, when this
 * browser already has a session for the room, goes straight back into the room.
 */
import { useCallback, useEffect, useState } from 'react'
import type { RoomInfoResponse } from '../../server/protocol/index.js'
import { getRoomInfo } from '../shared/api.js'
import { useT } from '../shared/i18n/index.js'
import { clearSession, forgetProfileName, loadSession, saveSession, type Session } from '../shared/session-store.js'
import { JoinScreen } from './components/join-screen.js'
import { RoomScreen, type SessionEnd } from './components/room-screen.js'

type Load =
  | { state: 'loading' }
  | { state: 'failed' }
  | { state: 'ready', info: RoomInfoResponse }

export function App () {
  const t = useT()
  const [load, setLoad] = useState<Load>({ state: 'loading' })
  const [session, setSession] = useState<Session | null>(null)
  const [note, setNote] = useState<string | null>(null)
  /** Set when this page just joined (not when it came back to a saved session). */
  const [joined, setJoined] = useState<{ renamedFrom: string | null } | null>(null)
  const [attempt, setAttempt] = useState(0)

  useEffect(() => {
    const controller = new AbortController()
    getRoomInfo(controller.signal).then(info => {
      setSession(loadSession(info.room.id))
      setLoad({ state: 'ready', info })
      document.title = `${info.room.name} · ${t.appName}`
    }, () => {
      if (!controller.signal.aborted) setLoad({ state: 'failed' })
    })
    return () => controller.abort()
  }, [attempt, t])

  const roomId = load.state === 'ready' ? load.info.room.id : null

  const onJoined = useCallback((next: Session, renamedFrom: string | null) => {
    if (roomId === null) return
    saveSession(roomId, next)
    setNote(null)
    setJoined({ renamedFrom })
    setSession(next)
  }, [roomId])

  const onSessionEnded = useCallback((reason: SessionEnd) => {
    if (roomId !== null) clearSession(roomId)
    if (reason === 'removed') forgetProfileName()
    setNote(reason === 'expired' ? t.join.sessionExpired : reason === 'removed' ? t.join.removed : null)
    setJoined(null)
    setSession(null)
  }, [roomId, t])

  if (load.state === 'loading') {
    return <main className='splash' aria-busy='true'><div className='splash__spinner' aria-hidden='true' /><p>{t.loading}</p></main>
  }
  if (load.state === 'failed') {
    return (
      <main className='splash'>
        <p className='splash__error' role='alert'>{t.roomUnavailable}</p>
        <button type='button' className='button button--primary' onClick={() => { setLoad({ state: 'loading' }); setAttempt(a => a + 1) }}>{t.retry}</button>
      </main>
    )
  }
  if (!session) return <JoinScreen info={load.info} note={note} onJoined={onJoined} />
  return <RoomScreen key={session.token} info={load.info} session={session} justJoined={joined} onSessionEnded={onSessionEnded} />
}
