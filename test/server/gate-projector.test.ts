import { test } from 'node:test'
import assert from 'node:assert/strict'
import { startHost } from '../helpers/host.js'
import { TestClient } from '../helpers/ws-client.js'

const ADMIN = 'admin-token-for-tests-0123456789'

test('the console switches the projector: admin sockets get projector_update, participants do not, and it is kept', async (t) => {
  const host = await startHost(t)
  const auth = { authorization: `Bearer ${ADMIN}` }
  assert.deepEqual((await host.api('GET', '/api/admin/projector', { headers: auth })).body, { view: 'auto', hide_names: false, read_aloud: false })
  const projector = new TestClient(`${host.url.replace('http', 'ws')}/api/admin/ws?token=${ADMIN}`)
  t.after(() => projector.terminate())
  await projector.opened()
  await projector.waitType('hello')
  const kim = await host.join('Kim')
  const participant = await host.connect(kim.token)
  await participant.waitType('hello')

  const res = await host.api('POST', '/api/admin/projector', { headers: auth, body: { view: 'qr', hide_names: true } })
  assert.equal(res.status, 200)
  assert.deepEqual(res.body, { view: 'qr', hide_names: true, read_aloud: false })
  const [update] = await projector.waitFor(f => (f as { type: string }).type === 'projector_update')
  assert.deepEqual(update, { type: 'projector_update', view: 'qr', hide_names: true, read_aloud: false })
  // hide_names left out keeps the last choice; read_aloud switches the projector's voice on
  assert.deepEqual((await host.api('POST', '/api/admin/projector', { headers: auth, body: { view: 'answer', read_aloud: true } })).body, { view: 'answer', hide_names: true, read_aloud: true })
  await projector.waitFor(f => (f as { type: string }).type === 'projector_update', 2)
  await new Promise(resolve => setTimeout(resolve, 100))
  assert.equal(participant.frames.filter(f => (f as { type: string }).type === 'projector_update').length, 0)

  await host.restart()
  assert.deepEqual((await host.api('GET', '/api/admin/projector', { headers: auth })).body, { view: 'answer', hide_names: true, read_aloud: true })

  const bad = await host.api('POST', '/api/admin/projector', { headers: auth, body: { view: 'big' } })
  assert.equal(bad.status, 400)
  assert.equal((await host.api('POST', '/api/admin/projector', { body: { view: 'qr' } })).status, 401)
  const audit = await host.api('GET', '/api/admin/audit?limit=5', { headers: auth })
  if (audit.status === 200) assert.ok(audit.body.entries.some((e: { action: string }) => e.action === 'projector.update'))
})
