/**
 * The admin socket for a React page (the console and the projector): one connection per token,
 * its phase as state, and a 401 from any read in `prepare` turned into a refusal, so that a page
 * with an old token says so instead of retrying forever. What to read and what to do with frames
 * is the page's; the latest `options` are used without reconnecting.
 */
import { useEffect, useRef, useState } from 'react'
import { ApiError } from '../../shared/api.js'
import type { ConsoleFrame } from '../types.js'
import { adminSocketUrl, createAdminConnection, RefusedError, type AdminSocketPhase } from '../state/admin-connection.js'

export interface AdminConnectionHandlers {
  /** Where to resume from (the highest seq the page has shown). */
  lastSeq: () => number
  /** Reads over HTTP before each attempt; `isReconnect` after the first. */
  prepare: (isReconnect: boolean) => Promise<void>
  onFrames: (frames: ConsoleFrame[]) => void
}

export function useAdminConnection (token: string, handlers: AdminConnectionHandlers): AdminSocketPhase {
  const [phase, setPhase] = useState<AdminSocketPhase>('connecting')
  const latest = useRef(handlers)
  useEffect(() => { latest.current = handlers })

  useEffect(() => {
    const connection = createAdminConnection({
      url: since => adminSocketUrl(window.location, token, since),
      lastSeq: () => latest.current.lastSeq(),
      async prepare (isReconnect) {
        try {
          await latest.current.prepare(isReconnect)
        } catch (err) {
          if (err instanceof ApiError && err.status === 401) throw new RefusedError(err.message)
          throw err
        }
      },
      onFrames: frames => latest.current.onFrames(frames),
      onPhase: setPhase
    })
    connection.start()
    return () => connection.stop()
  }, [token])

  return phase
}
