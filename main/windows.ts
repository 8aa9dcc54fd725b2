/**
 * The host console window, locked down: context isolation and sandbox on, no node integration,
 * no new windows, no navigation away; http(s) links open in the system browser.
 */
import type { BrowserWindow, BrowserWindowConstructorOptions, Shell } from 'electron'

export type BrowserWindowClass = new (options: BrowserWindowConstructorOptions) => BrowserWindow

/** Secure window options for the console. */
export function consoleWindowOptions (preloadPath: string): BrowserWindowConstructorOptions {
  return {
    width: 1200,
    height: 800,
    minWidth: 720,
    minHeight: 480,
    title: 'MindWeb Host',
    show: false,
    webPreferences: {
      preload: preloadPath,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true
    }
  }
}

/** Opens the console at `baseUrl/admin/`. */
export function createConsoleWindow (Window: BrowserWindowClass, shell: Pick<Shell, 'openExternal'>, preloadPath: string, baseUrl: string): BrowserWindow {
  const win = new Window(consoleWindowOptions(preloadPath))
  win.webContents.setWindowOpenHandler(({ url }) => {
    if (isExternalHttpUrl(url)) shell.openExternal(url).catch(() => {})
    return { action: 'deny' }
  })
  win.webContents.on('will-navigate', (event, url) => {
    if (!url.startsWith(`${baseUrl}/admin/`)) event.preventDefault()
  })
  win.once('ready-to-show', () => win.show())
  win.loadURL(`${baseUrl}/admin/`).catch(() => {}) // a failed load shows Chromium's own error page
  return win
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
