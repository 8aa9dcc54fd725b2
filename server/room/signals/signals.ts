/**
 * The room's live signals: "I'm lost" and "got it" (one of the two per participant, counted while
 * younger than SIGNAL_WINDOW_MS) and raised hands (a queue, oldest first, until the participant or
 * the host lowers them). Kept in memory only: they describe this minute, not the lesson. Admin
 * sockets get the whole state as one `signals` frame, at most once per `coalesceMs` however many
 * participants press at once; a participant whose signal runs out or whose hand the host lowers
 * gets `signal_cleared`, so their buttons say so.
 */
import { SIGNAL_WINDOW_MS, type SignalKind, type SignalsState } from '../../protocol/index.js'
import type { Hub } from '../engine/hub.js'

export interface Signals {
  set (who: { id: number, username: string }, kind: SignalKind, on: boolean): void
  state (): SignalsState
  /** One participant's own signals now (a reloaded page shows them pressed). */
  of (userId: number): { feeling: 'lost' | 'got_it' | null, hand: boolean }
  /** Lowers one hand; false when it was not raised. */
  lowerHand (userId: number): boolean
  /** Lowers every hand; how many there were. */
  clearHands (): number
  /** A participant removed from the room: their signals go with them. */
  forget (userId: number): void
  close (): void
}

export function createSignals (o: { hub: Hub, now?: () => number, coalesceMs?: number, windowMs?: number }): Signals {
  const now = o.now ?? Date.now
  const coalesceMs = o.coalesceMs ?? 250
  const windowMs = o.windowMs ?? SIGNAL_WINDOW_MS
  const feelings = new Map<number, { kind: 'lost' | 'got_it', at: number }>()
  const hands = new Map<number, { username: string, since: number }>()
  let sendTimer: ReturnType<typeof setTimeout> | null = null
  let lastSent = 0
  let sweepTimer: ReturnType<typeof setTimeout> | null = null

  function state (): SignalsState {
    sweep(false)
    let lost = 0
    let gotIt = 0
    for (const f of feelings.values()) {
      if (f.kind === 'lost') lost++
      else gotIt++
    }
    return { lost, got_it: gotIt, hands: [...hands].map(([userId, h]) => ({ user_id: userId, username: h.username, since: h.since })) }
  }

  /** Sends the state to the host's sockets, coalesced: the first change at once, then at most every coalesceMs. */
  function changed (): void {
    if (sendTimer !== null) return
    const wait = Math.max(0, lastSent + coalesceMs - now())
    sendTimer = setTimeout(() => {
      sendTimer = null
      lastSent = now()
      o.hub.broadcastAdmin({ type: 'signals', ...state() })
    }, wait)
    sendTimer.unref?.()
  }

  function tell (userId: number, kind: SignalKind): void {
    for (const conn of o.hub.connectionsOf(userId) ?? []) o.hub.sendTo(conn, { type: 'signal_cleared', kind })
  }

  /** Drops what ran out (telling its owner), and plans the next sweep for the oldest one left. */
  function sweep (isTimer: boolean): void {
    const cutoff = now() - windowMs
    let isChanged = false
    for (const [userId, f] of feelings) {
      if (f.at > cutoff) continue
      feelings.delete(userId)
      tell(userId, f.kind)
      isChanged = true
    }
    if (isChanged && isTimer) changed()
    if (sweepTimer === null && feelings.size > 0) {
      const oldest = Math.min(...[...feelings.values()].map(f => f.at))
      sweepTimer = setTimeout(() => { sweepTimer = null; sweep(true) }, Math.max(0, oldest + windowMs - now()) + 50)
      sweepTimer.unref?.()
    }
  }

  return {
    set (who, kind, on) {
      if (kind === 'hand') {
        if (on) {
          if (hands.has(who.id)) return
          hands.set(who.id, { username: who.username, since: now() })
        } else if (!hands.delete(who.id)) {
          return
        }
      } else if (on) {
        feelings.set(who.id, { kind, at: now() })
        sweep(false)
      } else {
        if (feelings.get(who.id)?.kind !== kind) return
        feelings.delete(who.id)
      }
      changed()
    },
    state,
    of (userId) {
      sweep(false)
      return { feeling: feelings.get(userId)?.kind ?? null, hand: hands.has(userId) }
    },
    lowerHand (userId) {
      if (!hands.delete(userId)) return false
      tell(userId, 'hand')
      changed()
      return true
    },
    clearHands () {
      const n = hands.size
      for (const userId of hands.keys()) tell(userId, 'hand')
      hands.clear()
      if (n > 0) changed()
      return n
    },
    forget (userId) {
      const hadFeeling = feelings.delete(userId)
      const hadHand = hands.delete(userId)
      if (hadFeeling || hadHand) changed()
    },
    close () {
      if (sendTimer !== null) clearTimeout(sendTimer)
      if (sweepTimer !== null) clearTimeout(sweepTimer)
    }
  }
}
