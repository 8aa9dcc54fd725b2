import { test } from 'node:test'
import assert from 'node:assert/strict'
import { spawn } from 'node:child_process'
import { join } from 'node:path'
import { startHost } from '../helpers/host.js'
import { startFakeDify } from '../helpers/fake-dify.js'
import { tempDir } from '../helpers/temp-dir.js'
import { TestClient } from '../helpers/ws-client.js'

const root = join(import.meta.dirname, '..', '..')

test('a host killed mid-reply keeps the text so far; on restart the reply is interrupted', async (t) => {
  const dify = await startFakeDify({ tokenDelayMs: 20, pingIntervalMs: 500 })
  t.after(() => dify.close())
  const dataDir = tempDir(t)
  const child = spawn(process.execPath, ['--import', 'tsx', 'server/start.ts', '--host', '127.0.0.1', '--port', '0', '--data-dir', dataDir, '--log-level', 'warn'], {
    cwd: root,
    env: { ...process.env, DIFY_API_URL: dify.url, DIFY_API_KEY: dify.apiKey },
    stdio: ['ignore', 'pipe', 'pipe']
  })
  t.after(() => child.kill('SIGKILL'))
  const url = await new Promise<string>((resolve, reject) => {
    let out = ''
    const timer = setTimeout(() => reject(new Error(`host did not start: ${out}`)), 20_000)
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString()
      const m = /http:\/\/127\.0\.0\.1:(\d+)\//.exec(out)
      if (m !== null) { clearTimeout(timer); resolve(`http://127.0.0.1:${m[1]}`) }
    })
    child.once('exit', (code) => reject(new Error(`host exited with ${code}: ${out}`)))
  })
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
