import { test } from 'node:test'
import assert from 'node:assert/strict'
import { createServer } from 'node:net'
import { startServerHost } from '../../main/server-host.js'
import { tempDir } from '../helpers/temp-dir.js'

test('the desktop shell starts the same server with its data in the user folder', async (t) => {
  const dir = tempDir(t)
  const host = await startServerHost({ userDataDir: dir, webRoot: null, port: 0, host: '127.0.0.1', logLevel: 'silent' })
  t.after(() => host.close())
  const health = await fetch(`${host.info.baseUrl}/healthz`)
  assert.deepEqual(await health.json(), { ok: true })
  const status = await fetch(`${host.info.baseUrl}/api/admin/status`, { headers: { authorization: `Bearer ${host.info.adminToken}` } })
  assert.equal(status.status, 200)
  assert.ok(host.info.adminToken.length >= 24)
})

test('a taken port gives a readable error', async (t) => {
  const blocker = createServer()
  await new Promise<void>(resolve => blocker.listen(0, '127.0.0.1', resolve))
  t.after(() => blocker.close())
  const port = (blocker.address() as { port: number }).port
  await assert.rejects(startServerHost({ userDataDir: tempDir(t), webRoot: null, port, host: '127.0.0.1', logLevel: 'silent' }), /Port \d+ is already in use/)
})
