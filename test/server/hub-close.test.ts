/** Closes the host starts write the socket's queued frames first (real host, real ws clients). */
import { test } from 'node:test'
import assert from 'node:assert/strict'
import type { Socket } from 'node:net'
import { startHost } from '../helpers/host.js'

test('an oversized frame closes with 1009 only after the errors answering the earlier bad frames', async (t) => {
  const host = await startHost(t)
  const alice = await host.join('Alice')
  const client = await host.connect(alice.token)
  await client.waitType('hello')
  // Three bad frames and an oversized one in one TCP write: the server reads them in one go.
  const socket = (client.ws as unknown as { _socket: Socket })._socket
  socket.cork()
  client.send('not json')
  client.send({ type: 'nope' })
  client.send({ type: 'chat' })
  client.send('x'.repeat(host.config.wsMaxPayload + 1))
  process.nextTick(() => socket.uncork())
  assert.equal(await client.waitClose(), 1009)
  const errors = client.ofType('error').map(e => e.code)
  assert.deepEqual(errors, ['ERR_BAD_JSON', 'ERR_UNKNOWN_TYPE', 'ERR_VALIDATION', 'ERR_FRAME_TOO_LARGE'])
  assert.equal(client.closeReason, 'Frame too large')
})

test('shutdown writes the frames queued for each socket, then closes it with 1001', async (t) => {
  const host = await startHost(t)
  const alice = await host.join('Alice')
  const client = await host.connect(alice.token)
  await client.waitType('hello')
  host.app.services.hub.broadcast({ type: 'ai_message_queue', id: 42, queue_position: 3 })
  await host.close()
  assert.equal(await client.waitClose(), 1001)
  assert.equal(client.ofType('ai_message_queue').at(-1)?.queue_position, 3)
})

test('a kick writes the ERR_REMOVED frame, then closes with 4001', async (t) => {
  const host = await startHost(t)
  const alice = await host.join('Alice')
  const client = await host.connect(alice.token)
  await client.waitType('hello')
  const { hub } = host.app.services
  const [conn] = [...hub.connectionsOf(alice.user_id)!]
  hub.broadcast({ type: 'ai_message_queue', id: 7, queue_position: 1 })
  hub.sendTo(conn!, { type: 'error', code: 'ERR_REMOVED', message: 'The host removed you from the room.' })
  hub.closeAfterFlush(conn!, 4001, 'Removed by the host')
  assert.equal(await client.waitClose(), 4001)
  assert.deepEqual(client.frames.slice(-2).map(f => f.type), ['ai_message_queue', 'error'])
  assert.equal(client.ofType('error')[0]!.code, 'ERR_REMOVED')
})

test('a socket that stops reading is closed with 1013 after all it was already sent; others get everything', async (t) => {
  const host = await startHost(t, { config: { wsMaxBufferedBytes: 64 * 1024 } })
  const slow = await host.connect((await host.join('Slow')).token)
  const fast = await host.connect((await host.join('Fast')).token)
  await slow.waitType('hello')
  await fast.waitType('hello')
  const socket = (slow.ws as unknown as { _socket: Socket })._socket
  socket.pause()
  const { hub } = host.app.services
  const big = 'x'.repeat(30_000)
  for (let id = 1; id <= 300; id++) {
    hub.broadcast({ type: 'ai_message_replace', id, content: big })
    if (id % 5 === 0) await new Promise(resolve => setTimeout(resolve, 2))
  }
  await fast.waitType('ai_message_replace', 300, 20_000)
  assert.equal(hub.stats.slowConsumersDropped, 1)
  socket.resume()
  assert.equal(await slow.waitClose(10_000), 1013)
  const got = slow.ofType('ai_message_replace').map(f => f.id)
  assert.ok(got.length > 0 && got.length < 300, `the slow reader got ${got.length} of 300`)
  assert.deepEqual(got, Array.from({ length: got.length }, (_, i) => i + 1), 'what it had been sent arrives whole, in order, before the close')
})
