/**
 * The console's socket keeps the room socket's rules at its edge: the same Origin check at upgrade
 * time, and the same `ERR_FRAME_TOO_LARGE` frame before the 1009 close.
 */
import { after, test } from 'node:test'
import assert from 'node:assert/strict'
import WebSocket from 'ws'
import { startHost } from '../helpers/host.js'
import { closeAgents } from '../helpers/net.js'
import { adminSocket } from '../helpers/admin.js'

after(closeAgents)

/** The upgrade's status (101 when it opened) and, when refused, its JSON body. */
async function upgrade (url: string, origin?: string): Promise<{ status: number, body: any }> {
  return await new Promise((resolve) => {
    const ws = new WebSocket(url, origin !== undefined ? { origin } : {})
    ws.on('unexpected-response', (req, res) => {
      let text = ''
      res.on('data', (d: Buffer) => { text += d.toString() })
      res.on('end', () => { req.destroy(); resolve({ status: res.statusCode ?? 0, body: JSON.parse(text) }) })
    })
    ws.on('open', () => { ws.terminate(); resolve({ status: 101, body: null }) })
    ws.on('error', () => resolve({ status: -1, body: null }))
  })
}

test('the admin socket refuses a foreign Origin with 403 ERR_ORIGIN_FORBIDDEN, like the room socket', async (t) => {
  const host = await startHost(t)
  const port = new URL(host.url).port
  const admin = `${host.url.replace('http', 'ws')}/api/admin/ws?token=${host.config.adminToken}`
  const alice = await host.join('Alice')
  const room = `${host.wsUrl}?token=${alice.token}`
  for (const url of [admin, room]) {
    assert.equal((await upgrade(url)).status, 101, 'no Origin (a script)')
    assert.equal((await upgrade(url, host.url)).status, 101, 'the console page itself')
    assert.equal((await upgrade(url, `http://localhost:${port}`)).status, 101)
    for (const foreign of ['http://evil.example', `http://192.0.2.66:${port}`, 'http://127.0.0.1:5173', 'null']) {
      const res = await upgrade(url, foreign)
      assert.equal(res.status, 403, `${url.includes('admin') ? 'admin' : 'room'} from ${foreign}`)
      assert.equal(res.body.error.code, 'ERR_ORIGIN_FORBIDDEN')
      assert.ok(res.body.error.message.length > 0)
    }
  }
})

test('an oversized frame on the admin socket gets ERR_FRAME_TOO_LARGE, then the close 1009', async (t) => {
  const host = await startHost(t)
  const console_ = await adminSocket(t, host)
  await console_.waitType('hello')
  console_.send({ type: 'ping' })
  await console_.waitType('pong')
  console_.send('x'.repeat(host.config.wsMaxPayload + 1024))
  assert.equal(await console_.waitClose(), 1009)
  const [error] = console_.ofType('error')
  assert.equal(error?.code, 'ERR_FRAME_TOO_LARGE')
  assert.match(error.message, new RegExp(String(host.config.wsMaxPayload)))
  // the room and a new console socket keep working
  const again = await adminSocket(t, host)
  await again.waitType('hello')
})
