import { after, test } from 'node:test'
import assert from 'node:assert/strict'
import { startHost } from '../helpers/host.js'
import { closeAgents } from '../helpers/net.js'

after(closeAgents)

test('a second "lily" is told her name became "lily 2"; a name is free again in the next session', async (t) => {
  const host = await startHost(t)
  const first = await host.api('POST', '/api/users/join', { body: { username: 'lily' } })
  assert.equal(first.body.username, 'lily')
  assert.equal(first.body.renamed, undefined)
  assert.equal(first.body.requested_username, undefined)
  const second = await host.api('POST', '/api/users/join', { body: { username: 'Lily' } })
  assert.deepEqual([second.body.username, second.body.requested_username, second.body.renamed], ['Lily 2', 'Lily', true])
  const kim = await host.join('Kim')
  // Kim leaves (closes the page) and the next lesson starts: the name is hers to take again
  await host.api('POST', '/api/admin/sessions', { token: host.config.adminToken })
  const back = await host.api('POST', '/api/users/join', { body: { username: 'Kim' } })
  assert.equal(back.body.username, 'Kim')
  assert.notEqual(back.body.user_id, kim.user_id)
  assert.equal(back.body.renamed, undefined)
  // the People list and the room's list show this session only
  const people = await host.api('GET', '/api/admin/participants', { token: host.config.adminToken })
  assert.deepEqual(people.body.participants.map((p: any) => p.username), ['Kim'])
  const everyone = await host.api('GET', '/api/admin/participants?scope=all', { token: host.config.adminToken })
  assert.deepEqual(everyone.body.participants.map((p: any) => p.username), ['lily', 'Lily 2', 'Kim', 'Kim'])
  const users = await host.api('GET', '/api/users', { token: back.body.token })
  assert.deepEqual(users.body.users.map((u: any) => u.username), ['Kim'])
  // the old token still names its owner (a page reloaded after the break), who rejoins this session
  const oldKim = await host.connect(kim.token)
  assert.equal(oldKim.ofType('hello')[0]!.user_id, kim.user_id)
})

test('participants online when a new session starts stay in it and keep their names', async (t) => {
  const host = await startHost(t)
  const mia = await host.join('Mia')
  const m = await host.connect(mia.token)
  await host.api('POST', '/api/admin/sessions', { token: host.config.adminToken })
  await m.waitType('room_cleared')
  const taken = await host.api('POST', '/api/users/join', { body: { username: 'mia' } })
  assert.deepEqual([taken.body.username, taken.body.renamed], ['mia 2', true])
  const people = await host.api('GET', '/api/admin/participants', { token: host.config.adminToken })
  assert.deepEqual(people.body.participants.map((p: any) => p.username), ['Mia', 'mia 2'])
})

test('a kicked participant frees the name', async (t) => {
  const host = await startHost(t)
  const noah = await host.join('Noah')
  await host.api('POST', `/api/admin/participants/${noah.user_id}/kick`, { token: host.config.adminToken })
  const again = await host.api('POST', '/api/users/join', { body: { username: 'Noah' } })
  assert.equal(again.body.username, 'Noah')
})
