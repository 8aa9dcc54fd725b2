/**
 * Where the console's admin token comes from: the desktop bridge (`window.mindweb`) when present,
 * else the `#token=` fragment of the console URL, which is then removed from the address bar so it
 * does not linger in the history or on a projected screen (this tab keeps it in sessionStorage, so
 * a reload still works).
 */

/** What the desktop preload exposes as `window.mindweb` (main/ipc-contract.ts `HostBridge`). */
interface HostBridge {
  getServerInfo: () => Promise<{ baseUrl: string, adminToken: string }>
}

export interface ConsoleServerInfo {
  /** '' = this page's origin. */
  baseUrl: string
  token: string
}

/** The token in a URL fragment such as `#token=abc` (or `#a=1&token=abc`), else null. */
export function tokenFromHash (hash: string): string | null {
  const params = new URLSearchParams(hash.replace(/^#/, ''))
  const token = params.get('token')
  return token !== null && token.trim() !== '' ? token.trim() : null
}

/** The fragment without its token (other parts kept), with its leading '#', or '' when empty. */
export function hashWithoutToken (hash: string): string {
  const params = new URLSearchParams(hash.replace(/^#/, ''))
  params.delete('token')
  const rest = params.toString()
  return rest === '' ? '' : `#${rest}`
}

/** Reads the token once at start; null when the page was opened without one. */
export async function resolveServerInfo (win: Window & { mindweb?: Partial<HostBridge> } = window): Promise<ConsoleServerInfo | null> {
  if (typeof win.mindweb?.getServerInfo === 'function') {
    const info = await win.mindweb.getServerInfo()
    // The window is loaded from the host itself, so its own origin is the base.
    return { baseUrl: '', token: info.adminToken }
  }
  const token = tokenFromHash(win.location.hash)
  if (token === null) {
    // A reload of this tab: the fragment is gone, the tab still remembers the token.
    const kept = readKept(win)
    return kept === null ? null : { baseUrl: '', token: kept }
  }
  const { pathname, search } = win.location
  win.history.replaceState(win.history.state, '', pathname + search + hashWithoutToken(win.location.hash))
  keep(win, token)
  return { baseUrl: '', token }
}

const KEPT_TOKEN = 'mindweb:admin-token'

/** Forgets the token this tab kept (it was refused). */
export function forgetKeptToken (win: Window = window): void {
  try { win.sessionStorage.removeItem(KEPT_TOKEN) } catch { /* storage off */ }
}

function readKept (win: Window): string | null {
  try { return win.sessionStorage.getItem(KEPT_TOKEN) } catch { return null }
}

function keep (win: Window, token: string): void {
  try { win.sessionStorage.setItem(KEPT_TOKEN, token) } catch { /* storage off: a reload asks for the link again */ }
}
