/**
 * The console's one socket hook: reads the room once over HTTP (status, people, audit, recent
 * messages), then follows the admin socket, resuming from the last seq after a drop.
 */
import { useCallback, useEffect, useReducer, useRef, useState } from 'react'
import { fetchEarlier } from '../../shared/chat/earlier.js'
import type { AdminApi } from '../api.js'
import type { ConsoleFrame } from '../types.js'
import type { AdminSocketPhase } from '../state/admin-connection.js'
import { useAdminConnection } from './use-admin-connection.js'
import { consoleReducer, createConsoleState, reviveHistory, type ConsoleState } from '../state/console-state.js'
import { CHART_WINDOW_MS } from '../panels/chart-model.js'

export const HISTORY_LIMIT = 200

export interface AdminSocket {
  state: ConsoleState
  phase: AdminSocketPhase
  /** Re-reads the people list (after an action, or when the list may be stale). */
  refreshPeople: () => void
  refreshStatus: () => void
  /** Every frame as it arrives, for panels that follow frames of their own (the question queue). */
  subscribe: (listener: FrameListener) => () => void
  /** True once the first history read has landed (the list then opens at the newest message). */
  hasHistory: boolean
  /** True while older messages of this lesson may exist beyond those loaded. */
  hasEarlier: boolean
  /** Loads older messages; resolves to how many were added. */
  loadEarlier: () => Promise<number>
}

export type FrameListener = (frames: ConsoleFrame[]) => void

export function useAdminSocket (api: AdminApi, token: string): AdminSocket {
  // The live chart survives a reload of this tab (the host keeps no history of these points).
  const [state, dispatch] = useReducer(consoleReducer, undefined, () => createConsoleState(reviveHistory(readKept(), Date.now(), CHART_WINDOW_MS)))
  const lastSeqRef = useRef(0)
  const listenersRef = useRef(new Set<FrameListener>())
  const [hasEarlier, setHasEarlier] = useState(false)
  const [hasHistory, setHasHistory] = useState(false)
  const oldestSeqRef = useRef<number | null>(null)

  useEffect(() => { lastSeqRef.current = state.chat.lastSeq }, [state.chat.lastSeq])
  useEffect(() => { keep(state.history) }, [state.history])
  useEffect(() => { oldestSeqRef.current = state.chat.entries[0]?.seq ?? null }, [state.chat.entries])

  const refreshPeople = useCallback(() => {
    api.participants('session').then(r => dispatch({ type: 'participants', participants: r.participants }), () => { /* the list stays */ })
  }, [api])
  const refreshStatus = useCallback(() => {
    api.status().then(status => dispatch({ type: 'status', status, at: Date.now() }), () => { /* the header stays */ })
  }, [api])

  // A new session clears the list of people on the host: read it again.
  useEffect(() => { if (state.sessionEpoch > 0) refreshPeople() }, [state.sessionEpoch, refreshPeople])

  const historyReadRef = useRef(false)
  const phase = useAdminConnection(token, {
    lastSeq: () => lastSeqRef.current,
    async prepare () {
      const [status, people, audit, feedback] = await Promise.all([api.status(), api.participants('session'), api.audit(200), api.feedback()])
      dispatch({ type: 'status', status, at: Date.now() })
      dispatch({ type: 'participants', participants: people.participants })
      dispatch({ type: 'audit', entries: audit.entries })
      dispatch({ type: 'feedback', answers: feedback.answers })
      if (!historyReadRef.current) {
        const history = await api.messages({ limit: HISTORY_LIMIT })
        dispatch({ type: 'history', messages: history.messages })
        for (const m of history.messages) lastSeqRef.current = Math.max(lastSeqRef.current, m.seq)
        historyReadRef.current = true
        setHasHistory(true)
        setHasEarlier(history.messages.length >= HISTORY_LIMIT && (history.messages[0]?.seq ?? 0) > 1)
      }
    },
    onFrames: frames => {
      dispatch({ type: 'frames', frames })
      for (const listener of listenersRef.current) listener(frames)
    }
  })

  const subscribe = useCallback((listener: FrameListener) => {
    const listeners = listenersRef.current
    listeners.add(listener)
    return () => { listeners.delete(listener) }
  }, [])

  const loadEarlier = useCallback(async (): Promise<number> => {
    const oldest = oldestSeqRef.current
    if (oldest === null || oldest <= 1) {
      setHasEarlier(false)
      return 0
    }
    const { older, since } = await fetchEarlier(oldest, query => api.messages(query))
    dispatch({ type: 'history', messages: older })
    setHasEarlier(since > 0 && older.length > 0)
    return older.length
  }, [api])

  return { state, phase, refreshPeople, refreshStatus, subscribe, hasHistory, hasEarlier, loadEarlier }
}

const KEPT_HISTORY = 'mindweb:console:chart'

function readKept (): unknown {
  try { return JSON.parse(sessionStorage.getItem(KEPT_HISTORY) ?? 'null') } catch { return null }
}

function keep (history: unknown[]): void {
  try { sessionStorage.setItem(KEPT_HISTORY, JSON.stringify(history)) } catch { /* storage off or full: the chart starts again after a reload */ }
}
