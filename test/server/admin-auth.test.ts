import { after, test } from 'node:test'
import assert from 'node:assert/strict'
import WebSocket from 'ws'
import { startHost } from '../helpers/host.js'
import { closeAgents } from '../helpers/net.js'

after(closeAgents)

/** Every admin route of the host console (the gate's own routes are tested with the gate). */
const ROUTES: Array<[string, string, unknown?]> = [
  ['GET', '/api/admin/status'],
  ['GET', '/api/admin/network'],
  ['GET', '/api/admin/participants'],
  ['POST', '/api/admin/participants/1/mute', { minutes: 5 }],
  ['POST', '/api/admin/participants/1/kick'],
  ['POST', '/api/admin/participants/1/ban'],
  ['POST', '/api/admin/participants/1/unban'],
  ['GET', '/api/admin/bans'],
  ['DELETE', '/api/admin/bans/127.0.0.5'],
  ['POST', '/api/admin/messages', { content: 'hello' }],
  ['GET', '/api/admin/messages'],
  ['POST', '/api/admin/messages/1/hide'],
  ['POST', '/api/admin/messages/1/unhide'],
  ['PUT', '/api/admin/room', { locked: true }],
  ['POST', '/api/admin/sessions'],
  ['PUT', '/api/admin/ai-mode', { ai_mode: 'off' }],
  ['GET', '/api/admin/settings'],
  ['PUT', '/api/admin/settings', { room_name: 'Hacked' }],
  ['POST', '/api/admin/ai/test', {}],
  ['GET', '/api/admin/ai/form'],
  ['GET', '/api/admin/audit']
]

test('every admin route refuses a missing or wrong token (401) and any LAN address even with the token (403)', async (t) => {
  const host = await startHost(t)
  const token = host.config.adminToken
  for (const [method, url, body] of ROUTES) {
    const payload = body === undefined ? {} : { payload: body as object }
    const none = await host.app.inject({ method: method as 'GET', url, ...payload })
    assert.equal(none.statusCode, 401, `${method} ${url} without a token`)
    assert.equal(none.json().error.code, 'ERR_UNAUTHORIZED')
    const wrong = await host.app.inject({ method: method as 'GET', url, headers: { authorization: 'Bearer wrong-token-wrong-token-000' }, ...payload })
    assert.equal(wrong.statusCode, 401, `${method} ${url} with a wrong token`)
    for (const remoteAddress of ['192.168.1.20', '10.1.2.3', '::ffff:172.16.0.9', 'fe80::1']) {
      const lan = await host.app.inject({ method: method as 'GET', url, remoteAddress, headers: { authorization: `Bearer ${token}`, 'x-forwarded-for': '127.0.0.1' }, ...payload })
      assert.equal(lan.statusCode, 403, `${method} ${url} from ${remoteAddress}`)
      assert.equal(lan.json().error.code, 'ERR_FORBIDDEN')
      assert.match(lan.json().error.message, /host computer/)
    }
  }
  // Nothing of the above changed the room.
  const status = await host.api('GET', '/api/admin/status', { token })
  assert.equal(status.status, 200)
  assert.equal(status.body.locked, false)
  assert.equal(status.body.room.name, 'Test Room')
  assert.equal(status.body.ai_mode, 'mention')
  assert.equal((await host.api('GET', '/api/admin/audit', { token })).body.entries.length, 0)
})

test('the admin API answers the token over a real socket from another loopback address; a token in the query works only for the socket', async (t) => {
  const host = await startHost(t)
  const token = host.config.adminToken
  const real = await host.api('GET', '/api/admin/status', { token, localAddress: '127.0.0.2' })
  assert.equal(real.status, 200)
  assert.equal(real.body.session_id, 1)
  const x = await host.api('GET', '/api/admin/status', { headers: { 'x-admin-token': token } })
  assert.equal(x.status, 200)
  const query = await host.api('GET', `/api/admin/status?token=${token}`)
  assert.equal(query.status, 401)
})

test('the admin socket needs the token and the host computer', async (t) => {
  const host = await startHost(t)
  const base = host.url.replace('http', 'ws') + '/api/admin/ws'
  const status = async (url: string): Promise<number> => await new Promise((resolve) => {
    const ws = new WebSocket(url)
    ws.on('unexpected-response', (_req, res) => { resolve(res.statusCode ?? 0) })
    ws.on('open', () => { ws.terminate(); resolve(101) })
    ws.on('error', () => resolve(-1))
  })
  assert.equal(await status(base), 401)
  assert.equal(await status(`${base}?token=wrong-token-wrong-token-000`), 401)
  assert.equal(await status(`${base}?token=${host.config.adminToken}`), 101)
  const lan = await host.app.inject({ method: 'GET', url: `/api/admin/ws?token=${host.config.adminToken}`, remoteAddress: '192.168.1.20', headers: { connection: 'upgrade', upgrade: 'websocket', 'sec-websocket-version': '13', 'sec-websocket-key': 'dGhlIHNhbXBsZSBub25jZQ==' } })
  assert.equal(lan.statusCode, 403)
  // a participant token is not an admin token
  const alice = await host.join('Alice')
  assert.equal(await status(`${base}?token=${alice.token}`), 401)
})
