/** Emoji reactions: one of each per participant per message, counts coalesced to everyone, kept. */
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { startHost } from '../helpers/host.js'
import type { ServerFrame } from '../../server/protocol/index.js'

test('reactions count once per participant and emoji, reach everyone coalesced, and survive a restart', async (t) => {
  const host = await startHost(t)
  const [kim, lee] = await Promise.all([host.join('Kim'), host.join('Lee')])
  const a = await host.connect(kim.token)
  const b = await host.connect(lee.token)
  a.chat('photosynthesis makes sugar', 'm1')
  const [posted] = await b.waitType('user_message')
  const id = posted!.id

  a.send({ type: 'react', message_id: id, emoji: '👍', on: true })
  a.send({ type: 'react', message_id: id, emoji: '👍', on: true })
  b.send({ type: 'react', message_id: id, emoji: '👍', on: true })
  b.send({ type: 'react', message_id: id, emoji: '🎉', on: true })
  const [last] = await a.waitFor((f: ServerFrame) => f.type === 'reactions' && f.counts['👍'] === 2 && f.counts['🎉'] === 1)
  assert.deepEqual(last, { type: 'reactions', message_id: id, counts: { '👍': 2, '🎉': 1 } })
  assert.ok(a.ofType('reactions').length <= 2, `coalesced: ${a.ofType('reactions').length} frames for four taps`)

  b.send({ type: 'react', message_id: id, emoji: '🎉', on: false })
  await a.waitFor((f: ServerFrame) => f.type === 'reactions' && f.counts['🎉'] === undefined)

  // Refusals: an unknown message, an emoji outside the six.
  a.send({ type: 'react', message_id: 9999, emoji: '👍', on: true })
  await a.waitFor((f: ServerFrame) => f.type === 'error' && f.code === 'ERR_MESSAGE_NOT_FOUND')
  a.send({ type: 'react', message_id: id, emoji: '💩', on: true })
  await a.waitFor((f: ServerFrame) => f.type === 'error' && f.code === 'ERR_VALIDATION')

  await host.restart()
  const history = await host.api('GET', '/api/messages', { token: lee.token })
  const m = history.body.messages.find((x: { id: number }) => x.id === id)
  assert.deepEqual(m.reactions, { '👍': 2 })
  assert.deepEqual(m.my_reactions, ['👍'])
  const kimsView = (await host.api('GET', '/api/messages', { token: kim.token })).body.messages.find((x: { id: number }) => x.id === id)
  assert.deepEqual(kimsView.my_reactions, ['👍'])
})
