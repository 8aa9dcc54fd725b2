import { test } from 'node:test'
import assert from 'node:assert/strict'
import { startHost } from '../helpers/host.js'
import { startFakeDify } from '../helpers/fake-dify.js'
import { tempDir } from '../helpers/temp-dir.js'
import { spawnHost } from '../helpers/host-process.js'
import { TestClient } from '../helpers/ws-client.js'

test('a host killed mid-reply keeps the text so far; on restart the reply is interrupted', async (t) => {
  const dify = await startFakeDify({ tokenDelayMs: 20, pingIntervalMs: 500 })
  t.after(() => dify.close())
  const dataDir = tempDir(t)
  const { url, child } = await spawnHost(t, { dataDir, dify, startTimeoutMs: 20_000 })
  const join = await (await fetch(`${url}/api/users/join`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'Alice' }) })).json() as { token: string }
  const client = new TestClient(`${url.replace('http', 'ws')}/api/broadcast/ws?token=${join.token}`)
  t.after(() => client.terminate())
  await client.opened()
  client.chat('@ai tell me everything [[scenario:slow]]', 'crash-1')
  const [start] = await client.waitType('ai_message_start')
  await client.waitType('ai_message_chunk', 40, 10_000)
  await new Promise(resolve => setTimeout(resolve, 1300)) // past one checkpoint
  const seen = client.ofType('ai_message_chunk').map(c => c.content).join('')
  const exited = new Promise(resolve => child.once('exit', resolve))
  child.kill('SIGKILL')
  await exited

  const host = await startHost(t, { dataDir })
  const history = await host.api('GET', '/api/messages', { token: join.token })
  assert.equal(history.status, 200, 'the token survived the crash')
  const reply = history.body.messages.find((m: { id: number }) => m.id === start!.id)
  assert.equal(reply.status, 'interrupted')
  assert.ok(reply.content.length > 0, 'the text so far was kept')
  // Write before you show: everything the participant read is stored (crash-durability.test.ts kills at more moments).
  assert.ok(reply.content.startsWith(seen), `stored ${reply.content.length} chars, the participant saw ${seen.length}`)
  assert.equal(reply.error.code, 'ERR_AI_INTERRUPTED')
  const again = await host.connect(join.token, start!.seq)
  const [err] = await again.waitType('ai_message_error')
  assert.equal(err!.id, start!.id)
  assert.equal(err!.status, 'interrupted')
  assert.equal(err!.content, reply.content)
})
