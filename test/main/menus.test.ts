import { test } from 'node:test'
import assert from 'node:assert/strict'
import type { MenuItemConstructorOptions } from 'electron'
import { appMenuTemplate, trayMenuTemplate, type ShellActions } from '../../main/menus.js'

function recorder (): { actions: ShellActions, calls: string[] } {
  const calls: string[] = []
  return {
    calls,
    actions: {
      openConsole: () => calls.push('openConsole'),
      copyJoinLink: () => calls.push('copyJoinLink'),
      showQrCode: () => calls.push('showQrCode'),
      setOpenAtLogin: (on) => calls.push(`setOpenAtLogin:${String(on)}`),
      quit: () => calls.push('quit')
    }
  }
}

const click = (item: MenuItemConstructorOptions | undefined, checked = false): void => {
  (item!.click as any)({ checked }, undefined, {})
}
const byLabel = (items: MenuItemConstructorOptions[], label: string): MenuItemConstructorOptions | undefined => items.find(i => i.label === label)

test('the tray shows the join address and does what each item says', () => {
  const { actions, calls } = recorder()
  const items = trayMenuTemplate({ joinUrl: 'http://192.168.1.20:8000/', openAtLogin: false }, actions)
  assert.equal(items[0]!.label, 'Join at http://192.168.1.20:8000/')
  assert.equal(items[0]!.enabled, false)
  assert.deepEqual(items.filter(i => i.type !== 'separator').map(i => i.label).slice(1), ['Copy join link', 'Show QR code', 'Open console', 'Start hosting when I log in', 'Quit MindWeb Host'])
  click(byLabel(items, 'Copy join link'))
  click(byLabel(items, 'Show QR code'))
  click(byLabel(items, 'Open console'))
  click(byLabel(items, 'Start hosting when I log in'), true)
  click(byLabel(items, 'Quit MindWeb Host'))
  assert.deepEqual(calls, ['copyJoinLink', 'showQrCode', 'openConsole', 'setOpenAtLogin:true', 'quit'])
})

test('before the room is open, the join items wait', () => {
  const items = trayMenuTemplate({ joinUrl: null, openAtLogin: true }, recorder().actions)
  assert.equal(items[0]!.label, 'The room is starting…')
  assert.equal(byLabel(items, 'Copy join link')!.enabled, false)
  assert.equal(byLabel(items, 'Show QR code')!.enabled, false)
  assert.equal(byLabel(items, 'Start hosting when I log in')!.checked, true)
})

test('the native menu: the app menu first on macOS, Quit in the Room menu elsewhere', () => {
  const state = { joinUrl: 'http://10.0.0.2:8000/', openAtLogin: false }
  const mac = appMenuTemplate('darwin', state, recorder().actions)
  assert.equal(mac[0]!.role, 'appMenu')
  const { actions, calls } = recorder()
  const win = appMenuTemplate('win32', state, actions)
  assert.equal(win[0]!.label, 'Room')
  const room = win[0]!.submenu as MenuItemConstructorOptions[]
  click(byLabel(room, 'Quit'))
  click(byLabel(room, 'Copy join link'))
  assert.deepEqual(calls, ['quit', 'copyJoinLink'])
  assert.equal(byLabel(mac[1]!.submenu as MenuItemConstructorOptions[], 'Quit'), undefined, 'macOS quits from its app menu')
})
