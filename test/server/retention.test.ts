import { test } from 'node:test'
import assert from 'node:assert/strict'
import { startHost } from '../helpers/host.js'
import { startFakeDify } from '../helpers/fake-dify.js'
import { createDifyGateway } from '../../server/adapters/dify-gateway.js'
import type { ExportDocument } from '../../server/protocol/index.js'

const auth = { authorization: 'Bearer admin-token-for-tests-0123456789' }
const DAY = 86_400_000

test('erase a participant: their text leaves storage and exports, the room sees it removed, their name is gone', async (t) => {
  const dify = await startFakeDify({ tokenDelayMs: 1, pingIntervalMs: 200 })
  t.after(() => dify.close())
  const host = await startHost(t, {
    config: { difyApiUrl: dify.url, difyApiKey: dify.apiKey, aiMode: 'approve' },
    ai: () => createDifyGateway({ baseUrl: dify.url, apiKey: dify.apiKey, idleTimeoutMs: 3000, deadlineMs: 30_000, retries: 0, retryBaseMs: 20 })
  })
  const [kim, lee] = await Promise.all([host.join('Kim Secret'), host.join('Lee')])
  const a = await host.connect(kim.token)
  const b = await host.connect(lee.token)
  a.chat('my phone number is 555-0199', 'm1')
  a.chat('@ai is 555-0199 a real number?', 'm2')
  b.chat('hello', 'm3')
  await b.waitFor(f => f.type === 'question_update')
  const [q] = b.ofType('question_update')
  await host.api('POST', `/api/admin/questions/${q!.message_id}/approve`, { headers: auth, body: { content: 'Is 555-0199 a real number?' } })
  await b.waitType('ai_message_end', 1, 10_000)

  const res = await host.api('POST', `/api/admin/participants/${kim.user_id}/erase`, { headers: auth })
  assert.equal(res.status, 200, JSON.stringify(res.body))
  assert.deepEqual(res.body, { user_id: kim.user_id, messages_erased: 3 }, 'two messages and the answer to the question')
  // the room sees both messages removed; Kim's page is closed as removed
  await b.waitType('message_hidden', 3)
  assert.equal(await a.waitClose(), 4001)

  const dump = ['messages', 'participants', 'questions', 'events', 'settings', 'audit'].map(table => JSON.stringify(host.db.prepare(`SELECT * FROM ${table}`).all())).join('')
  assert.ok(!dump.includes('555-0199 a real') && !dump.includes('my phone number'), 'the text is gone from storage')
  assert.ok(!dump.includes('Kim Secret'), 'the name is gone from storage')
  const doc = (await host.api('GET', '/api/admin/export?format=json', { headers: auth })).body as ExportDocument
  const erased = doc.messages.filter(m => m.erased === true)
  assert.equal(erased.length, 3)
  assert.ok(erased.every(m => m.content === '' && (m.role === 'assistant' || m.from_user === 'Removed participant')))
  assert.equal(doc.messages.find(m => m.from_user === 'Lee')?.content, 'hello', 'others keep their messages')
  const md = (await host.api('GET', '/api/admin/export?format=md', { headers: auth })).body as string
  assert.ok(!md.includes('my phone number') && !md.includes('Kim Secret'))
  assert.match(md, /_\[removed\]_/)
  assert.equal((await host.api('POST', '/api/admin/participants/9999/erase', { headers: auth })).status, 404)
})

test('retention: lessons older than N days are deleted (never the current one); default keeps everything', async (t) => {
  const host = await startHost(t)
  assert.deepEqual((await host.api('GET', '/api/admin/retention', { headers: auth })).body, { days: null, deleted_sessions: 0 })
  const kim = await host.join('Kim')
  const a = await host.connect(kim.token)
  a.chat('lesson one', 'l1')
  await a.waitType('user_message')
  // lesson one started 40 days ago; lesson two 10 days ago; lesson three is now
  const now = Date.now()
  host.db.prepare('UPDATE sessions SET started_at = ? WHERE id = 1').run(now - 40 * DAY)
  assert.equal((await host.api('POST', '/api/admin/sessions', { headers: auth, body: {} })).status, 200)
  host.db.prepare('UPDATE sessions SET started_at = ? WHERE id = 2').run(now - 10 * DAY)
  const lee = await host.join('Lee')
  const b = await host.connect(lee.token)
  b.chat('lesson two', 'l2')
  await b.waitFor(f => f.type === 'user_message' && f.content === 'lesson two')
  assert.equal((await host.api('POST', '/api/admin/sessions', { headers: auth, body: {} })).status, 200)
  host.db.prepare('UPDATE sessions SET started_at = ? WHERE id = 3').run(now - 100 * DAY)

  const bad = await host.api('PUT', '/api/admin/retention', { headers: auth, body: { days: 0 } })
  assert.equal(bad.status, 400)
  host.db.prepare("INSERT INTO audit (at, action, target, detail) VALUES (?, 'participant.kick', '9', '{\"username\":\"Old Name\"}')").run(now - 40 * DAY)
  const res = await host.api('PUT', '/api/admin/retention', { headers: auth, body: { days: 30 } })
  assert.deepEqual(res.body, { days: 30, deleted_sessions: 1 })
  const audit = await host.api('GET', '/api/admin/audit?limit=100', { headers: auth })
  assert.ok(!JSON.stringify(audit.body).includes('Old Name'), 'the old activity log entry is gone')
  assert.ok(audit.body.entries.some((e: { action: string }) => e.action === 'retention.update'))
  const doc = (await host.api('GET', '/api/admin/export?format=json&session=all', { headers: auth })).body as ExportDocument
  assert.deepEqual(doc.sessions.map(s => s.id), [2, 3], 'the current lesson stays even though it looks old')
  assert.deepEqual(doc.messages.map(m => m.content), ['lesson two'])
  // a replay from the start no longer holds the deleted lesson
  const replay = await host.connect(lee.token, 0)
  await replay.waitFor(f => f.type === 'user_message' && f.content === 'lesson two')
  assert.equal(replay.ofType('user_message').some(f => f.content === 'lesson one'), false)
  // kept across a restart, and null keeps everything again
  await host.restart()
  assert.equal((await host.api('GET', '/api/admin/retention', { headers: auth })).body.days, 30)
  assert.deepEqual((await host.api('PUT', '/api/admin/retention', { headers: auth, body: { days: null } })).body, { days: null, deleted_sessions: 0 })
})
