import { test } from 'node:test'
import assert from 'node:assert/strict'
import { startHost } from '../helpers/host.js'

test('a restart on the same data dir keeps history, tokens, and seq keeps growing', async (t) => {
  const host = await startHost(t)
  const alice = await host.join('Alice')
  const a = await host.connect(alice.token)
  a.chat('before restart', 'r-1')
  await a.waitType('user_message')
  const roomId = alice.room.id
  await host.restart()
  const again = await host.connect(alice.token, 0)
  const hello = (await again.waitType('hello'))[0]!
  assert.equal(hello.room.id, roomId)
  assert.equal(hello.last_seq, 1)
  const [old] = await again.waitType('user_message')
  assert.equal(old!.content, 'before restart')
  again.chat('after restart', 'r-2')
  const frames = await again.waitType('user_message', 2)
  assert.equal(frames[1]!.seq, 2)
  // the client_msg_id is remembered across the restart
  again.chat('resend', 'r-1')
  const dup = await again.waitType('user_message', 3)
  assert.equal(dup[2]!.content, 'before restart')
  const history = await host.api('GET', '/api/messages', { token: alice.token })
  assert.deepEqual(history.body.messages.map((m: { content: string }) => m.content), ['before restart', 'after restart'])
  // names stay unique across restarts
  const other = await host.join('alice')
  assert.equal(other.username, 'alice 2')
})

test('graceful shutdown closes sockets with 1001 and keeps everything accepted', async (t) => {
  const host = await startHost(t)
  const alice = await host.join('Alice')
  const a = await host.connect(alice.token)
  for (let i = 0; i < 20; i++) a.chat(`msg ${i}`, `g${i}`)
  await a.waitType('user_message', 20)
  const closed = a.waitClose()
  await host.close()
  assert.equal(await closed, 1001)
  await host.restart()
  const history = await host.api('GET', '/api/messages?limit=100', { token: alice.token })
  assert.equal(history.body.messages.length, 20)
})

test('tokens never appear in the logs', async (t) => {
  const host = await startHost(t, { config: { logLevel: 'debug' } })
  const alice = await host.join('Alice')
  const a = await host.connect(alice.token)
  a.chat('hi', 'x')
  await a.waitType('user_message')
  await host.api('GET', '/api/users', { token: alice.token })
  await host.api('GET', '/api/users', { token: 'forged-token-forged-token' })
  await host.close()
  assert.ok(host.logs.length > 3)
  for (const line of host.logs) {
    assert.ok(!line.includes(alice.token), `token leaked: ${line}`)
    assert.ok(!line.includes('forged-token-forged-token'), `token leaked: ${line}`)
    assert.ok(!line.includes(host.config.adminToken), `admin token leaked: ${line}`)
  }
})
