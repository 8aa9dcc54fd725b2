/** The anonymous room: names hidden from other participants and the projector, never from the host. */
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { startHost } from '../helpers/host.js'
import { admin, adminSocket } from '../helpers/admin.js'
import type { HistoryMessage, PresenceFrame, ServerFrame, UserMessageFrame } from '../../server/protocol/index.js'

const isMessage = (content: string) => (f: ServerFrame): boolean => f.type === 'user_message' && f.content === content
const messageIn = (frames: ServerFrame[], content: string): UserMessageFrame =>
  frames.find(f => f.type === 'user_message' && f.content === content) as UserMessageFrame

test('an anonymous room hides the author from other participants, shows it to its author and the host', async (t) => {
  const host = await startHost(t)
  const api = admin(host)
  const [kim, lee] = await Promise.all([host.join('Kim', '🦊'), host.join('Lee', '🐼')])
  const a = await host.connect(kim.token)
  const b = await host.connect(lee.token)
  const console = await adminSocket(t, host)

  a.send({ type: 'chat', content: 'before, with my name', client_msg_id: 'k1' })
  await b.waitFor(isMessage('before, with my name'))
  assert.equal(messageIn(b.frames, 'before, with my name').from_user, 'Kim')

  const on = await api('PUT', '/api/admin/room', { anonymous: true })
  assert.equal(on.status, 200)
  assert.equal(on.body.anonymous, true)
  await b.waitFor(f => f.type === 'room_update' && f.anonymous === true)
  assert.equal((await host.api('GET', '/api/room')).body.anonymous, true)

  a.send({ type: 'chat', content: 'a question I am shy about', client_msg_id: 'k2' })
  await b.waitFor(isMessage('a question I am shy about'))
  await a.waitFor(isMessage('a question I am shy about'))
  await console.waitFor(f => (f as ServerFrame).type === 'user_message' && (f as UserMessageFrame).content === 'a question I am shy about')

  const seen = messageIn(b.frames, 'a question I am shy about')
  assert.deepEqual([seen.from_user, seen.from_user_id, seen.emoji, seen.anonymous], ['Anonymous', 0, '👤', true], 'another participant: no name, id or emoji')
  assert.equal(seen.client_msg_id, undefined)
  const sinceSwitch = b.frames.slice(b.frames.findIndex(f => f.type === 'room_update' && f.anonymous === true))
  assert.ok(!JSON.stringify(sinceSwitch).includes('Kim') && !JSON.stringify(sinceSwitch).includes('🦊'), 'nothing Lee got since the switch names Kim')
  const own = messageIn(a.frames, 'a question I am shy about')
  assert.deepEqual([own.from_user, own.from_user_id, own.client_msg_id, own.anonymous], ['Kim', kim.user_id, 'k2', true], 'its author sees their own message as theirs')
  const hosts = console.frames.find(f => (f as UserMessageFrame).content === 'a question I am shy about') as UserMessageFrame
  assert.deepEqual([hosts.from_user, hosts.from_user_id, hosts.anonymous], ['Kim', kim.user_id, true], 'the host sees who wrote it')

  // History and replays say the same as the live frames.
  const history = (await host.api('GET', '/api/messages', { token: lee.token })).body.messages as HistoryMessage[]
  const inHistory = history.find(m => m.content === 'a question I am shy about')!
  assert.deepEqual([inHistory.from_user, inHistory.from_user_id, inHistory.anonymous], ['Anonymous', 0, true])
  assert.equal(history.find(m => m.content === 'before, with my name')!.from_user, 'Kim', 'what was posted with a name keeps it')
  const mine = (await host.api('GET', '/api/messages', { token: kim.token })).body.messages as HistoryMessage[]
  assert.equal(mine.find(m => m.content === 'a question I am shy about')!.from_user_id, kim.user_id)
  const adminHistory = (await api('GET', '/api/admin/messages')).body.messages as HistoryMessage[]
  assert.equal(adminHistory.find(m => m.content === 'a question I am shy about')!.from_user, 'Kim')
  const replay = await host.connect(lee.token, 0)
  await replay.waitFor(isMessage('a question I am shy about'))
  assert.equal(messageIn(replay.frames, 'a question I am shy about').from_user, 'Anonymous')

  // People: a participant sees only themselves and the count; the console's list is whole.
  const people = await host.api('GET', '/api/users', { token: lee.token })
  assert.deepEqual(people.body.users.map((u: { username: string }) => u.username), ['Lee'])
  assert.equal(people.body.anonymous, true)
  assert.equal(people.body.online_count, 2)

  // Names shown again: new messages carry names; the anonymous one stays anonymous.
  await api('PUT', '/api/admin/room', { anonymous: false })
  a.send({ type: 'chat', content: 'after, with my name', client_msg_id: 'k3' })
  await b.waitFor(isMessage('after, with my name'))
  assert.equal(messageIn(b.frames, 'after, with my name').from_user, 'Kim')
  assert.equal(messageIn(b.frames, 'after, with my name').anonymous, undefined)
  const later = (await host.api('GET', '/api/messages', { token: lee.token })).body.messages as HistoryMessage[]
  assert.equal(later.find(m => m.content === 'a question I am shy about')!.from_user, 'Anonymous', 'anonymity given is never taken back')
  assert.equal((await host.api('GET', '/api/users', { token: lee.token })).body.users.length, 2)
})

test('presence names nobody to participants while names are hidden; the host still gets the list', async (t) => {
  const host = await startHost(t)
  const api = admin(host)
  await api('PUT', '/api/admin/room', { anonymous: true })
  const kim = await host.join('Kim')
  const a = await host.connect(kim.token)
  const console = await adminSocket(t, host)
  const lee = await host.join('Lee')
  await host.connect(lee.token)

  const [forKim] = await a.waitFor(f => f.type === 'presence' && f.online_count === 2)
  const frame = forKim as PresenceFrame
  assert.deepEqual(frame.joined, [], 'no names to participants')
  assert.ok((frame.changes_omitted ?? 0) >= 1, 'the count of changes, so that the page knows its list is stale')
  await console.waitFor(f => (f as ServerFrame).type === 'presence' && (f as PresenceFrame).joined.some(u => u.username === 'Lee'))
  assert.equal((a.frames.find(f => f.type === 'hello') as { anonymous?: boolean }).anonymous, true, 'hello says the room is anonymous')
})

test('the anonymous switch survives a restart, and an unhidden anonymous message stays anonymous', async (t) => {
  const host = await startHost(t)
  const api = admin(host)
  await api('PUT', '/api/admin/room', { anonymous: true })
  const [kim, lee] = await Promise.all([host.join('Kim'), host.join('Lee')])
  const a = await host.connect(kim.token)
  a.send({ type: 'chat', content: 'hide me then show me', client_msg_id: 'h1' })
  const [posted] = await a.waitFor(isMessage('hide me then show me'))
  const id = (posted as UserMessageFrame).id

  await host.restart()
  assert.equal((await api('GET', '/api/admin/status')).body.anonymous, true)
  const b = await host.connect(lee.token)
  const a2 = await host.connect(kim.token)
  assert.equal((await api('POST', `/api/admin/messages/${id}/hide`)).status, 200)
  assert.equal((await api('POST', `/api/admin/messages/${id}/unhide`)).status, 200)
  const [shown] = await b.waitFor(f => f.type === 'message_unhidden' && f.id === id)
  const again = (shown as Extract<ServerFrame, { type: 'message_unhidden' }>).message as UserMessageFrame
  assert.deepEqual([again.from_user, again.content], ['Anonymous', 'hide me then show me'])
  const [toAuthor] = await a2.waitFor(f => f.type === 'message_unhidden' && f.id === id)
  assert.equal(((toAuthor as Extract<ServerFrame, { type: 'message_unhidden' }>).message as UserMessageFrame).from_user, 'Kim')
})
