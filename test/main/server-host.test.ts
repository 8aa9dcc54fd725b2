import { test } from 'node:test'
import assert from 'node:assert/strict'
import { createServer, type Server } from 'node:net'
import Fastify from 'fastify'
import { startServerHost } from '../../main/server-host.js'
import { listen, ListenError } from '../../server/listen.js'
import { tempDir } from '../helpers/temp-dir.js'

async function occupy (port = 0): Promise<Server> {
  const s = createServer()
  await new Promise<void>((resolve, reject) => { s.once('error', reject); s.listen(port, '127.0.0.1', resolve) })
  return s
}
const portOf = (s: Server): number => (s.address() as { port: number }).port

test('the desktop shell starts the same server with its data in the user folder', async (t) => {
  const dir = tempDir(t)
  const host = await startServerHost({ userDataDir: dir, webRoot: null, port: 0, host: '127.0.0.1', logLevel: 'silent' })
  t.after(() => host.close())
  const health = await fetch(`${host.info.baseUrl}/healthz`)
  assert.deepEqual(await health.json(), { ok: true })
  const status = await fetch(`${host.info.baseUrl}/api/admin/status`, { headers: { authorization: `Bearer ${host.info.adminToken}` } })
  assert.equal(status.status, 200)
  assert.ok(host.info.adminToken.length >= 24)
  assert.equal(host.fallbackFrom, null)
})

test('a taken port: the room opens on the next free one and says which it fell back from', async (t) => {
  const blocker = await occupy()
  t.after(() => blocker.close())
  const taken = portOf(blocker)
  const host = await startServerHost({ userDataDir: tempDir(t), webRoot: null, port: taken, host: '127.0.0.1', logLevel: 'silent' })
  t.after(() => host.close())
  assert.equal(host.fallbackFrom, taken)
  assert.ok(host.port > taken)
  assert.equal((await fetch(`${host.info.baseUrl}/healthz`)).status, 200)
})

test('the shared listen function: no free port in range is one readable error', async (t) => {
  const first = await occupy()
  t.after(() => first.close())
  const taken = portOf(first)
  let second: Server | null = null
  try { second = await occupy(taken + 1) } catch { /* taken by someone else already: just as good */ }
  t.after(() => second?.close())
  const app = Fastify()
  t.after(() => app.close())
  await assert.rejects(listen(app, { port: taken, host: '127.0.0.1', fallbackTries: 1 }), (err: unknown) => {
    assert.ok(err instanceof ListenError)
    assert.equal(err.code, 'EADDRINUSE')
    assert.match(err.message, new RegExp(`Ports ${taken} to ${taken + 1} on 127\\.0\\.0\\.1 are already in use`))
    return true
  })
})

test('the shared listen function: an address that is not this computer\'s says so', async (t) => {
  const app = Fastify()
  t.after(() => app.close())
  await assert.rejects(listen(app, { port: 0, host: '203.0.113.7' }), /does not belong to this computer/)
})
