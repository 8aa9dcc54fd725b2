/**
 * What a page's socket client needs from the browser (a WebSocket, clocks, the network state),
 * behind a small interface so tests hand in fakes.
 */
export interface SocketLike {
  readyState: number
  send: (data: string) => void
  close: (code?: number, reason?: string) => void
  onopen: ((ev: unknown) => void) | null
  onmessage: ((ev: { data: unknown }) => void) | null
  onclose: ((ev: { code: number }) => void) | null
  onerror: ((ev: unknown) => void) | null
}

export interface ConnectionEnv {
  createSocket: (url: string) => SocketLike
  now: () => number
  setTimeout: (fn: () => void, ms: number) => unknown
  clearTimeout: (handle: unknown) => void
  random: () => number
  isOnline: () => boolean
}

/** The real browser environment. */
export function defaultEnv (): ConnectionEnv {
  return {
    createSocket: (url) => new WebSocket(url) as unknown as SocketLike,
    now: () => Date.now(),
    setTimeout: (fn, ms) => globalThis.setTimeout(fn, ms),
    clearTimeout: (handle) => { globalThis.clearTimeout(handle as ReturnType<typeof setTimeout>) },
    random: Math.random,
    isOnline: () => typeof navigator === 'undefined' || navigator.onLine !== false
  }
}

/** `ws(s)://<this host><path>?token=…&since=…` for the page's own origin. */
export function socketUrl (location: { protocol: string, host: string }, path: string, token: string, since: number): string {
  const scheme = location.protocol === 'https:' ? 'wss:' : 'ws:'
  const params = new URLSearchParams({ token, since: String(since) })
  return `${scheme}//${location.host}${path}?${params.toString()}`
}
