/**
 * The join addresses as the host orders them (default route first, loopback last), re-read now and
 * then because a laptop may change networks mid-lesson. The host's choice of address for the QR
 * code is remembered on this computer.
 */
import { useCallback, useEffect, useState } from 'react'
import type { AdminApi } from '../api.js'
import type { JoinAddress, NetworkInfo } from '../types.js'

export interface Network {
  info: NetworkInfo | null
  error: string | null
  chosen: JoinAddress | null
  choose: (url: string) => void
}

const CHOICE_KEY = 'mindweb:console:join-url'
const REFRESH_MS = 30_000

/** The address the QR shows: the remembered choice when still offered, else the host's first usable one. */
export function pickAddress (addresses: JoinAddress[], remembered: string | null): JoinAddress | null {
  const kept = remembered === null ? undefined : addresses.find(a => a.url === remembered)
  return kept ?? addresses.find(a => a.kind === 'lan') ?? addresses[0] ?? null
}

export function useNetwork (api: AdminApi): Network {
  const [info, setInfo] = useState<NetworkInfo | null>(null)
  const [error, setError] = useState<string | null>(null)
  const [remembered, setRemembered] = useState<string | null>(() => {
    try { return localStorage.getItem(CHOICE_KEY) } catch { return null }
  })

  useEffect(() => {
    let isLive = true
    const load = (): void => {
      api.network().then(
        next => { if (isLive) { setInfo(next); setError(null) } },
        (err: unknown) => { if (isLive) setError(err instanceof Error ? err.message : String(err)) }
      )
    }
    load()
    const timer = setInterval(load, REFRESH_MS)
    return () => { isLive = false; clearInterval(timer) }
  }, [api])

  const choose = useCallback((url: string) => {
    setRemembered(url)
    try { localStorage.setItem(CHOICE_KEY, url) } catch { /* not remembered */ }
  }, [])

  return { info, error, chosen: info ? pickAddress(info.addresses, remembered) : null, choose }
}
