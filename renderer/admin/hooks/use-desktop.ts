/**
 * What only the desktop app knows (main/ipc-contract.ts `DesktopInfo`): the port it fell back to,
 * firewall advice, and "start hosting when I log in". Absent in a browser: the hook returns null.
 */
import { useCallback, useEffect, useState } from 'react'

export interface DesktopInfo {
  portFallbackFrom: number | null
  keyEncryption: 'os' | 'unavailable'
  openAtLogin: boolean
  diagnostics?: Array<{ level: 'info' | 'warn', code: string, message: string }>
}

interface DesktopBridge {
  getDesktopInfo?: () => Promise<DesktopInfo>
  setOpenAtLogin?: (on: boolean) => Promise<boolean>
}

export interface Desktop {
  info: DesktopInfo | null
  /** Null when the app cannot change it. */
  setOpenAtLogin: ((on: boolean) => Promise<void>) | null
}

function bridge (): DesktopBridge | null {
  const value = (window as { mindweb?: DesktopBridge }).mindweb
  return typeof value === 'object' && value !== null ? value : null
}

export function useDesktop (): Desktop {
  const [info, setInfo] = useState<DesktopInfo | null>(null)

  useEffect(() => {
    const getInfo = bridge()?.getDesktopInfo
    if (typeof getInfo !== 'function') return
    let isLive = true
    getInfo().then(next => { if (isLive) setInfo(next) }, () => { /* an older app: nothing extra to show */ })
    return () => { isLive = false }
  }, [])

  const set = useCallback(async (on: boolean) => {
    const apply = bridge()?.setOpenAtLogin
    if (typeof apply !== 'function') return
    const now = await apply(on)
    setInfo(current => current ? { ...current, openAtLogin: now } : current)
  }, [])

  return { info, setOpenAtLogin: typeof bridge()?.setOpenAtLogin === 'function' ? set : null }
}
