import { test } from 'node:test'
import assert from 'node:assert/strict'
import type { BrowserWindowConstructorOptions } from 'electron'
import { consoleWindowOptions, createConsoleWindow, isExternalHttpUrl, type BrowserWindowClass } from '../../main/windows.js'
import { setupIpc } from '../../main/ipc.js'
import { IpcChannel } from '../../main/ipc-contract.js'

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

test('the console window is sandboxed and isolated', () => {
  const prefs = consoleWindowOptions('/x/preload.js').webPreferences!
  assert.equal(prefs.contextIsolation, true)
  assert.equal(prefs.sandbox, true)
  assert.equal(prefs.nodeIntegration, false)
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
  assert.equal(prevented, 1)
  assert.equal(isExternalHttpUrl('javascript:alert(1)'), false)
})

test('IPC answers only our own window', async () => {
  const handlers = new Map<string, (event: any) => unknown>()
  const ours = { id: 1 }
  setupIpc({ handle: (channel: string, fn: any) => { handlers.set(channel, fn) } } as any, (sender) => sender === (ours as any), () => ({ baseUrl: 'http://127.0.0.1:1', adminToken: 't' }))
  const handler = handlers.get(IpcChannel.getServerInfo)!
  assert.deepEqual(handler({ sender: ours }), { baseUrl: 'http://127.0.0.1:1', adminToken: 't' })
  assert.throws(() => handler({ sender: { id: 2 } }), /Refused/)
})

test('the real Electron binary is not needed here', { skip: 'Electron cannot run on this machine (its binary is not downloadable here); the shell is covered by the doubles above' }, () => {})
