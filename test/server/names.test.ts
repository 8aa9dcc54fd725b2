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

test('reserved names in disguise are refused: small capitals, Cherokee and mathematical letters, reserved words together', async (t) => {
  const host = await startHost(t)
  for (const username of ['ʜᴏꜱᴛ', 'Ꭺ𝐈', 'MindWeb AI', 'AI assistant', 'The Host', 'Host 2', 'H0ST', 'ᴀɪ']) {
    const res = await host.api('POST', '/api/users/join', { body: { username } })
    assert.equal(res.status, 400, JSON.stringify(username))
    assert.equal(res.body.error.code, 'ERR_USERNAME_RESERVED', JSON.stringify(username))
    assert.match(res.body.error.message, /is reserved/)
  }
  // a reserved word inside a longer name is a name like any other
  for (const username of ['Kai', 'Ai Chen', 'Hostess', 'Admiral Lee', 'Mindy']) {
    assert.equal((await host.api('POST', '/api/users/join', { body: { username } })).status, 200, username)
  }
})

test('invisible characters are refused anywhere in a name; emoji, and joiners inside words, are fine', async (t) => {
  const host = await startHost(t)
  const invisible = ['\u2800', 'alice\u2800', '\u2800\u2800 Bob', 'al\u200Bice', 'Bob\u2060', 'Eve\u{E0041}', 'Kim\uE000', 'Zed\u3164', 'Ann\u034F', 'Lu\uFE0F', 'Max\u{1D173}']
  for (const username of invisible) {
    const res = await host.api('POST', '/api/users/join', { body: { username } })
    assert.equal(res.status, 400, JSON.stringify(username))
    assert.equal(res.body.error.code, 'ERR_USERNAME_INVALID', JSON.stringify(username))
    assert.match(res.body.error.message, /invisible|people can see/, JSON.stringify(username))
  }
  for (const username of ['Kim 🦊', '👩‍💻 Ana', '❤️ Lu', '1️⃣ One', '🏴󠁧󠁢󠁥󠁮󠁧󠁿 Tom', 'می\u200Cخواهم', 'Zoé']) {
    const res = await host.api('POST', '/api/users/join', { body: { username } })
    assert.equal(res.status, 200, JSON.stringify(username))
    assert.equal(res.body.username, username.normalize('NFC'))
  }
})

test('a look-alike of a name in this lesson is refused 409; the same name in another case still gets a suffix', async (t) => {
  const host = await startHost(t)
  const alice = await host.join('alice')
  await host.join('lily')
  // Cyrillic е, Cyrillic а, a capital I, full width, I for l, Cyrillic і
  for (const username of ['alic\u0435', '\u0430lice', 'aIice', 'ａｌｉｃｅ', 'Iily', 'al\u0456ce']) {
    const res = await host.api('POST', '/api/users/join', { body: { username } })
    assert.equal(res.status, 409, JSON.stringify(username))
    assert.equal(res.body.error.code, 'ERR_USERNAME_TAKEN', JSON.stringify(username))
    assert.match(res.body.error.message, /looks too much like/)
  }
  const again = await host.api('POST', '/api/users/join', { body: { username: 'Alice' } })
  assert.deepEqual([again.body.username, again.body.renamed], ['Alice 2', true])
  // a suffix that would look like a name held already is skipped too
  const third = await host.api('POST', '/api/users/join', { body: { username: 'ALICE' } })
  assert.equal(third.body.username, 'ALICE 3')
  // names that merely resemble each other are fine
  for (const username of ['Alicia', 'Lila', 'Clara', 'Dara']) {
    assert.equal((await host.api('POST', '/api/users/join', { body: { username } })).status, 200, username)
  }
  // once alice is removed her look-alike may join ("Alice 2" and "ALICE 3" do not look like "alicе")
  await host.api('POST', `/api/admin/participants/${alice.user_id}/kick`, { token: host.config.adminToken })
  assert.equal((await host.api('POST', '/api/users/join', { body: { username: 'alic\u0435' } })).status, 200)
  // and in the next lesson names are held by its people only
  assert.equal((await host.api('POST', '/api/users/join', { body: { username: 'Iily' } })).status, 409)
  await host.api('POST', '/api/admin/sessions', { token: host.config.adminToken })
  assert.equal((await host.api('POST', '/api/users/join', { body: { username: 'Iily' } })).status, 200)
})

test('a participant using the room over HTTP when a new session starts moves into it at once, and keeps the name', async (t) => {
  const host = await startHost(t)
  const pat = await host.join('Pat')
  // Pat's page reads the room over HTTP (no socket open right now)
  assert.equal((await host.api('GET', '/api/messages', { token: pat.token })).status, 200)
  await host.api('POST', '/api/admin/sessions', { token: host.config.adminToken })
  const people = await host.api('GET', '/api/admin/participants', { token: host.config.adminToken })
  assert.deepEqual(people.body.participants.map((p: any) => p.username), ['Pat'])
  const taken = await host.api('POST', '/api/users/join', { body: { username: 'pat' } })
  assert.deepEqual([taken.body.username, taken.body.renamed], ['pat 2', true])
})

test('a participant of an older session who comes back over HTTP is in this session from that request on', async (t) => {
  const host = await startHost(t)
  const kim = await host.join('Kim')
  await host.api('POST', '/api/admin/sessions', { token: host.config.adminToken })
  assert.deepEqual((await host.api('GET', '/api/admin/participants', { token: host.config.adminToken })).body.participants, [])
  // back from the break: the page asks for the list of people, never opening a socket
  const users = await host.api('GET', '/api/users', { token: kim.token })
  assert.deepEqual(users.body.users.map((u: any) => u.username), ['Kim'])
  const people = await host.api('GET', '/api/admin/participants', { token: host.config.adminToken })
  assert.deepEqual(people.body.participants.map((p: any) => p.username), ['Kim'])
})
