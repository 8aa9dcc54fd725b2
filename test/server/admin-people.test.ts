import { after, test } from 'node:test'
import assert from 'node:assert/strict'
import { startHost } from '../helpers/host.js'
import { admin, adminSocket } from '../helpers/admin.js'
import { closeAgents } from '../helpers/net.js'

after(closeAgents)

test('the People list shows this session with addresses, counts and state; the console gets rows live', async (t) => {
  const host = await startHost(t)
  const api = admin(host)
  const console = await adminSocket(t, host)
  const alice = await host.join('Alice')
  const a = await host.connect(alice.token, undefined, { localAddress: '127.0.0.11' })
  a.chat('one', 'c1')
  a.chat('two', 'c2')
  await a.waitType('user_message', 2)
  const rows = await console.waitFor(f => (f as any).type === 'admin_participant' && (f as any).participant.message_count === 2, 1, 5000)
  const live = (rows.at(-1) as any).participant
  assert.equal(live.username, 'Alice')
  assert.equal(live.online, true)
  const list = await api('GET', '/api/admin/participants')
  assert.equal(list.status, 200)
  const row = list.body.participants.find((p: any) => p.user_id === alice.user_id)
  assert.deepEqual({ ...row, joined_at: 0, last_seen: 0 }, {
    user_id: alice.user_id,
    username: 'Alice',
    emoji: alice.emoji,
    online: true,
    message_count: 2,
    muted_until: null,
    banned: false,
    removed: false,
    address: '127.0.0.11',
    joined_at: 0,
    last_seen: 0
  })
  assert.equal((await api('GET', '/api/admin/participants?scope=online')).body.participants.length, 1)
  const bad = await api('GET', '/api/admin/participants?scope=everyone')
  assert.equal(bad.status, 400)
  assert.match(bad.body.error.message, /scope/)
  // the console socket is not a participant: nobody is online because of it
  assert.equal((await api('GET', '/api/admin/status')).body.online_count, 1)
})

test('mute: chat frames get ERR_MUTED with retry_after_ms, HTTP posts 403; minutes 0 lifts it; bad minutes are 400', async (t) => {
  const host = await startHost(t)
  const api = admin(host)
  const bob = await host.join('Bob')
  const b = await host.connect(bob.token)
  const muted = await api('POST', `/api/admin/participants/${bob.user_id}/mute`, { minutes: 5 })
  assert.equal(muted.status, 200)
  assert.ok(muted.body.participant.muted_until > Date.now() + 4 * 60_000)
  // Told at once on every socket of theirs, and again in hello when they reconnect.
  const [told] = await b.waitType('muted')
  assert.equal((told as any).until, muted.body.participant.muted_until)
  const again = await host.connect(bob.token)
  const [hello] = await again.waitType('hello')
  assert.equal((hello as any).muted_until, muted.body.participant.muted_until)
  again.close()
  b.chat('let me talk', 'm1')
  const [err] = await b.waitType('error')
  assert.equal(err!.code, 'ERR_MUTED')
  assert.ok(err!.retry_after_ms! > 4 * 60_000)
  assert.equal(err!.client_msg_id, 'm1')
  const http = await host.api('POST', '/api/chat/stream', { token: bob.token, body: { message: 'hello?' } })
  assert.equal(http.status, 403)
  assert.equal(http.body.error.code, 'ERR_MUTED')
  assert.match(http.body.error.message, /muted/)
  for (const minutes of [-1, 1441, 2.5, '5']) {
    const res = await api('POST', `/api/admin/participants/${bob.user_id}/mute`, { minutes })
    assert.equal(res.status, 400, JSON.stringify(minutes))
    assert.match(res.body.error.message, /minutes/)
  }
  assert.equal((await api('POST', `/api/admin/participants/${bob.user_id}/mute`, {})).status, 400)
  assert.equal((await api('POST', '/api/admin/participants/999/mute', { minutes: 5 })).status, 404)
  assert.equal((await api('POST', '/api/admin/participants/999/mute', { minutes: 5 })).body.error.code, 'ERR_PARTICIPANT_NOT_FOUND')
  assert.equal((await api('POST', '/api/admin/participants/abc/mute', { minutes: 5 })).status, 400)
  const lifted = await api('POST', `/api/admin/participants/${bob.user_id}/mute`, { minutes: 0 })
  assert.equal(lifted.body.participant.muted_until, null)
  const told2 = await b.waitFor(f => (f as any).type === 'muted' && (f as any).until === null)
  assert.equal(told2.length, 1)
  b.chat('thanks', 'm2')
  const [posted] = await b.waitType('user_message')
  assert.equal(posted!.content, 'thanks')
  const audit = (await api('GET', '/api/admin/audit')).body.entries.map((e: any) => e.action)
  assert.deepEqual(audit, ['participant.unmute', 'participant.mute'])
})

test('kick: every socket gets ERR_REMOVED and then closes 4001; the token is refused at once on HTTP and WS; joining again works', async (t) => {
  const host = await startHost(t)
  const api = admin(host)
  const carol = await host.join('Carol')
  const tab1 = await host.connect(carol.token)
  const tab2 = await host.connect(carol.token)
  const other = await host.join('Dan')
  const d = await host.connect(other.token)
  // the token is cached by now (HTTP and socket both used it)
  assert.equal((await host.api('GET', '/api/users', { token: carol.token })).status, 200)
  const res = await api('POST', `/api/admin/participants/${carol.user_id}/kick`)
  assert.equal(res.status, 200)
  assert.equal(res.body.participant.removed, true)
  for (const tab of [tab1, tab2]) {
    assert.equal(await tab.waitClose(), 4001)
    const err = tab.ofType('error').at(-1)
    assert.equal(err?.code, 'ERR_REMOVED')
    assert.match(err!.message, /removed you/)
  }
  assert.equal((await host.api('GET', '/api/users', { token: carol.token })).status, 401)
  assert.equal((await host.api('GET', '/api/messages', { token: carol.token })).status, 401)
  await assert.rejects(host.connect(carol.token), /401/)
  // the others stay; Carol is no longer in the room's list
  assert.equal(d.closeCode, null)
  const users = await host.api('GET', '/api/users', { token: other.token })
  assert.deepEqual(users.body.users.map((u: any) => u.username), ['Dan'])
  assert.equal((await api('GET', '/api/admin/status')).body.online_count, 1)
  // a kick is not a ban: she may join again, as a new participant, and keep her name
  const again = await host.join('Carol')
  assert.notEqual(again.user_id, carol.user_id)
  assert.equal(again.username, 'Carol')
  assert.equal((await api('POST', '/api/admin/participants/12345/kick')).status, 404)
})

test('ban: as kick, joins from the same address are refused 403 ERR_BANNED until unban (by user or by address)', async (t) => {
  const host = await startHost(t)
  const api = admin(host)
  const joinFrom = async (address: string, username: string) => await host.api('POST', '/api/users/join', { body: { username }, localAddress: address })
  const eve = (await joinFrom('127.0.0.21', 'Eve')).body
  const e = await host.connect(eve.token, undefined, { localAddress: '127.0.0.21' })
  const banned = await api('POST', `/api/admin/participants/${eve.user_id}/ban`)
  assert.equal(banned.status, 200)
  assert.equal(banned.body.participant.banned, true)
  assert.equal(await e.waitClose(), 4001)
  assert.equal(e.ofType('error').at(-1)?.code, 'ERR_REMOVED')
  const refused = await joinFrom('127.0.0.21', 'Eve again')
  assert.equal(refused.status, 403)
  assert.equal(refused.body.error.code, 'ERR_BANNED')
  assert.equal((await joinFrom('127.0.0.22', 'Frank')).status, 200, 'other devices still join')
  const bans = await api('GET', '/api/admin/bans')
  assert.deepEqual(bans.body.bans.map((b: any) => [b.address, b.user_id, b.username]), [['127.0.0.21', eve.user_id, 'Eve']])
  const unban = await api('POST', `/api/admin/participants/${eve.user_id}/unban`)
  assert.equal(unban.body.participant.banned, false)
  assert.equal((await joinFrom('127.0.0.21', 'Eve')).status, 200)
  // ban again, lift it by address this time
  const mallory = (await joinFrom('127.0.0.23', 'Mallory')).body
  await api('POST', `/api/admin/participants/${mallory.user_id}/ban`)
  assert.equal((await joinFrom('127.0.0.23', 'M2')).status, 403)
  assert.equal((await api('DELETE', '/api/admin/bans/127.0.0.23')).status, 200)
  assert.equal((await api('DELETE', '/api/admin/bans/127.0.0.23')).status, 404)
  assert.equal((await joinFrom('127.0.0.23', 'M2')).status, 200)
  assert.equal((await api('POST', '/api/admin/participants/4242/ban')).status, 404)
  const actions = (await api('GET', '/api/admin/audit')).body.entries.map((x: any) => x.action)
  assert.deepEqual(actions, ['ban.remove', 'participant.ban', 'participant.unban', 'participant.ban'])
})

test('ban: every other identity on the address is removed with it, tokens refused at once, sockets closed 4001', async (t) => {
  const host = await startHost(t)
  const api = admin(host)
  const joinFrom = async (address: string, username: string) => (await host.api('POST', '/api/users/join', { body: { username }, localAddress: address })).body
  // one device, three names: a tab, a private window, and one that only joined; one more came over on a socket
  const eve = await joinFrom('127.0.0.31', 'Eve')
  const second = await joinFrom('127.0.0.31', 'Not Eve')
  const third = await joinFrom('127.0.0.31', 'Quiet')
  const roaming = await joinFrom('127.0.0.33', 'Roamer')
  const bystander = await joinFrom('127.0.0.32', 'Bystander')
  const e = await host.connect(eve.token, undefined, { localAddress: '127.0.0.31' })
  const s = await host.connect(second.token, undefined, { localAddress: '127.0.0.31' })
  const r = await host.connect(roaming.token, undefined, { localAddress: '127.0.0.31' })
  const b = await host.connect(bystander.token, undefined, { localAddress: '127.0.0.32' })
  // both tokens are cached by now
  assert.equal((await host.api('GET', '/api/users', { token: second.token, localAddress: '127.0.0.31' })).status, 200)

  const banned = await api('POST', `/api/admin/participants/${eve.user_id}/ban`)
  assert.equal(banned.status, 200)
  assert.equal(banned.body.participant.banned, true)
  assert.equal(banned.body.removed_count, 4)
  for (const tab of [e, s, r]) {
    assert.equal(await tab.waitClose(), 4001)
    assert.equal(tab.ofType('error').at(-1)?.code, 'ERR_REMOVED')
  }
  for (const who of [second, third, roaming]) {
    assert.equal((await host.api('GET', '/api/users', { token: who.token, localAddress: '127.0.0.31' })).status, 401)
    const post = await host.api('POST', '/api/chat/stream', { token: who.token, body: { message: 'still here?' }, localAddress: '127.0.0.31' })
    assert.equal(post.status, 401)
    await assert.rejects(host.connect(who.token, undefined, { localAddress: '127.0.0.31' }), /401/)
  }
  // another device is untouched
  assert.equal(b.closeCode, null)
  assert.equal((await host.api('GET', '/api/users', { token: bystander.token, localAddress: '127.0.0.32' })).status, 200)
  const rows = (await api('GET', '/api/admin/participants?scope=all')).body.participants
  const state = Object.fromEntries(rows.map((p: any) => [p.username, [p.removed, p.banned]]))
  assert.deepEqual(state, { Eve: [true, true], 'Not Eve': [true, false], Quiet: [true, false], Roamer: [true, false], Bystander: [false, false] })
  const entry = (await api('GET', '/api/admin/audit')).body.entries[0]
  assert.equal(entry.action, 'participant.ban')
  assert.equal(entry.detail.removed_count, 4)
  assert.deepEqual(entry.detail.also_removed.map((x: any) => x.username), ['Not Eve', 'Quiet', 'Roamer'])
  // a ban of someone alone on the address removes one
  const solo = await joinFrom('127.0.0.34', 'Solo')
  const one = await api('POST', `/api/admin/participants/${solo.user_id}/ban`)
  assert.equal(one.body.removed_count, 1)
  assert.equal((await api('GET', '/api/admin/audit')).body.entries[0].detail.also_removed, undefined)
})
