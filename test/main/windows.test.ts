import { test } from 'node:test'
import assert from 'node:assert/strict'
import type { BrowserWindowConstructorOptions } from 'electron'
import { consoleWindowOptions, createConsoleWindow, createQrWindow, hardenSession, isExternalHttpUrl, type BrowserWindowClass } from '../../main/windows.js'

/** A test double of Electron's BrowserWindow: records what the shell asks of it. */
function fakeWindowClass (): { Window: BrowserWindowClass, created: any[] } {
  const created: any[] = []
  class FakeWindow {
    options: BrowserWindowConstructorOptions
    loaded: string | null = null
    openHandler: ((d: { url: string }) => { action: string }) | null = null
    listeners = new Map<string, (...args: any[]) => void>()
    webContents = {
      setWindowOpenHandler: (h: (d: { url: string }) => { action: string }) => { this.openHandler = h },
      on: (name: string, fn: (...args: any[]) => void) => { this.listeners.set(name, fn) }
    }

    constructor (options: BrowserWindowConstructorOptions) { this.options = options; created.push(this) }
    once (): void {}
    show (): void {}
    async loadURL (url: string): Promise<void> { this.loaded = url }
  }
  return { Window: FakeWindow as unknown as BrowserWindowClass, created }
}

test('the console window is sandboxed and isolated, with no node integration anywhere', () => {
  const prefs = consoleWindowOptions('/x/preload.cjs').webPreferences!
  assert.equal(prefs.contextIsolation, true)
  assert.equal(prefs.sandbox, true)
  assert.equal(prefs.nodeIntegration, false)
  assert.equal(prefs.nodeIntegrationInSubFrames, false)
  assert.equal(prefs.webSecurity, true)
  assert.equal(prefs.preload, '/x/preload.cjs')
})

test('the console window opens where it was left', () => {
  const o = consoleWindowOptions('/p.cjs', { x: 40, y: 50, width: 1000, height: 700 })
  assert.deepEqual([o.x, o.y, o.width, o.height], [40, 50, 1000, 700])
})

test('new windows are denied, http(s) links go to the system browser, navigation stays on the console', () => {
  const { Window, created } = fakeWindowClass()
  const opened: string[] = []
  createConsoleWindow(Window, { openExternal: async (url: string) => { opened.push(url) } }, '/p.js', 'http://127.0.0.1:8000')
  const win = created[0]
  assert.equal(win.loaded, 'http://127.0.0.1:8000/admin/')
  assert.deepEqual(win.openHandler({ url: 'https://dify.ai/' }), { action: 'deny' })
  assert.deepEqual(win.openHandler({ url: 'file:///etc/passwd' }), { action: 'deny' })
  assert.deepEqual(opened, ['https://dify.ai/'])
  let prevented = 0
  win.listeners.get('will-navigate')({ preventDefault: () => prevented++ }, 'https://evil.example/')
  win.listeners.get('will-navigate')({ preventDefault: () => prevented++ }, 'http://127.0.0.1:8000/admin/#x')
  win.listeners.get('will-redirect')({ preventDefault: () => prevented++ }, 'http://127.0.0.1:9999/admin/')
  win.listeners.get('will-attach-webview')({ preventDefault: () => prevented++ })
  assert.equal(prevented, 3)
  assert.equal(isExternalHttpUrl('javascript:alert(1)'), false)
})

test('the QR window runs no script and shows the join address as text too', () => {
  const { Window, created } = fakeWindowClass()
  createQrWindow(Window, { openExternal: async () => {} }, 'http://192.168.1.20:8000/', 'data:image/png;base64,AAAA')
  const win = created[0]
  assert.equal(win.options.webPreferences.javascript, false)
  assert.equal(win.options.webPreferences.sandbox, true)
  const html = decodeURIComponent(win.loaded.replace('data:text/html;charset=utf-8,', ''))
  assert.match(html, /http:\/\/192\.168\.1\.20:8000\//)
  assert.match(html, /Content-Security-Policy" content="default-src 'none'/)
  let prevented = 0
  win.listeners.get('will-navigate')({ preventDefault: () => prevented++ }, 'http://192.168.1.20:8000/')
  assert.equal(prevented, 1)
})

test('no permission is ever granted to a page', () => {
  let request: ((wc: unknown, permission: string, cb: (ok: boolean) => void) => void) | null = null
  let check: (() => boolean) | null = null
  hardenSession({ setPermissionRequestHandler: (h: any) => { request = h }, setPermissionCheckHandler: (h: any) => { check = h } } as any)
  const answers: boolean[] = []
  request!(null, 'media', (ok) => answers.push(ok))
  request!(null, 'notifications', (ok) => answers.push(ok))
  assert.deepEqual(answers, [false, false])
  assert.equal(check!(), false)
})
