import { test } from 'node:test'
import assert from 'node:assert/strict'
import { readdirSync, readFileSync } from 'node:fs'
import { createServer, type Server } from 'node:net'
import { join } from 'node:path'
import Fastify from 'fastify'
import { startServerHost } from '../../main/server-host.js'
import { listen, ListenError } from '../../server/listen.js'
import { createSafeStorageBox } from '../../main/secret-box.js'
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

test('the AI key the host enters in the console is sealed by the desktop box before it is stored', async (t) => {
  const dir = tempDir(t)
  const flip = (b: Buffer): Buffer => Buffer.from(b.map(x => x ^ 0x5a))
  const secrets = await createSafeStorageBox({
    isAsyncEncryptionAvailable: async () => true,
    getSelectedStorageBackend: () => 'gnome_libsecret',
    encryptStringAsync: async (plain) => flip(Buffer.from(plain, 'utf8')),
    decryptStringAsync: async (sealed) => ({ result: flip(sealed).toString('utf8'), shouldReEncrypt: false })
  }, 'linux')
  const host = await startServerHost({ userDataDir: dir, webRoot: null, port: 0, host: '127.0.0.1', logLevel: 'silent', secrets })
  const headers = { authorization: `Bearer ${host.info.adminToken}`, 'content-type': 'application/json' }
  const put = await fetch(`${host.info.baseUrl}/api/admin/settings`, { method: 'PUT', headers, body: JSON.stringify({ dify_api_key: 'app-DESKTOPSECRET42' }) })
  assert.equal(put.status, 200)
  const key = (await put.json() as { settings: { dify_api_key: { is_set: boolean, is_encrypted: boolean, last4: string } } }).settings.dify_api_key
  assert.deepEqual(key, { is_set: true, last4: 'ET42', is_encrypted: true })
  await host.close()
  const files = readdirSync(join(dir, 'data')).map(f => readFileSync(join(dir, 'data', f)))
  assert.ok(files.length > 0)
  assert.equal(files.some(bytes => bytes.includes('DESKTOPSECRET')), false, 'the key is not in the database in clear')
})
