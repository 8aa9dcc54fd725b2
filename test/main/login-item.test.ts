import { test } from 'node:test'
import assert from 'node:assert/strict'
import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { AT_LOGIN_ARG, autostartEntry, createLoginItem } from '../../main/login-item.js'
import { tempDir } from '../helpers/temp-dir.js'

const noApp = { getLoginItemSettings: () => { throw new Error('not on Linux') }, setLoginItemSettings: () => { throw new Error('not on Linux') } } as any

test('on Linux, "Start hosting when I log in" writes and removes an XDG autostart entry', (t) => {
  const dir = join(tempDir(t), 'autostart')
  const item = createLoginItem({ platform: 'linux', app: noApp, autostartDir: dir, executable: '/opt/MindWeb Host/mindweb-host', productName: 'MindWeb Host' })
  assert.equal(item.isEnabled(), false)
  assert.equal(item.setEnabled(true), true)
  const entry = readFileSync(join(dir, 'mindweb-host.desktop'), 'utf8')
  assert.match(entry, /^\[Desktop Entry\]/)
  assert.match(entry, /^Exec="\/opt\/MindWeb Host\/mindweb-host" --at-login$/m)
  assert.equal(item.setEnabled(false), false)
  assert.equal(existsSync(join(dir, 'mindweb-host.desktop')), false)
})

test('the Exec line quotes what the Desktop Entry spec asks to escape', () => {
  assert.match(autostartEntry('X', '/home/a"b/$x'), /^Exec="\/home\/a\\"b\/\\\$x" --at-login$/m)
})

test('on Windows and macOS the OS keeps the login item, launched with the at-login argument', () => {
  let settings = { openAtLogin: false }
  const calls: unknown[] = []
  const app = {
    getLoginItemSettings: (o: unknown) => { calls.push(o); return settings },
    setLoginItemSettings: (s: { openAtLogin: boolean }) => { calls.push(s); settings = { openAtLogin: s.openAtLogin } }
  } as any
  const item = createLoginItem({ platform: 'win32', app, autostartDir: '/unused', executable: 'C:\\x.exe', productName: 'MindWeb Host' })
  assert.equal(item.isEnabled(), false)
  assert.equal(item.setEnabled(true), true)
  assert.deepEqual(calls[1], { openAtLogin: true, args: [AT_LOGIN_ARG] })
})
