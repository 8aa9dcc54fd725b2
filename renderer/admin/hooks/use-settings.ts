/** The host's live settings (GET/PUT /api/admin/settings), re-read when another window changes them. */
import { useCallback, useEffect, useState } from 'react'
import type { AdminApi } from '../api.js'
import type { AdminSocket } from './use-admin-socket.js'
import type { SettingsResponse, SettingsUpdate } from '../types.js'

export interface SettingsState {
  data: SettingsResponse | null
  error: string | null
  /** Saves a change; resolves to the host's answer (throws its error, e.g. a locked setting). */
  save: (update: SettingsUpdate) => Promise<SettingsResponse>
  reload: () => void
}

export function useSettings (api: AdminApi, socket: AdminSocket): SettingsState {
  const [data, setData] = useState<SettingsResponse | null>(null)
  const [error, setError] = useState<string | null>(null)

  const reload = useCallback(() => {
    api.settings().then(next => { setData(next); setError(null) }, (err: unknown) => setError(err instanceof Error ? err.message : String(err)))
  }, [api])

  useEffect(() => { reload() }, [reload])
  const { subscribe } = socket
  useEffect(() => subscribe(frames => {
    if (frames.some(f => f.type === 'admin_settings')) reload()
  }), [subscribe, reload])

  const save = useCallback(async (update: SettingsUpdate) => {
    const next = await api.saveSettings(update)
    setData(next)
    return next
  }, [api])

  return { data, error, save, reload }
}
