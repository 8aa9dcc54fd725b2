/**
 * The shell's windows, locked down as Electron's security checklist asks: context isolation and
 * sandbox on, no node integration, no new windows, no navigation away from the console, no
 * permission prompts; http(s) links open in the system browser.
 * @see https://www.electronjs.org/docs/latest/tutorial/security#checklist-security-recommendations
 */
import type { BrowserWindow, BrowserWindowConstructorOptions, Rectangle, Session, Shell } from 'electron'
import { MIN_SIZE } from './window-place.js'

export type BrowserWindowClass = new (options: BrowserWindowConstructorOptions) => BrowserWindow

/** Secure window options for the console. */
export function consoleWindowOptions (preloadPath: string, bounds: Partial<Rectangle> = {}, icon?: string): BrowserWindowConstructorOptions {
  return {
    width: 1200,
    height: 800,
    ...bounds,
    minWidth: MIN_SIZE.width,
    minHeight: MIN_SIZE.height,
    title: 'MindWeb Host',
    show: false,
    ...(icon !== undefined ? { icon } : {}),
    webPreferences: {
      preload: preloadPath,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      experimentalFeatures: false,
      navigateOnDragDrop: false,
      spellcheck: false
    }
  }
}

/** The console's address: the server's admin page (the token comes through the preload, never the URL). */
export function consoleUrl (baseUrl: string): string {
  return `${baseUrl}/admin/`
}

/** Opens the console at `baseUrl/admin/` with the guards on. */
export function createConsoleWindow (Window: BrowserWindowClass, shell: Pick<Shell, 'openExternal'>, preloadPath: string, baseUrl: string, bounds?: Partial<Rectangle>, icon?: string): BrowserWindow {
  const win = new Window(consoleWindowOptions(preloadPath, bounds, icon))
  guardContents(win, shell, (url) => url.startsWith(consoleUrl(baseUrl)))
  win.loadURL(consoleUrl(baseUrl)).catch(() => {}) // a failed load shows Chromium's own error page
  return win
}

/** A small window with the join link's QR code, for a projector or a phone in the room. No script runs in it. */
export function createQrWindow (Window: BrowserWindowClass, shell: Pick<Shell, 'openExternal'>, joinUrl: string, qrPngDataUrl: string, parent?: BrowserWindow): BrowserWindow {
  const win = new Window({
    width: 460,
    height: 560,
    resizable: true,
    title: 'Join MindWeb Host',
    show: false,
    autoHideMenuBar: true,
    ...(parent !== undefined ? { parent } : {}),
    webPreferences: { javascript: false, sandbox: true, contextIsolation: true, nodeIntegration: false, spellcheck: false }
  })
  guardContents(win, shell, () => false)
  win.loadURL(`data:text/html;charset=utf-8,${encodeURIComponent(qrPage(joinUrl, qrPngDataUrl))}`).catch(() => {})
  return win
}

/** Denies new windows (http(s) go to the system browser) and navigation that `mayNavigate` refuses. */
export function guardContents (win: BrowserWindow, shell: Pick<Shell, 'openExternal'>, mayNavigate: (url: string) => boolean): void {
  win.webContents.setWindowOpenHandler(({ url }) => {
    if (isExternalHttpUrl(url)) shell.openExternal(url).catch(() => {})
    return { action: 'deny' }
  })
  win.webContents.on('will-navigate', (event, url) => {
    if (!mayNavigate(url)) event.preventDefault()
  })
  win.webContents.on('will-redirect', (event, url) => {
    if (!mayNavigate(url)) event.preventDefault()
  })
  win.webContents.on('will-attach-webview', (event) => event.preventDefault())
  win.once('ready-to-show', () => win.show())
}

/** Session-wide rules: no permission is ever granted (camera, notifications, ...), no webview. */
export function hardenSession (session: Pick<Session, 'setPermissionRequestHandler' | 'setPermissionCheckHandler'>): void {
  // eslint-disable-next-line n/no-callback-literal -- Electron's callback takes the answer, not an error
  session.setPermissionRequestHandler((_contents, _permission, callback) => callback(false))
  session.setPermissionCheckHandler(() => false)
}

/** Only http(s) URLs ever reach the system browser. */
export function isExternalHttpUrl (url: string): boolean {
  try {
    const u = new URL(url)
    return u.protocol === 'http:' || u.protocol === 'https:'
  } catch {
    return false
  }
}

function qrPage (joinUrl: string, png: string): string {
  const url = escapeHtml(joinUrl)
  return `<!doctype html><html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; img-src data:; style-src 'unsafe-inline'">
<title>Join MindWeb Host</title>
<style>body{margin:0;font:18px system-ui,sans-serif;display:flex;flex-direction:column;align-items:center;justify-content:center;min-height:100vh;background:#fff;color:#111}
img{width:min(80vw,380px);image-rendering:pixelated}p{margin:.5em 1em;text-align:center}.url{font:600 22px ui-monospace,monospace;word-break:break-all}</style>
</head><body><img src="${png}" alt="QR code for ${url}"><p>Scan with a phone camera, or type:</p><p class="url">${url}</p></body></html>`
}

function escapeHtml (s: string): string {
  return s.replace(/[&<>"']/g, c => `&#${c.charCodeAt(0)};`)
}
