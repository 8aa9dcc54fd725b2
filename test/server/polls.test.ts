import { test } from 'node:test'
import assert from 'node:assert/strict'
import { join } from 'node:path'
import BetterSqlite3 from 'better-sqlite3'
import { startHost } from '../helpers/host.js'
import { admin, adminSocket } from '../helpers/admin.js'
import type { PollResultsFrame, PollUpdateFrame, ServerFrame } from '../../server/protocol/index.js'
import type { TestClient } from '../helpers/ws-client.js'

const isError = (code: string) => (f: ServerFrame) => f.type === 'error' && f.code === code
const resultsOf = (c: TestClient, id: number): PollResultsFrame[] => c.ofType('poll_results').filter(f => f.poll_id === id)

test('a poll opens with a persisted poll_update, takes answers, and counts go to the host', async (t) => {
  const host = await startHost(t)
  const api = admin(host)
  const [kim, lee] = await Promise.all([host.join('Kim'), host.join('Lee')])
  const a = await host.connect(kim.token)
  const b = await host.connect(lee.token)
  const console = await adminSocket(t, host)
  const created = await api('POST', '/api/admin/polls', { question: 'Which is a prime?', kind: 'single', options: ['4', '7', '9'], correct: [1] })
  assert.equal(created.status, 201)
  const id = created.body.poll_id as number
  const [update] = await a.waitType('poll_update')
  assert.deepEqual({ ...update, seq: 0 }, { type: 'poll_update', poll_id: id, seq: 0, status: 'open', kind: 'single', question: 'Which is a prime?', options: ['4', '7', '9'], show_results: false, counts: null, total: 0 })
  assert.ok(update!.seq > 0)
  a.send({ type: 'poll_answer', poll_id: id, choice: [1] })
  b.send({ type: 'poll_answer', poll_id: id, choice: [0] })
  await console.waitFor(f => f.type === 'poll_results' && f.poll_id === id && f.total === 2)
  assert.deepEqual(resultsOf(console, id).at(-1)!.counts, [1, 1, 0])
  // participants get no counts while the results are hidden
  assert.equal(resultsOf(a, id).length, 0)
  // answering again replaces the answer
  b.send({ type: 'poll_answer', poll_id: id, choice: [1] })
  await console.waitFor(f => f.type === 'poll_results' && f.poll_id === id && f.counts[1] === 2)
  const detail = await api('GET', `/api/admin/polls/${id}`)
  assert.equal(detail.status, 200)
  assert.deepEqual(detail.body.counts, [0, 2, 0])
  assert.equal(detail.body.total, 2)
  assert.deepEqual(detail.body.correct, [1])
  assert.deepEqual(detail.body.answers.map((x: { username: string, choice: number[] }) => [x.username, x.choice]).sort(), [['Kim', [1]], ['Lee', [1]]])
  const mine = await host.api('GET', '/api/polls', { token: kim.token })
  assert.equal(mine.status, 200)
  assert.deepEqual(mine.body.polls[0].mine, { choice: [1] })
  assert.equal(mine.body.polls[0].counts, null)
  assert.equal((await api('GET', '/api/admin/polls/999')).body.error.code, 'ERR_NOT_FOUND')
})

test('show_results sends counts to participants; close persists the final counts; both replay', async (t) => {
  const host = await startHost(t)
  const api = admin(host)
  const kim = await host.join('Kim')
  const a = await host.connect(kim.token, 0)
  const id = (await api('POST', '/api/admin/polls', { question: 'Pick any', kind: 'multi', options: ['x', 'y', 'z'] })).body.poll_id as number
  await a.waitType('poll_update')
  const shown = await api('PUT', `/api/admin/polls/${id}`, { show_results: true })
  assert.equal(shown.status, 200)
  const [, visible] = await a.waitType('poll_update', 2)
  assert.equal(visible!.show_results, true)
  assert.deepEqual(visible!.counts, [0, 0, 0])
  a.send({ type: 'poll_answer', poll_id: id, choice: [0, 2] })
  await a.waitFor(f => f.type === 'poll_results' && f.total === 1)
  assert.deepEqual(resultsOf(a, id).at(-1)!.counts, [1, 0, 1])
  const closed = await api('POST', `/api/admin/polls/${id}/close`)
  assert.equal(closed.body.status, 'closed')
  const [, , last] = await a.waitType('poll_update', 3)
  assert.equal(last!.status, 'closed')
  assert.deepEqual(last!.counts, [1, 0, 1])
  a.send({ type: 'poll_answer', poll_id: id, choice: [1] })
  await a.waitFor(isError('ERR_POLL_CLOSED'))
  // a late client replays the same three steps
  const late = await host.connect(kim.token, 0)
  const replayed = await late.waitType('poll_update', 3)
  assert.deepEqual(replayed.map(f => f.seq), a.ofType('poll_update').map(f => f.seq))
  const audit = await api('GET', '/api/admin/audit')
  const actions = (audit.body.entries as Array<{ action: string }>).map(e => e.action)
  for (const action of ['poll.create', 'poll.show_results', 'poll.close']) assert.ok(actions.includes(action), action)
})

test('answers are refused with error frames: unknown poll, wrong shape, bad index, too long', async (t) => {
  const host = await startHost(t)
  const api = admin(host)
  const kim = await host.join('Kim')
  const a = await host.connect(kim.token)
  const single = (await api('POST', '/api/admin/polls', { question: 'One', kind: 'single', options: ['a', 'b'] })).body.poll_id as number
  const open = (await api('POST', '/api/admin/polls', { question: 'Say a word', kind: 'open' })).body.poll_id as number
  const cases: Array<[unknown, string, RegExp]> = [
    [{ type: 'poll_answer', poll_id: 999, choice: [0] }, 'ERR_NOT_FOUND', /No poll with id 999/],
    [{ type: 'poll_answer', poll_id: single, choice: [0, 1] }, 'ERR_VALIDATION', /exactly one/],
    [{ type: 'poll_answer', poll_id: single, choice: [5] }, 'ERR_VALIDATION', /no option 5/],
    [{ type: 'poll_answer', poll_id: single, text: 'a' }, 'ERR_VALIDATION', /exactly one/],
    [{ type: 'poll_answer', poll_id: open, choice: [0] }, 'ERR_VALIDATION', /short text/],
    [{ type: 'poll_answer', poll_id: open, text: 'x'.repeat(81) }, 'ERR_VALIDATION', /at most 80 characters/],
    [{ type: 'poll_answer', poll_id: open, text: '   ' }, 'ERR_VALIDATION', /write an answer/],
    [{ type: 'poll_answer', poll_id: 'x' }, 'ERR_VALIDATION', /poll_answer/]
  ]
  for (const [frame, code, message] of cases) {
    const before = a.ofType('error').length
    a.send(frame)
    const errors = await a.waitType('error', before + 1)
    assert.equal(errors.at(-1)!.code, code, JSON.stringify(frame))
    assert.match(errors.at(-1)!.message, message)
  }
  a.send({ type: 'poll_answer', poll_id: open, text: '  photosynthesis  ' })
  a.send({ type: 'ping' })
  await a.waitType('pong')
  const detail = await api('GET', `/api/admin/polls/${open}`)
  assert.deepEqual(detail.body.counts, [])
  assert.equal(detail.body.answers[0].text, 'photosynthesis')
  // the host's poll is checked too
  for (const body of [
    { question: 'Q', kind: 'single', options: ['only'] },
    { question: '', kind: 'open' },
    { question: 'Q', kind: 'open', options: ['a', 'b'] },
    { question: 'Q', kind: 'single', options: ['a', 'b'], correct: [0, 1] },
    { question: 'Q', kind: 'multi', options: ['a', 'b'], correct: [2] },
    { question: 'Q', kind: 'multi', options: Array.from({ length: 11 }, (_, i) => String(i)) }
  ]) {
    const res = await api('POST', '/api/admin/polls', body)
    assert.equal(res.status, 400, JSON.stringify(body))
    assert.equal(res.body.error.code, 'ERR_VALIDATION')
  }
})

test('poll answers are rate-limited like chat, in buckets of their own', async (t) => {
  const host = await startHost(t, { config: { chatRate: { limit: 3, windowMs: 60_000 } } })
  const api = admin(host)
  const kim = await host.join('Kim')
  const a = await host.connect(kim.token)
  const id = (await api('POST', '/api/admin/polls', { question: 'Q', kind: 'single', options: ['a', 'b'] })).body.poll_id as number
  for (let i = 0; i < 4; i++) a.send({ type: 'poll_answer', poll_id: id, choice: [i % 2] })
  const [refused] = await a.waitFor(isError('ERR_RATE_LIMITED'))
  assert.ok((refused as { retry_after_ms?: number }).retry_after_ms! > 0)
  assert.match((refused as { message: string }).message, /answering too fast/)
  // the burst was written in one transaction: the refused fourth answer undid only itself
  const detail = await api('GET', `/api/admin/polls/${id}`)
  assert.deepEqual(detail.body.answers.map((x: { choice: number[] }) => x.choice), [[0]])
  assert.equal(a.ofType('error').length, 1)
  // chat still works: the poll did not use up the chat's bucket
  a.chat('hello', 'c1')
  await a.waitFor(f => f.type === 'user_message' && f.client_msg_id === 'c1')
})

test('a burst of 300 answers gives a few coalesced poll_results, with exact final counts', async (t) => {
  const host = await startHost(t)
  const api = admin(host)
  const console = await adminSocket(t, host)
  const people = await Promise.all(Array.from({ length: 30 }, (_, i) => host.join(`P${i}`)))
  const sockets = await Promise.all(people.map(p => host.connect(p.token)))
  const id = (await api('POST', '/api/admin/polls', { question: 'Burst', kind: 'single', options: ['a', 'b', 'c', 'd'] })).body.poll_id as number
  await api('PUT', `/api/admin/polls/${id}`, { show_results: true })
  const started = Date.now()
  // 10 answers from each of 30 people: the last one of each counts
  for (let round = 0; round < 10; round++) sockets.forEach((s, i) => s.send({ type: 'poll_answer', poll_id: id, choice: [(i + round) % 4] }))
  const expected = [0, 0, 0, 0]
  sockets.forEach((_, i) => { expected[(i + 9) % 4]!++ })
  await console.waitFor(f => f.type === 'poll_results' && f.poll_id === id && f.total === 30 && JSON.stringify(f.counts) === JSON.stringify(expected), 1, 10_000)
  await new Promise(resolve => setTimeout(resolve, 600))
  const elapsed = Math.max(Date.now() - started, 1)
  const frames = resultsOf(console, id)
  const perSecond = frames.length / (elapsed / 1000)
  t.diagnostic(`300 answers: ${frames.length} poll_results to the console in ${elapsed} ms (${perSecond.toFixed(1)}/s)`)
  assert.ok(frames.length <= Math.ceil(elapsed / 250) + 1, `${frames.length} frames in ${elapsed} ms`)
  assert.deepEqual(frames.at(-1)!.counts, expected)
  assert.deepEqual(resultsOf(sockets[0]!, id).at(-1)!.counts, expected)
  assert.ok(resultsOf(sockets[0]!, id).length <= frames.length)
})

test('a locked database refuses every waiting answer with ERR_STORAGE_BUSY, writes none of them, and the poll recovers', async (t) => {
  const host = await startHost(t)
  const api = admin(host)
  const people = await Promise.all(Array.from({ length: 20 }, (_, i) => host.join(`P${i}`)))
  const sockets = await Promise.all(people.map(p => host.connect(p.token)))
  const id = (await api('POST', '/api/admin/polls', { question: 'Locked?', kind: 'open' })).body.poll_id as number
  sockets[0]!.send({ type: 'poll_answer', poll_id: id, text: 'stored before' })
  await api('GET', `/api/admin/polls/${id}`)
  // another process holds the write lock: the batch's one transaction cannot begin
  host.db.pragma('busy_timeout = 50')
  const other = new BetterSqlite3(join(host.dataDir, 'mindweb.db'))
  t.after(() => { if (other.open) other.close() })
  other.exec('BEGIN IMMEDIATE')
  sockets.slice(1).forEach((s, i) => s.send({ type: 'poll_answer', poll_id: id, text: `while locked ${i}` }))
  const refused = await Promise.all(sockets.slice(1).map(async s => (await s.waitFor(f => f.type === 'error'))[0]))
  assert.deepEqual(new Set(refused.map(e => e!.type === 'error' ? e.code : '')), new Set(['ERR_STORAGE_BUSY']))
  // one error line per batch, not one per answer
  const lines = host.logs.filter(l => l.includes('"level":50') && l.includes('could not save poll answers'))
  assert.ok(lines.length >= 1 && lines.length < 19, `${lines.length} error lines`)
  other.exec('ROLLBACK')
  other.close()
  // nothing half-written, and the answers sent again are stored
  assert.deepEqual((await api('GET', `/api/admin/polls/${id}`)).body.answers.map((x: { text: string }) => x.text), ['stored before'])
  sockets.slice(1).forEach((s, i) => s.send({ type: 'poll_answer', poll_id: id, text: `again ${i}` }))
  await new Promise(resolve => setTimeout(resolve, 300))
  const after = await api('GET', `/api/admin/polls/${id}`)
  assert.equal(after.body.total, 20)
  assert.equal(sockets.reduce((n, s) => n + s.ofType('error').length, 0), 19)
})

test('an open poll survives a restart: still open, its answers kept, still answerable', async (t) => {
  const host = await startHost(t)
  const api = admin(host)
  const [kim, lee] = await Promise.all([host.join('Kim'), host.join('Lee')])
  const a = await host.connect(kim.token)
  const id = (await api('POST', '/api/admin/polls', { question: 'Before', kind: 'open' })).body.poll_id as number
  a.send({ type: 'poll_answer', poll_id: id, text: 'first' })
  a.send({ type: 'ping' })
  await a.waitType('pong')
  await host.restart()
  const b = await host.connect(lee.token, 0)
  const [update] = await b.waitType('poll_update') as PollUpdateFrame[]
  assert.equal(update!.status, 'open')
  b.send({ type: 'poll_answer', poll_id: id, text: 'second' })
  b.send({ type: 'ping' })
  await b.waitType('pong')
  const detail = await admin(host)('GET', `/api/admin/polls/${id}`)
  assert.equal(detail.body.status, 'open')
  assert.deepEqual(detail.body.answers.map((x: { text: string }) => x.text).sort(), ['first', 'second'])
  const listed = await host.api('GET', '/api/polls', { token: kim.token })
  assert.deepEqual(listed.body.polls[0].mine, { text: 'first' })
})

test('the JSON export carries polls with every answer, the Markdown their results', async (t) => {
  const host = await startHost(t)
  const api = admin(host)
  const kim = await host.join('Kim')
  const a = await host.connect(kim.token)
  const id = (await api('POST', '/api/admin/polls', { question: 'Capital of France?', kind: 'single', options: ['Paris', 'Rome'], correct: [0] })).body.poll_id as number
  a.send({ type: 'poll_answer', poll_id: id, choice: [0] })
  a.send({ type: 'ping' })
  await a.waitType('pong')
  await api('POST', `/api/admin/polls/${id}/close`)
  const json = await api('GET', '/api/admin/export?format=json')
  const poll = json.body.polls[0]
  assert.equal(poll.question, 'Capital of France?')
  assert.deepEqual(poll.counts, [1, 0])
  assert.deepEqual(poll.answers.map((x: { username: string, choice: number[] }) => [x.username, x.choice]), [['Kim', [0]]])
  const md = await api('GET', '/api/admin/export?format=md')
  assert.match(md.body as string, /### Polls/)
  assert.match(md.body as string, /- Paris ✓: 1/)
  assert.match(md.body as string, /- Rome: 0/)
})
