import { after, test, type TestContext } from 'node:test'
import assert from 'node:assert/strict'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import BetterSqlite3 from 'better-sqlite3'
import { startHost } from '../helpers/host.js'
import { admin } from '../helpers/admin.js'
import { closeAgents, freePort } from '../helpers/net.js'
import { CLASS_INPUT_FORM, startFakeDify, type FakeDify, type FakeDifyOptions } from '../helpers/fake-dify.js'
import { loadConfig } from '../../server/config.js'
import type { SecretBox } from '../../server/ports.js'
import { migrations } from '../../server/adapters/sqlite-migrations.js'

after(closeAgents)

async function fakeDify (t: TestContext, options: FakeDifyOptions = {}): Promise<FakeDify> {
  const dify = await startFakeDify({ tokenDelayMs: 2, pingIntervalMs: 200, ...options })
  t.after(() => dify.close())
  return dify
}

/** A box that really transforms the key (as the desktop's OS key store does), so tests can tell sealed from plain. */
const reversingBox: SecretBox = {
  isEncryptionAvailable: true,
  seal: async (plain) => `sealed:${Buffer.from([...plain].reverse().join('')).toString('base64')}`,
  open: async (sealed) => [...Buffer.from(sealed.slice(7), 'base64').toString()].reverse().join('')
}

test('the settings answer: current values, launch locks, and the default limits for a class of 30-40', async (t) => {
  const host = await startHost(t)
  const res = await admin(host)('GET', '/api/admin/settings')
  assert.equal(res.status, 200)
  const s = res.body.settings
  assert.equal(s.room_name, 'Test Room')
  assert.equal(s.ai_mode, 'mention')
  assert.deepEqual(s.dify_api_key, { is_set: false, last4: null, is_encrypted: false })
  assert.deepEqual(s.dify_inputs, {})
  assert.equal(s.review_answers, false)
  assert.deepEqual(res.body.locked, {})
  assert.deepEqual(res.body.defaults, {
    chat_rate: { count: 10, per_s: 60 },
    ai_rate: { count: 5, per_s: 600 },
    room_ai_rate: { count: 120, per_s: 600 },
    join_rate: { count: 20, per_s: 600 }
  })
})

test('launch flags and environment variables lock their settings: 409 ERR_SETTING_LOCKED naming the flag', async (t) => {
  const c = loadConfig({ argv: ['--room-name', 'Lab', '--chat-rate', '5/60'], env: { DIFY_API_KEY: 'app-from-env-1234', DIFY_API_URL: 'http://127.0.0.1:1/v1' }, randomToken: () => 'x'.repeat(32) })
  assert.deepEqual(c.lockedSettings, { room_name: '--room-name', dify_api_url: 'DIFY_API_URL', dify_api_key: 'DIFY_API_KEY', 'limits.chat_rate': '--chat-rate' })
  assert.equal(loadConfig({ argv: ['--limits', 'off'], env: {}, randomToken: () => 'x'.repeat(32) }).lockedSettings?.['limits.ai_rate'], '--limits off')
  const host = await startHost(t, { config: { lockedSettings: { room_name: '--room-name', dify_api_key: 'DIFY_API_KEY', 'limits.chat_rate': '--chat-rate' } } })
  const api = admin(host)
  const name = await api('PUT', '/api/admin/settings', { room_name: 'Other' })
  assert.equal(name.status, 409)
  assert.equal(name.body.error.code, 'ERR_SETTING_LOCKED')
  assert.match(name.body.error.message, /--room-name/)
  const key = await api('PUT', '/api/admin/settings', { dify_api_key: 'app-something-new' })
  assert.match(key.body.error.message, /DIFY_API_KEY/)
  const limit = await api('PUT', '/api/admin/settings', { limits: { chat_rate: { count: 3, per_s: 60 } } })
  assert.equal(limit.status, 409)
  // a refused change changes nothing, also not the unlocked parts of the same request
  const mixed = await api('PUT', '/api/admin/settings', { ai_concurrency: 3, room_name: 'Other' })
  assert.equal(mixed.status, 409)
  const now = await api('GET', '/api/admin/settings')
  assert.equal(now.body.settings.room_name, 'Test Room')
  assert.notEqual(now.body.settings.ai_concurrency, 3)
  assert.equal(now.body.locked.room_name, '--room-name')
})

test('a mode given at launch is where the room starts, whatever was stored; the console may still change it', async (t) => {
  assert.equal(loadConfig({ argv: ['--ai-mode', 'approve'], env: {}, randomToken: () => 'x'.repeat(32) }).aiModeAtLaunch, true)
  assert.equal(loadConfig({ argv: [], env: {}, randomToken: () => 'x'.repeat(32) }).aiModeAtLaunch, false)
  const host = await startHost(t)
  await admin(host)('PUT', '/api/admin/ai-mode', { ai_mode: 'off' })
  await host.close()
  const again = await startHost(t, { dataDir: host.dataDir, config: { aiMode: 'all', aiModeAtLaunch: true } })
  assert.equal((await again.api('GET', '/api/room')).body.ai_mode, 'all')
  const changed = await admin(again)('PUT', '/api/admin/settings', { ai_mode: 'mention' })
  assert.equal(changed.body.settings.ai_mode, 'mention')
  assert.equal(changed.body.locked.ai_mode, undefined)
})

test('changes apply at once and survive a restart: room name, concurrency, limits, allowed hosts; bad values name what is allowed', async (t) => {
  const host = await startHost(t, { config: { chatRate: { limit: 100, windowMs: 60_000 } } })
  const api = admin(host)
  const ann = await host.join('Ann')
  const a = await host.connect(ann.token)
  const res = await api('PUT', '/api/admin/settings', { room_name: 'Biology 7B', ai_concurrency: 4, limits: { chat_rate: { count: 2, per_s: 60 } }, allowed_hosts: ['Classroom.example.org'] })
  assert.equal(res.status, 200)
  assert.equal(res.body.settings.room_name, 'Biology 7B')
  assert.equal(res.body.settings.ai_concurrency, 4)
  assert.deepEqual(res.body.settings.limits.chat_rate, { count: 2, per_s: 60 })
  assert.deepEqual(res.body.settings.allowed_hosts, ['classroom.example.org'])
  const [update] = await a.waitType('room_update')
  assert.equal(update!.room?.name, 'Biology 7B')
  // the new chat limit holds from the next message on
  a.chat('one', 'c1')
  a.chat('two', 'c2')
  a.chat('three', 'c3')
  const [limited] = await a.waitType('error')
  assert.equal(limited!.code, 'ERR_RATE_LIMITED')
  assert.equal(limited!.client_msg_id, 'c3')
  // and so does the join rate, per device
  await api('PUT', '/api/admin/settings', { limits: { join_rate: { count: 2, per_s: 600 } } })
  const joins = []
  for (const name of ['J1', 'J2', 'J3']) joins.push((await host.api('POST', '/api/users/join', { body: { username: name }, localAddress: '127.0.0.31' })).status)
  assert.deepEqual(joins, [200, 200, 429])
  assert.equal((await host.api('POST', '/api/users/join', { body: { username: 'J4' }, localAddress: '127.0.0.32' })).status, 200)
  for (const [body, pattern] of [
    [{ ai_mode: 'loud' }, /mention, all, approve, off/],
    [{ ai_concurrency: 0 }, /between 1 and 200/],
    [{ ai_concurrency: 201 }, /between 1 and 200/],
    [{ room_name: '   ' }, /1 to 64/],
    [{ limits: { ai_rate: { count: 0, per_s: 60 } } }, /count/],
    [{ limits: { ai_rate: { count: 5, per_s: 0 } } }, /per_s/],
    [{ allowed_hosts: ['http://evil.example/'] }, /host name/],
    [{ dify_api_url: 'ftp://files.example' }, /http/],
    [{ dify_api_key: 'short' }, /app-/],
    [{ volume: 11 }, /volume|additional/i]
  ] as const) {
    const r = await api('PUT', '/api/admin/settings', body)
    assert.equal(r.status, 400, JSON.stringify(body))
    assert.match(r.body.error.message, pattern, JSON.stringify(body))
  }
  await host.restart()
  const after = (await api('GET', '/api/admin/settings')).body.settings
  assert.equal(after.room_name, 'Biology 7B')
  assert.equal(after.ai_concurrency, 4)
  assert.deepEqual(after.limits.chat_rate, { count: 2, per_s: 60 })
  assert.equal((await host.api('GET', '/api/room')).body.room.name, 'Biology 7B')
  const audit = (await api('GET', '/api/admin/audit')).body.entries.filter((e: any) => e.action === 'settings.update').map((e: any) => e.detail.changed)
  assert.deepEqual(audit, [['limits.join_rate'], ['room_name', 'ai_concurrency', 'allowed_hosts', 'limits.chat_rate']])
})

test('a Dify address and key set live rebuild the AI at once; the key is shown by its last 4, sealed at rest, and opened after a restart', async (t) => {
  const dify = await fakeDify(t, { apiKey: 'app-live-key-9f3c' })
  const host = await startHost(t, { secrets: reversingBox })
  const api = admin(host)
  const gil = await host.join('Gil')
  const g = await host.connect(gil.token)
  assert.equal(g.ofType('hello')[0]!.ai_available, false)
  const res = await api('PUT', '/api/admin/settings', { dify_api_url: `${dify.url}/`, dify_api_key: ' app-live-key-9f3c ' })
  assert.equal(res.status, 200)
  assert.equal(res.body.settings.dify_api_url, dify.url)
  assert.deepEqual(res.body.settings.dify_api_key, { is_set: true, last4: '9f3c', is_encrypted: true })
  assert.ok(!JSON.stringify(res.body).includes('app-live-key'))
  const [update] = await g.waitType('room_update')
  assert.equal(update!.ai_available, true)
  g.chat('@ai hello there', 'q1')
  const [end] = await g.waitType('ai_message_end', 1, 10_000)
  assert.ok(end!.content.length > 0)
  const stored = JSON.parse(host.db.prepare("SELECT value FROM settings WHERE key = 'settings_live'").pluck().get() as string).dify_api_key as string
  assert.match(stored, /^sealed:/)
  assert.ok(!stored.includes('app-live-key'))
  await host.restart()
  assert.equal((await api('GET', '/api/admin/settings')).body.settings.dify_api_key.last4, '9f3c')
  const again = await host.connect(gil.token)
  assert.equal(again.ofType('hello')[0]!.ai_available, true)
  again.chat('@ai and after a restart?', 'q2')
  await again.waitType('ai_message_end', 1, 10_000)
  // "" clears the key: the AI is off again, clearly
  const cleared = await api('PUT', '/api/admin/settings', { dify_api_key: '' })
  assert.deepEqual(cleared.body.settings.dify_api_key, { is_set: false, last4: null, is_encrypted: false })
  const refused = await host.api('POST', '/api/chat/stream', { token: gil.token, body: { message: 'anyone?' } })
  assert.equal(refused.status, 503)
  assert.equal(refused.body.error.code, 'ERR_AI_NOT_CONFIGURED')
})

test('headless stores the key in plain text and says so (is_encrypted: false)', async (t) => {
  const dify = await fakeDify(t, { apiKey: 'app-plain-key-0001' })
  const host = await startHost(t)
  const res = await admin(host)('PUT', '/api/admin/settings', { dify_api_url: dify.url, dify_api_key: 'app-plain-key-0001' })
  assert.deepEqual(res.body.settings.dify_api_key, { is_set: true, last4: '0001', is_encrypted: false })
})

test('Test connection: the app, its greeting and input form, the missing required inputs, or the exact reason it failed', async (t) => {
  const dify = await fakeDify(t, { apiKey: 'app-class-key-1234', inputForm: CLASS_INPUT_FORM, app: { name: 'Science helper' } })
  const workflow = await fakeDify(t, { apiKey: 'app-class-key-1234', app: { name: 'Report maker', mode: 'workflow' } })
  const host = await startHost(t)
  const api = admin(host)
  const none = await api('POST', '/api/admin/ai/test', {})
  assert.deepEqual([none.status, none.body.ok, none.body.error.code], [200, false, 'ERR_AI_NOT_CONFIGURED'])
  const good = await api('POST', '/api/admin/ai/test', { dify_api_url: dify.url, dify_api_key: 'app-class-key-1234' })
  assert.equal(good.status, 200)
  assert.equal(good.body.ok, true)
  assert.equal(good.body.app.name, 'Science helper')
  assert.equal(good.body.app.mode, 'chat')
  assert.match(good.body.app.opening_statement, /Hi!/)
  assert.equal(good.body.app.suggested_questions.length, 3)
  assert.deepEqual(good.body.form.map((f: any) => [f.variable, f.type, f.required]), [
    ['subject', 'select', true], ['grade', 'text-input', false], ['notes', 'paragraph', false], ['words', 'number', false], ['simple', 'checkbox', false]
  ])
  assert.deepEqual(good.body.form[0].options, ['Maths', 'History', 'Biology'])
  assert.equal(good.body.form[1].max_length, 20)
  assert.deepEqual(good.body.missing_inputs, ['subject'])
  assert.deepEqual(good.body.app.features, { vision: false, text_to_speech: false, follow_ups: false, annotation_reply: false }, 'the app has none of the switches on')
  const featured = await fakeDify(t, { apiKey: 'app-class-key-1234', vision: true, textToSpeech: true, suggestedAfterAnswer: true, annotationReply: true })
  const withAll = await api('POST', '/api/admin/ai/test', { dify_api_url: featured.url, dify_api_key: 'app-class-key-1234' })
  assert.deepEqual(withAll.body.app.features, { vision: true, text_to_speech: true, follow_ups: true, annotation_reply: true })
  const wrong = await api('POST', '/api/admin/ai/test', { dify_api_url: dify.url, dify_api_key: 'app-wrong-key-0000' })
  assert.deepEqual([wrong.body.ok, wrong.body.error.code], [false, 'ERR_AI_AUTH'])
  assert.match(wrong.body.error.message, /refused the key/)
  const closed = await freePort()
  const unreachable = await api('POST', '/api/admin/ai/test', { dify_api_url: `http://127.0.0.1:${closed}/v1`, dify_api_key: 'app-class-key-1234' })
  assert.deepEqual([unreachable.body.ok, unreachable.body.error.code], [false, 'ERR_AI_UNREACHABLE'])
  assert.match(unreachable.body.error.message, /could not be reached/)
  const notChat = await api('POST', '/api/admin/ai/test', { dify_api_url: workflow.url, dify_api_key: 'app-class-key-1234' })
  assert.deepEqual([notChat.body.ok, notChat.body.error.code], [false, 'ERR_AI_NOT_CHAT_APP'])
  assert.match(notChat.body.error.message, /workflow.*chat app/)
  const badUrl = await api('POST', '/api/admin/ai/test', { dify_api_url: 'not a url', dify_api_key: 'app-class-key-1234' })
  assert.equal(badUrl.body.ok, false)
  assert.match(badUrl.body.error.message, /http/)
  // testing saved nothing
  assert.equal((await api('GET', '/api/admin/settings')).body.settings.dify_api_url, null)
  assert.ok(!JSON.stringify([good.body, wrong.body]).includes('app-class-key'))
})

test('the app\'s input form: the host\'s values go with every question as inputs; wrong values are refused naming what is allowed', async (t) => {
  const dify = await fakeDify(t, { apiKey: 'app-class-key-1234', inputForm: CLASS_INPUT_FORM })
  const host = await startHost(t)
  const api = admin(host)
  await api('PUT', '/api/admin/settings', { dify_api_url: dify.url, dify_api_key: 'app-class-key-1234' })
  const form = await api('GET', '/api/admin/ai/form')
  assert.equal(form.status, 200)
  assert.deepEqual(form.body.form.map((f: any) => f.variable), ['subject', 'grade', 'notes', 'words', 'simple'])
  assert.deepEqual(form.body.values, {})
  const ida = await host.join('Ida')
  const i = await host.connect(ida.token)
  // without the required subject the app refuses the question, and the room is told why
  i.chat('@ai what is a cell?', 'q1')
  const [failed] = await i.waitType('ai_message_error', 1, 10_000)
  assert.match(failed!.error.message, /subject is required/)
  const test1 = await api('POST', '/api/admin/ai/test')
  assert.deepEqual(test1.body.missing_inputs, ['subject'])
  for (const [inputs, pattern] of [
    [{ subject: 'Art' }, /Maths, History, Biology/],
    [{ colour: 'red' }, /no input "colour".*subject, grade/],
    [{ words: 'many' }, /number/],
    [{ simple: 'yes' }, /true or false/],
    [{ grade: 'x'.repeat(21) }, /20 characters/]
  ] as const) {
    const r = await api('PUT', '/api/admin/settings', { dify_inputs: inputs })
    assert.equal(r.status, 400, JSON.stringify(inputs))
    assert.match(r.body.error.message, pattern)
  }
  const set = await api('PUT', '/api/admin/settings', { dify_inputs: { subject: 'Biology', words: 80 } })
  assert.deepEqual(set.body.settings.dify_inputs, { subject: 'Biology', words: 80 })
  assert.deepEqual((await api('POST', '/api/admin/ai/test')).body.missing_inputs, [])
  i.chat('@ai what is a cell?', 'q2')
  await i.waitType('ai_message_end', 1, 10_000)
  const sent = dify.requests.filter(r => r.path === '/v1/chat-messages').at(-1)!.body as { inputs: Record<string, unknown> }
  assert.deepEqual(sent.inputs, { subject: 'Biology', words: 80, grade: '7', simple: false })
})

test('changing every setting leaves the launch config as it was: live values live in the settings service', async (t) => {
  const dify = await fakeDify(t, { apiKey: 'app-config-key-5678', inputForm: CLASS_INPUT_FORM })
  const host = await startHost(t, { config: { chatRate: { limit: 100, windowMs: 60_000 } } })
  const before = structuredClone(host.config)
  const api = admin(host)
  const res = await api('PUT', '/api/admin/settings', {
    room_name: 'Physics 9',
    ai_mode: 'all',
    dify_api_url: dify.url,
    dify_api_key: 'app-config-key-5678',
    ai_concurrency: 7,
    ai_max_answer_chars: 2000,
    review_answers: true,
    allowed_hosts: ['lab.example.org'],
    limits: { chat_rate: { count: 3, per_s: 60 }, ai_rate: { count: 2, per_s: 60 }, room_ai_rate: { count: 9, per_s: 60 }, join_rate: { count: 4, per_s: 60 } }
  })
  assert.equal(res.status, 200, JSON.stringify(res.body))
  assert.equal((await api('PUT', '/api/admin/settings', { dify_inputs: { subject: 'Maths' } })).status, 200)
  const s = (await api('GET', '/api/admin/settings')).body.settings
  assert.deepEqual([s.ai_concurrency, s.ai_max_answer_chars, s.limits.chat_rate], [7, 2000, { count: 3, per_s: 60 }])
  assert.deepEqual(host.config, before)
  // the live rates are the ones in force (in mode "all" every message asks the AI: 2 per minute)
  const ann = await host.join('Ann')
  const a = await host.connect(ann.token)
  for (const n of [1, 2, 3]) a.chat(`hi ${n}`, `c${n}`)
  const [limited] = await a.waitType('error')
  assert.equal(limited!.client_msg_id, 'c3')
})

test('a room saved before settings became one record keeps its settings: the old rows move into it and are gone', async (t) => {
  // The file as the host before this version left it: a new file with the migrations before the
  // one that makes the record (later ones run after it on start, as they would), and the old rows.
  const before = migrations.findIndex(sql => sql.includes("'settings_live'"))
  assert.ok(before > 0)
  const dataDir = mkdtempSync(join(tmpdir(), 'mindweb-old-settings-'))
  t.after(() => rmSync(dataDir, { recursive: true, force: true }))
  const db = new BetterSqlite3(join(dataDir, 'mindweb.db'))
  for (const sql of migrations.slice(0, before)) db.exec(sql)
  db.pragma(`user_version = ${before}`)
  const old: Record<string, string> = {
    setting_room_name: 'Chemistry 8A',
    setting_dify_api_url: 'http://127.0.0.1:1/v1',
    setting_dify_api_key: await reversingBox.seal('app-old-room-key-4321'),
    setting_dify_api_key_sealed: '1',
    setting_dify_inputs: JSON.stringify({ subject: 'Biology' }),
    setting_ai_concurrency: '6',
    setting_ai_max_answer_chars: '5000',
    setting_review_answers: '1',
    setting_allowed_hosts: JSON.stringify(['lab.example.org']),
    setting_limits: JSON.stringify({ chat_rate: { count: 4, per_s: 60 } }),
    setting_dify_form: JSON.stringify([{ variable: 'subject', label: 'Subject', type: 'text-input', required: false, maxLength: null }])
  }
  const insert = db.prepare('INSERT OR REPLACE INTO settings (key, value) VALUES (?, ?)')
  for (const [key, value] of Object.entries(old)) insert.run(key, value)
  db.close()
  const again = await startHost(t, { dataDir, secrets: reversingBox })
  const s = (await admin(again)('GET', '/api/admin/settings')).body.settings
  assert.equal(s.room_name, 'Chemistry 8A')
  assert.equal(s.dify_api_url, 'http://127.0.0.1:1/v1')
  assert.deepEqual(s.dify_api_key, { is_set: true, last4: '4321', is_encrypted: true })
  assert.deepEqual(s.dify_inputs, { subject: 'Biology' })
  assert.deepEqual([s.ai_concurrency, s.ai_max_answer_chars, s.review_answers], [6, 5000, true])
  assert.deepEqual(s.allowed_hosts, ['lab.example.org'])
  assert.deepEqual(s.limits.chat_rate, { count: 4, per_s: 60 })
  assert.equal((await again.api('GET', '/api/room')).body.room.name, 'Chemistry 8A')
  const keys = again.db.prepare("SELECT key FROM settings WHERE key LIKE 'setting%'").pluck().all()
  assert.deepEqual(keys, ['settings_live'])
})

test('a stored setting that is not valid is logged and ignored; the host starts with the launch value', async (t) => {
  const host = await startHost(t)
  await admin(host)('PUT', '/api/admin/settings', { room_name: 'Kept', ai_concurrency: 5 })
  host.db.prepare("UPDATE settings SET value = json_set(value, '$.ai_concurrency', 'many') WHERE key = 'settings_live'").run()
  await host.restart()
  const s = (await admin(host)('GET', '/api/admin/settings')).body.settings
  assert.equal(s.room_name, 'Kept')
  assert.equal(s.ai_concurrency, host.config.aiConcurrency)
  assert.ok(host.logs.some(line => line.includes('ignored a stored setting') && line.includes('ai_concurrency')))
  host.db.prepare("UPDATE settings SET value = 'not json' WHERE key = 'settings_live'").run()
  await host.restart()
  assert.equal((await admin(host)('GET', '/api/admin/settings')).body.settings.room_name, 'Test Room')
})

test('the join PIN is a live setting: set it and joining needs it, clear it and anyone joins; pages are told', async (t) => {
  const host = await startHost(t)
  const api = admin(host)
  const ann = await host.join('Ann')
  const a = await host.connect(ann.token)
  const set = await api('PUT', '/api/admin/settings', { pin: ' 4821 ' })
  assert.equal(set.status, 200)
  assert.equal(set.body.settings.pin, '4821')
  const [update] = await a.waitType('room_update')
  assert.equal(update!.pin_required, true)
  assert.equal((await host.api('GET', '/api/room')).body.pin_required, true)
  assert.equal((await api('GET', '/api/admin/status')).body.pin_required, true)
  assert.equal((await api('GET', '/api/admin/network')).body.pin, '4821')
  const without = await host.api('POST', '/api/users/join', { body: { username: 'Ben' } })
  assert.deepEqual([without.status, without.body.error.code], [401, 'ERR_PIN_REQUIRED'])
  const wrong = await host.api('POST', '/api/users/join', { body: { username: 'Ben', pin: '0000' } })
  assert.deepEqual([wrong.status, wrong.body.error.code], [403, 'ERR_PIN_WRONG'])
  assert.equal((await host.api('POST', '/api/users/join', { body: { username: 'Ben', pin: '4821' } })).status, 200)
  for (const pin of ['12', '123456789', '12a4']) {
    const r = await api('PUT', '/api/admin/settings', { pin })
    assert.deepEqual([r.status, r.body.error.code], [400, 'ERR_SETTING_INVALID'], pin)
    assert.match(r.body.error.message, /4 to 8 digits/)
  }
  // kept across a restart
  await host.restart()
  assert.equal((await host.api('GET', '/api/room')).body.pin_required, true)
  const cleared = await api('PUT', '/api/admin/settings', { pin: '' })
  assert.equal(cleared.body.settings.pin, null)
  assert.equal((await host.api('GET', '/api/room')).body.pin_required, false)
  assert.equal((await host.api('POST', '/api/users/join', { body: { username: 'Cai' } })).status, 200)
  const audit = (await api('GET', '/api/admin/audit')).body.entries.filter((e: any) => e.action === 'settings.update').map((e: any) => e.detail.changed)
  assert.deepEqual(audit, [['pin'], ['pin']])
  // the PIN itself never goes into the activity log
  assert.ok(!JSON.stringify((await api('GET', '/api/admin/audit')).body).includes('4821'))
})

test('a PIN given at launch is locked: the console cannot change or remove it, and says which flag set it', async (t) => {
  const c = loadConfig({ argv: ['--pin', '2468'], env: {}, randomToken: () => 'x'.repeat(32) })
  assert.equal(c.lockedSettings?.pin, '--pin')
  assert.equal(loadConfig({ argv: [], env: { MINDWEB_PIN: '1357' }, randomToken: () => 'x'.repeat(32) }).lockedSettings?.pin, 'MINDWEB_PIN')
  const host = await startHost(t, { config: { pin: '2468', lockedSettings: { pin: '--pin' } } })
  const api = admin(host)
  const res = await api('PUT', '/api/admin/settings', { pin: '' })
  assert.deepEqual([res.status, res.body.error.code], [409, 'ERR_SETTING_LOCKED'])
  assert.match(res.body.error.message, /--pin/)
  const now = await api('GET', '/api/admin/settings')
  assert.deepEqual([now.body.settings.pin, now.body.locked.pin], ['2468', '--pin'])
  assert.equal((await host.api('POST', '/api/users/join', { body: { username: 'Dee' } })).status, 401)
  assert.equal((await host.api('POST', '/api/users/join', { body: { username: 'Dee', pin: '2468' } })).status, 200)
})
