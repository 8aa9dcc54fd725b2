import { test } from 'node:test'
import assert from 'node:assert/strict'
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { ListenError } from '../../server/listen.js'
import { startupFailureDialog } from '../../main/startup-failure.js'
import { shouldCheckForUpdates } from '../../main/updates.js'
import { localJoinUrl } from '../../main/join-address.js'
import { tempDir } from '../helpers/temp-dir.js'

test('a port problem gets a dialog that says what to do', () => {
  const d = startupFailureDialog(new ListenError('Ports 8000 to 8020 on 0.0.0.0 are already in use (is another MindWeb Host running?). Close the other program or choose another port.', 'EADDRINUSE'), '/data', '/logs/host.log')
  assert.equal(d.title, 'MindWeb Host could not start')
  assert.match(d.message, /network port/)
  assert.match(d.detail, /Close the other program/)
})

test('an unwritable data folder names the folder', () => {
  const err = Object.assign(new Error('EACCES: permission denied, mkdir'), { code: 'EACCES' })
  const d = startupFailureDialog(err, '/home/t/.config/MindWeb Host/data', '/logs/host.log')
  assert.match(d.message, /data folder/)
  assert.match(d.detail, /\/home\/t\/\.config\/MindWeb Host\/data/)
})

test('anything else still gets a readable dialog with the message', () => {
  const d = startupFailureDialog(new Error('boom'), '/data', '/u/logs/host.log')
  assert.match(d.detail, /boom/)
  assert.match(d.detail, /\/u\/logs\/host\.log/)
  assert.match(d.detail, /Start MindWeb Host again/)
})

test('updates are checked only in a packaged app with a feed, and can be turned off', (t) => {
  const dir = tempDir(t)
  assert.equal(shouldCheckForUpdates({ isPackaged: false, resourcesPath: dir, env: {} }).on, false)
  assert.deepEqual(shouldCheckForUpdates({ isPackaged: true, resourcesPath: dir, env: {} }), { on: false, reason: 'this build has no update feed' })
  writeFileSync(join(dir, 'app-update.yml'), 'updaterCacheDirName: mindweb-host-updater\n')
  assert.equal(shouldCheckForUpdates({ isPackaged: true, resourcesPath: dir, env: {} }).on, false, 'a feed with no provider')
  writeFileSync(join(dir, 'app-update.yml'), 'owner: someone\nrepo: mindweb-host\nprovider: github\n')
  assert.equal(shouldCheckForUpdates({ isPackaged: true, resourcesPath: dir, env: {} }).on, true)
  assert.equal(shouldCheckForUpdates({ isPackaged: true, resourcesPath: dir, env: { MINDWEB_AUTO_UPDATE: '0' } }).on, false)
})

test('the local join address skips loopback and link-local addresses', () => {
  const ifaces = {
    lo: [{ address: '127.0.0.1', family: 'IPv4', internal: true }],
    eth1: [{ address: '169.254.3.4', family: 'IPv4', internal: false }],
    wlan0: [{ address: 'fe80::1', family: 'IPv6', internal: false }, { address: '192.168.1.20', family: 'IPv4', internal: false }]
  }
  assert.equal(localJoinUrl(8001, ifaces), 'http://192.168.1.20:8001/')
  assert.equal(localJoinUrl(8000, { lo: ifaces.lo }), 'http://127.0.0.1:8000/')
})
