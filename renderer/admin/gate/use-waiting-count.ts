/**
 * How many questions wait for the host, for the console's navigation badge: read once, then
 * followed from the `question_update` frames (each carries the count after its step).
 */
import { useEffect, useMemo, useState } from 'react'
import type { AdminSocket } from '../hooks/use-admin-socket.js'
import { createGateApi } from './gate-api.js'

export function useWaitingCount (subscribe: AdminSocket['subscribe'], token: string): number {
  const gate = useMemo(() => createGateApi('', token), [token])
  const [waiting, setWaiting] = useState(0)
  useEffect(() => {
    let isLive = true
    gate.questions().then(r => { if (isLive) setWaiting(r.waiting_count) }, () => { /* the badge stays */ })
    const unsubscribe = subscribe(frames => {
      for (const f of frames) {
        if (f.type === 'question_update' && f.waiting_count !== undefined) setWaiting(f.waiting_count)
        if (f.type === 'room_cleared') setWaiting(0)
      }
    })
    return () => { isLive = false; unsubscribe() }
  }, [gate, subscribe])
  return waiting
}
