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
