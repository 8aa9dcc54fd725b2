import { test, type TestContext } from 'node:test'
import assert from 'node:assert/strict'
import { startHost, type TestHost } from '../helpers/host.js'
import { startFakeDify } from '../helpers/fake-dify.js'
import { createDifyGateway } from '../../server/adapters/dify-gateway.js'
import type { ExportDocument, ServerFrame } from '../../server/protocol/index.js'
import type { TestClient } from '../helpers/ws-client.js'
import { CSV_COLUMNS } from '../../server/export/csv.js'

const ADMIN = 'admin-token-for-tests-0123456789'
const admin = (host: TestHost, method: string, path: string, body?: unknown): ReturnType<TestHost['api']> =>
  host.api(method, path, { headers: { authorization: `Bearer ${ADMIN}` }, ...(body !== undefined ? { body } : {}) })

interface Lesson { host: TestHost, ids: { hello: number, cited: number, rejected: number, formula: number, reply: number } }

/** A small approve-mode lesson: chat, an approved question answered with a citation, a rejected one, a hidden message. */
async function lesson (t: TestContext): Promise<Lesson> {
  const dify = await startFakeDify({ tokenDelayMs: 1, pingIntervalMs: 200 })
  t.after(() => dify.close())
  const host = await startHost(t, {
    config: { difyApiUrl: dify.url, difyApiKey: dify.apiKey, aiMode: 'approve', roomName: 'Biology 7B · 生物' },
    ai: () => createDifyGateway({ baseUrl: dify.url, apiKey: dify.apiKey, idleTimeoutMs: 3000, deadlineMs: 30_000, retries: 0, retryBaseMs: 20 })
  })
  const [kim, lee] = await Promise.all([host.join('Kim'), host.join('李雷')])
  const a = await host.connect(kim.token)
  const b = await host.connect(lee.token)
  const post = async (c: TestClient, text: string, id: string): Promise<number> => {
    c.chat(text, id)
    const [f] = await c.waitFor(x => x.type === 'user_message' && x.client_msg_id === id)
    return (f as { id: number }).id
  }
  const hello = await post(a, 'Hello, "class", today: cells', 'm1')
  const cited = await post(b, '@ai please cite the handbook on cells', 'm2')
  const rejected = await post(a, '@ai what is on the test?', 'm3')
  const formula = await post(b, '=HYPERLINK("http://x","click")', 'm4')
  await a.waitFor(f => f.type === 'question_update' && f.message_id === rejected)
  assert.equal((await admin(host, 'POST', `/api/admin/questions/${cited}/approve`, { content: 'Please cite the handbook: what are cells?' })).status, 200)
  assert.equal((await admin(host, 'POST', `/api/admin/questions/${rejected}/reject`, { reason: 'We will revise together' })).status, 200)
  const [end] = await a.waitFor((f: ServerFrame) => f.type === 'ai_message_end', 1, 10_000)
  // The host hides a message.
  assert.equal((await admin(host, 'POST', `/api/admin/messages/${formula}/hide`, {})).status, 200)
  return { host, ids: { hello, cited, rejected, formula, reply: (end as { id: number }).id } }
}

test('JSON export: every message with citations, usage, hidden and rejected marked', async (t) => {
  const { host, ids } = await lesson(t)
  const res = await admin(host, 'GET', '/api/admin/export?format=json')
  assert.equal(res.status, 200)
  assert.match(res.headers.get('content-type') ?? '', /application\/json/)
  const disposition = res.headers.get('content-disposition') ?? ''
  assert.match(disposition, /^attachment; filename="Biology-7B-.*\.json"; filename\*=UTF-8''Biology-7B-%E7%94%9F%E7%89%A9-\d{4}-\d\d-\d\d\.json$/)
  const doc = res.body as ExportDocument
  assert.equal(doc.room.name, 'Biology 7B · 生物')
  assert.equal(doc.sessions.length, 1)
  assert.deepEqual(doc.messages.map(m => m.id), [ids.hello, ids.cited, ids.rejected, ids.formula, ids.reply].sort((x, y) => x - y))
  const byId = new Map(doc.messages.map(m => [m.id, m]))
  const hello = byId.get(ids.hello)!
  assert.deepEqual(Object.keys(hello).slice(0, 13), ['id', 'seq', 'session_id', 'role', 'content', 'status', 'from_user', 'from_user_id', 'timestamp', 'reply_to', 'hidden', 'citations', 'usage'])
  assert.equal(hello.content, 'Hello, "class", today: cells')
  assert.equal(hello.hidden, false)
  assert.equal(hello.reply_to, null)
  const question = byId.get(ids.cited)!
  assert.equal(question.from_user, '李雷')
  assert.deepEqual(question.question, { status: 'approved', votes: 0, asked: 'Please cite the handbook: what are cells?', edited: true })
  const reply = byId.get(ids.reply)!
  assert.equal(reply.role, 'assistant')
  assert.equal(reply.reply_to, ids.cited)
  assert.equal(reply.citations?.[0]?.document_name, 'handbook.md')
  assert.equal(typeof reply.usage?.total_tokens, 'number')
  assert.deepEqual(byId.get(ids.rejected)!.question, { status: 'rejected', votes: 0, reason: 'We will revise together' })
  const hidden = byId.get(ids.formula)!
  assert.equal(hidden.hidden, true)
  assert.equal(hidden.content, '=HYPERLINK("http://x","click")', 'exports keep the text of hidden messages')
})

test('CSV export: a header row and one row per message, quoted, formulas defused', async (t) => {
  const { host, ids } = await lesson(t)
  const res = await admin(host, 'GET', '/api/admin/export?format=csv&session=current')
  assert.equal(res.status, 200)
  assert.match(res.headers.get('content-type') ?? '', /text\/csv/)
  assert.match(res.headers.get('content-disposition') ?? '', /\.csv"/)
  const raw = Buffer.from(await (await fetch(`${host.url}/api/admin/export?format=csv`, { headers: { authorization: `Bearer ${ADMIN}` } })).arrayBuffer())
  assert.deepEqual([...raw.subarray(0, 3)], [0xEF, 0xBB, 0xBF], 'a BOM so spreadsheets read UTF-8')
  const rows = parseCsv(res.body as string)
  assert.deepEqual(rows[0], [...CSV_COLUMNS])
  assert.equal(rows.length, 1 + 5)
  const col = (name: string): number => (CSV_COLUMNS as readonly string[]).indexOf(name)
  const row = (id: number): string[] => rows.find(r => r[0] === String(id))!
  assert.equal(row(ids.hello)[col('content')], 'Hello, "class", today: cells')
  assert.equal(row(ids.formula)[col('content')], '\'=HYPERLINK("http://x","click")')
  assert.equal(row(ids.formula)[col('hidden')], 'true')
  assert.equal(row(ids.rejected)[col('question_status')], 'rejected')
  assert.equal(row(ids.rejected)[col('question_reason')], 'We will revise together')
  assert.equal(row(ids.cited)[col('asked_ai')], 'Please cite the handbook: what are cells?')
  assert.equal(row(ids.reply)[col('citations')], 'handbook.md')
  assert.match(row(ids.reply)[col('total_tokens')]!, /^\d+$/)
  assert.equal(row(ids.reply)[col('reply_to')], String(ids.cited))
})

test('Markdown export: a readable transcript with the answer under its question, sources, tokens and marks', async (t) => {
  const { host, ids } = await lesson(t)
  const res = await admin(host, 'GET', '/api/admin/export?format=md&session=all')
  assert.equal(res.status, 200)
  assert.match(res.headers.get('content-type') ?? '', /text\/markdown/)
  const md = res.body as string
  assert.match(md, /^# Biology 7B · 生物 — lesson record\n/)
  assert.match(md, /## Lesson 1 — \d{4}-\d\d-\d\d \d\d:\d\d/)
  assert.match(md, /\*\*李雷\*\* · \d\d:\d\d _\(asked the AI, edited by the host to: “Please cite the handbook: what are cells\?”\)_/)
  assert.match(md, /\*\*Kim\*\* · \d\d:\d\d _\(question not taken: We will revise together\)_\n\n@ai what is on the test\?/)
  assert.match(md, /_\(hidden by the host\)_\n\n=HYPERLINK/)
  assert.match(md, /\*\*AI\*\* · \d\d:\d\d\n\n> /)
  assert.match(md, /Sources: handbook\.md/)
  assert.match(md, /_Tokens: \d+ \(question \d+, answer \d+\)_/)
  assert.ok(md.indexOf('Please cite the handbook on cells') < md.indexOf('Sources: handbook.md'), 'the answer follows its question')
  assert.ok(ids.reply > 0)
})

test('export: session=all spans lessons, current only the newest; bad format names what is allowed', async (t) => {
  const { host } = await lesson(t)
  // a new lesson
  assert.equal((await admin(host, 'POST', '/api/admin/sessions', {})).status, 200)
  const current = (await admin(host, 'GET', '/api/admin/export?format=json')).body as ExportDocument
  assert.equal(current.sessions.length, 1)
  assert.equal(current.sessions[0]!.id, 2)
  assert.equal(current.messages.length, 0)
  const all = (await admin(host, 'GET', '/api/admin/export?format=json&session=all')).body as ExportDocument
  assert.deepEqual(all.sessions.map(s => s.id), [1, 2])
  assert.equal(all.messages.length, 5)
  const bad = await admin(host, 'GET', '/api/admin/export?format=pdf')
  assert.equal(bad.status, 400)
  assert.match(bad.body.error.message, /json, md, csv/)
  assert.equal((await admin(host, 'GET', '/api/admin/export?format=md&session=last')).status, 400)
  assert.equal((await host.api('GET', '/api/admin/export?format=json')).status, 401)
})

/** A small RFC 4180 reader for the test. */
function parseCsv (text: string): string[][] {
  const rows: string[][] = []
  let row: string[] = []
  let cell = ''
  let isQuoted = false
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!
    if (isQuoted) {
      if (ch === '"' && text[i + 1] === '"') { cell += '"'; i++ } else if (ch === '"') isQuoted = false
      else cell += ch
    } else if (ch === '"') isQuoted = true
    else if (ch === ',') { row.push(cell); cell = '' } else if (ch === '\r' && text[i + 1] === '\n') { row.push(cell); rows.push(row); row = []; cell = ''; i++ } else cell += ch
  }
  return rows
}
