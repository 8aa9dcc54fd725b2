import { after, test } from 'node:test'
import assert from 'node:assert/strict'
import { startHost } from '../helpers/host.js'
import { admin, adminSocket } from '../helpers/admin.js'
import { closeAgents } from '../helpers/net.js'
import { instantAi } from '../helpers/instant-ai.js'
import { startFakeDify } from '../helpers/fake-dify.js'

after(closeAgents)

test('the host posts as "Host" (id 0, is_host) and asks the AI by the room\'s rules', async (t) => {
  const ai = instantAi()
  const host = await startHost(t, { ai: () => ai })
  const api = admin(host)
  const alice = await host.join('Alice')
  const a = await host.connect(alice.token)
  const plain = await api('POST', '/api/admin/messages', { content: 'Welcome, everyone' })
  assert.equal(plain.status, 200)
  assert.equal(plain.body.reply_id, null)
  const [m] = await a.waitType('user_message')
  assert.deepEqual([m!.from_user, m!.from_user_id, m!.is_host, m!.content], ['Host', 0, true, 'Welcome, everyone'])
  const asked = await api('POST', '/api/admin/messages', { content: '@ai what is photosynthesis?' })
  assert.ok(asked.body.reply_id > 0)
  const [end] = await a.waitType('ai_message_end')
  assert.equal(end!.reply_to, asked.body.id)
  assert.equal(ai.asked, 1)
  for (const body of [{}, { content: '' }, { content: 42 }, { content: 'x'.repeat(4001) }]) {
    const res = await api('POST', '/api/admin/messages', body)
    assert.equal(res.status, 400, JSON.stringify(body).slice(0, 40))
  }
  const history = await host.api('GET', '/api/messages', { token: alice.token })
  assert.equal(history.body.messages[0].from_user, 'Host')
})

test('hide and unhide: a persisted tombstone for participants, the text for the host, undo, and replays that agree', async (t) => {
  const host = await startHost(t)
  const api = admin(host)
  const bob = await host.join('Bob')
  const b = await host.connect(bob.token)
  const console = await adminSocket(t, host)
  b.chat('something rude', 'r1')
  const [posted] = await b.waitType('user_message')
  const hidden = await api('POST', `/api/admin/messages/${posted!.id}/hide`)
  assert.equal(hidden.status, 200)
  const [tomb] = await b.waitType('message_hidden')
  assert.deepEqual(tomb, { type: 'message_hidden', id: posted!.id, seq: hidden.body.seq })
  assert.ok(!b.frames.some(f => (f as any).type === 'message_hidden_admin'), 'participants never get the hidden text')
  const [adminText] = await console.waitFor(f => (f as any).type === 'message_hidden_admin')
  assert.deepEqual(adminText, { type: 'message_hidden_admin', id: posted!.id, content: 'something rude' })
  // history: a tombstone for participants, the text (marked) for the host
  const mine = (await host.api('GET', '/api/messages', { token: bob.token })).body.messages[0]
  assert.deepEqual([mine.status, mine.content], ['hidden', ''])
  const theirs = (await api('GET', '/api/admin/messages')).body.messages[0]
  assert.deepEqual([theirs.status, theirs.content, theirs.hidden], ['complete', 'something rude', true])
  // a replay from 0: participants get the message without its text, then the tombstone; the host keeps the text
  const late = await host.connect(bob.token, 0)
  await late.waitType('message_hidden')
  assert.equal(late.ofType('user_message')[0]!.content, '')
  const lateConsole = await adminSocket(t, host, 0)
  await lateConsole.waitType('message_hidden')
  const replayed = lateConsole.ofType('user_message')[0]!
  assert.deepEqual([replayed.content, replayed.hidden], ['something rude', true])
  // hiding twice changes nothing; undo brings it back for everyone
  const twice = await api('POST', `/api/admin/messages/${posted!.id}/hide`)
  assert.deepEqual([twice.status, twice.body.hidden], [200, true])
  const shown = await api('POST', `/api/admin/messages/${posted!.id}/unhide`)
  assert.equal(shown.body.hidden, false)
  const [back] = await b.waitType('message_unhidden')
  assert.equal(b.ofType('message_hidden').length, 1, 'hiding twice sent nothing new')
  assert.equal(back!.message.content, 'something rude')
  assert.equal((await host.api('GET', '/api/messages', { token: bob.token })).body.messages[0].content, 'something rude')
  assert.equal((await api('POST', '/api/admin/messages/9999/hide')).status, 404)
  assert.equal((await api('POST', '/api/admin/messages/9999/hide')).body.error.code, 'ERR_MESSAGE_NOT_FOUND')
  assert.equal((await api('POST', '/api/admin/messages/0/hide')).status, 400)
})

test('lock, slow mode and the announcement: room_update, hello, and the rules on joins and posts', async (t) => {
  const host = await startHost(t)
  const api = admin(host)
  const cat = await host.join('Cat')
  const c = await host.connect(cat.token)
  const locked = await api('PUT', '/api/admin/room', { locked: true, slow_mode_s: 30, announcement: '  Page 42, please  ' })
  assert.deepEqual(locked.body, { locked: true, slow_mode_s: 30, announcement: 'Page 42, please', anonymous: false, photos: 'check' })
  const [update] = await c.waitType('room_update')
  assert.equal(update!.locked, true)
  assert.equal(update!.slow_mode_s, 30)
  assert.equal(update!.announcement, 'Page 42, please')
  const refused = await host.api('POST', '/api/users/join', { body: { username: 'Late' } })
  assert.equal(refused.status, 403)
  assert.equal(refused.body.error.code, 'ERR_ROOM_LOCKED')
  // participants already in reconnect as before, and their hello carries the room's state
  const again = await host.connect(cat.token)
  const hello = again.ofType('hello')[0]!
  assert.deepEqual([hello.locked, hello.slow_mode_s, hello.announcement], [true, 30, 'Page 42, please'])
  c.chat('first', 's1')
  await c.waitType('user_message')
  c.chat('second', 's2')
  const [slow] = await c.waitType('error')
  assert.equal(slow!.code, 'ERR_SLOW_MODE')
  assert.ok(slow!.retry_after_ms! > 25_000 && slow!.retry_after_ms! <= 30_000)
  const http = await host.api('POST', '/api/chat/stream', { token: cat.token, body: { message: 'third' } })
  assert.equal(http.status, 429)
  assert.equal(http.body.error.code, 'ERR_SLOW_MODE')
  // only what changed is announced; "" clears the announcement
  await api('PUT', '/api/admin/room', { locked: false, announcement: '' })
  const updates = await c.waitType('room_update', 2)
  assert.deepEqual([updates[1]!.locked, updates[1]!.announcement, updates[1]!.slow_mode_s], [false, '', undefined])
  assert.equal((await host.api('POST', '/api/users/join', { body: { username: 'Late' } })).status, 200)
  for (const body of [{}, { slow_mode_s: 3601 }, { slow_mode_s: -1 }, { locked: 'yes' }, { announcement: 'x'.repeat(1001) }, { colour: 'red' }]) {
    const res = await api('PUT', '/api/admin/room', body)
    assert.equal(res.status, 400, JSON.stringify(body).slice(0, 40))
  }
  assert.match((await api('PUT', '/api/admin/room', { slow_mode_s: 3601 })).body.error.message, /3600/)
  // the state survives a restart
  await api('PUT', '/api/admin/room', { announcement: 'kept' })
  await host.restart()
  assert.equal((await api('GET', '/api/admin/status')).body.announcement, 'kept')
})

test('an unknown AI mode is refused naming the four valid ones', async (t) => {
  const host = await startHost(t)
  const api = admin(host)
  const res = await api('PUT', '/api/admin/ai-mode', { ai_mode: 'sometimes' })
  assert.equal(res.status, 400)
  assert.match(res.body.error.message, /mention, all, approve, off/)
  assert.equal((await api('PUT', '/api/admin/ai-mode', { ai_mode: 'off' })).body.ai_mode, 'off')
  assert.equal((await api('PUT', '/api/admin/ai-mode', {})).status, 400)
})

test('a new session clears the room for everyone; history starts clean; since= replays across it; people online stay in', async (t) => {
  const host = await startHost(t)
  const api = admin(host)
  const dora = await host.join('Dora')
  const d = await host.connect(dora.token)
  d.chat('lesson one', 'l1')
  await d.waitType('user_message')
  const res = await api('POST', '/api/admin/sessions')
  assert.equal(res.status, 200)
  assert.equal(res.body.session_id, 2)
  const [cleared] = await d.waitType('room_cleared')
  assert.deepEqual(cleared, { type: 'room_cleared', seq: res.body.seq, session_id: 2 })
  d.chat('lesson two', 'l2')
  await d.waitType('user_message', 2)
  const history = await host.api('GET', '/api/messages', { token: dora.token })
  assert.deepEqual(history.body.messages.map((m: any) => m.content), ['lesson two'])
  const all = await host.api('GET', '/api/messages?since=0', { token: dora.token })
  assert.deepEqual(all.body.messages.map((m: any) => m.content), ['lesson one', 'lesson two'])
  const replay = await host.connect(dora.token, 0)
  await replay.waitType('user_message', 2)
  assert.deepEqual(replay.frames.filter(f => 'seq' in f).map(f => f.type), ['user_message', 'room_cleared', 'user_message'])
  // Dora was online: she is in the new session's People list; her message count restarts
  const people = (await api('GET', '/api/admin/participants')).body.participants
  assert.deepEqual(people.map((p: any) => [p.username, p.message_count]), [['Dora', 1]])
  const status = (await api('GET', '/api/admin/status')).body
  assert.equal(status.session_id, 2)
  assert.equal(status.stats.messages, 1)
})

test('status, live stats on the admin socket, and the audit trail', async (t) => {
  const ai = instantAi()
  const host = await startHost(t, { ai: () => ai })
  const api = admin(host)
  const console = await adminSocket(t, host)
  const ed = await host.join('Ed')
  const e = await host.connect(ed.token)
  e.chat('@ai hi', 'q1')
  await e.waitType('ai_message_end')
  const stats = await console.waitFor(f => (f as any).type === 'admin_stats' && (f as any).stats.ai_answered === 1, 1, 6000)
  const frame = stats[0] as any
  assert.equal(frame.stats.messages, 1)
  assert.equal(frame.online_count, 1)
  assert.equal(frame.peak_online, 1)
  assert.equal(typeof frame.stats.ttft_median_ms, 'number')
  const status = (await api('GET', '/api/admin/status')).body
  assert.deepEqual(Object.keys(status.stats).sort(), ['ai_answered', 'ai_failed', 'ai_waiting', 'messages', 'tokens_used', 'ttft_median_ms'])
  assert.equal(status.peak_online, 1)
  assert.equal(status.pin_required, false)
  await api('PUT', '/api/admin/room', { locked: true })
  const [entry] = await console.waitFor(f => (f as any).type === 'admin_audit')
  assert.equal((entry as any).entry.action, 'room.update')
  const audit = await api('GET', '/api/admin/audit?limit=1')
  assert.equal(audit.body.entries.length, 1)
  assert.deepEqual(audit.body.entries[0].detail, { locked: true })
  assert.equal((await api('GET', '/api/admin/audit?limit=0')).status, 400)
})

test('hiding an answer while it streams stops it; participants never get its text', async (t) => {
  const dify = await startFakeDify({ apiKey: 'app-hide-key-0000', tokenDelayMs: 60, pingIntervalMs: 200 })
  t.after(() => dify.close())
  const host = await startHost(t, { config: { difyApiUrl: dify.url, difyApiKey: 'app-hide-key-0000' } })
  const api = admin(host)
  const una = await host.join('Una')
  const u = await host.connect(una.token)
  u.chat('@ai tell me a long story', 'q1')
  const [start] = await u.waitType('ai_message_start')
  await u.waitType('ai_message_chunk')
  const res = await api('POST', `/api/admin/messages/${start!.id}/hide`)
  assert.equal(res.status, 200)
  const [end] = await u.waitFor(f => (f.type === 'ai_message_end' || f.type === 'ai_message_error') && f.id === start!.id, 1, 10_000)
  assert.equal(end!.type === 'ai_message_end' && end!.status, 'stopped')
  assert.equal((end as { content: string }).content, '')
  const history = (await host.api('GET', '/api/messages', { token: una.token })).body.messages.find((m: any) => m.id === start!.id)
  assert.deepEqual([history.status, history.content], ['hidden', ''])
  const kept = (await api('GET', '/api/admin/messages')).body.messages.find((m: any) => m.id === start!.id)
  assert.equal(kept.status, 'stopped')
  assert.ok(kept.content.length > 0, 'the host keeps what was written')
})
