import { test } from 'node:test'
import assert from 'node:assert/strict'
import { isConsoleSender, setupIpc, type IpcHandlers } from '../../main/ipc.js'
import { IpcChannel } from '../../main/ipc-contract.js'

const info = { baseUrl: 'http://127.0.0.1:8000', adminToken: 'secret-token-123456' }
const desktop = { portFallbackFrom: 8000, keyEncryption: 'os' as const, openAtLogin: false, diagnostics: [] }

function register (isOurs: (sender: any, event: any) => boolean): { handlers: Map<string, (event: any, ...args: unknown[]) => unknown>, loginCalls: boolean[] } {
  const handlers = new Map<string, (event: any, ...args: unknown[]) => unknown>()
  const loginCalls: boolean[] = []
  const impl: IpcHandlers = {
    serverInfo: () => info,
    desktopInfo: async () => desktop,
    setOpenAtLogin: async (on) => { loginCalls.push(on); return on }
  }
  setupIpc({ handle: (channel: string, fn: any) => { handlers.set(channel, fn) } } as any, isOurs, impl)
  return { handlers, loginCalls }
}

test('each channel answers our console window and refuses anyone else', async () => {
  const ours = { id: 1 }
  const { handlers } = register((sender) => sender === ours)
  assert.deepEqual([...handlers.keys()].sort(), Object.values(IpcChannel).sort())
  assert.deepEqual(await handlers.get(IpcChannel.getServerInfo)!({ sender: ours }), info)
  assert.deepEqual(await handlers.get(IpcChannel.getDesktopInfo)!({ sender: ours }), desktop)
  for (const channel of Object.values(IpcChannel)) {
    await assert.rejects(async () => { await handlers.get(channel)!({ sender: { id: 2 } }, true) }, /Refused/)
  }
})

test('setOpenAtLogin takes a boolean only', async () => {
  const ours = { id: 1 }
  const { handlers, loginCalls } = register((sender) => sender === ours)
  assert.equal(await handlers.get(IpcChannel.setOpenAtLogin)!({ sender: ours }, true), true)
  await assert.rejects(async () => { await handlers.get(IpcChannel.setOpenAtLogin)!({ sender: ours }, 'yes') }, /true or false/)
  assert.deepEqual(loginCalls, [true])
})

test('a sender is ours only when it is the console window showing the console origin', () => {
  const webContents = { id: 7 } as any
  const win = { webContents }
  const origin = 'http://127.0.0.1:8000'
  assert.equal(isConsoleSender(webContents, { senderFrame: { url: 'http://127.0.0.1:8000/admin/' } } as any, win, origin), true)
  assert.equal(isConsoleSender(webContents, { senderFrame: { url: 'https://evil.example/' } } as any, win, origin), false, 'a page it was navigated to')
  assert.equal(isConsoleSender(webContents, { senderFrame: null } as any, win, origin), false)
  assert.equal(isConsoleSender({ id: 8 } as any, { senderFrame: { url: 'http://127.0.0.1:8000/admin/' } } as any, win, origin), false, 'another window')
  assert.equal(isConsoleSender(webContents, { senderFrame: { url: 'http://127.0.0.1:8000/admin/' } } as any, null, origin), false, 'before the window exists')
})
