import { test } from 'node:test'
import assert from 'node:assert/strict'
import { startHost } from '../helpers/host.js'
import { startFakeDify } from '../helpers/fake-dify.js'
import { createDifyGateway } from '../../server/adapters/dify-gateway.js'
import { TestClient } from '../helpers/ws-client.js'
import type { ServerFrame } from '../../server/protocol/index.js'

const ADMIN = 'admin-token-for-tests-0123456789'
const auth = { authorization: `Bearer ${ADMIN}` }
type Frame = ServerFrame & { review?: boolean }

test('review answers first: the answer streams to the host only, then released (edited) or discarded', async (t) => {
  const dify = await startFakeDify({ tokenDelayMs: 2, pingIntervalMs: 200 })
  t.after(() => dify.close())
  const host = await startHost(t, {
    config: { difyApiUrl: dify.url, difyApiKey: dify.apiKey, aiMode: 'approve' },
    ai: () => createDifyGateway({ baseUrl: dify.url, apiKey: dify.apiKey, idleTimeoutMs: 3000, deadlineMs: 30_000, retries: 0, retryBaseMs: 20 })
  })
  const set = await host.api('PUT', '/api/admin/settings', { headers: auth, body: { review_answers: true } })
  assert.equal(set.status, 200, JSON.stringify(set.body))
  const admin = new TestClient(`${host.url.replace('http', 'ws')}/api/admin/ws?token=${ADMIN}`)
  t.after(() => admin.terminate())
  await admin.opened()
  const kim = await host.join('Kim')
  const a = await host.connect(kim.token)
  a.chat('@ai what is a cell?', 'q1')
  const [update] = await a.waitType('question_update')
  assert.equal((await host.api('POST', `/api/admin/questions/${update!.message_id}/approve`, { headers: auth, body: {} })).status, 200)

  const [start] = await a.waitType('ai_message_start')
  const [reviewing] = await a.waitFor(f => (f as Frame).type === 'ai_review')
  assert.deepEqual(reviewing, { type: 'ai_review', id: start!.id, reply_to: update!.message_id, status: 'reviewing' })
  const [ready] = await admin.waitFor(f => (f as { type: string, status?: string }).type === 'ai_review' && (f as { status?: string }).status === 'ready', 1, 10_000) as Array<{ content: string }>
  assert.ok(ready!.content.length > 20)
  const adminChunks = admin.frames.filter(f => f.type === 'ai_message_chunk') as Frame[]
  assert.ok(adminChunks.length > 0 && adminChunks.every(f => f.review === true), 'the host watched it stream, marked review')
  assert.equal(a.ofType('ai_message_chunk').length, 0, 'participants saw none of it')
  assert.equal(a.ofType('ai_message_end').length, 0)
  const history = await host.api('GET', '/api/messages', { token: kim.token })
  const reply = history.body.messages.find((m: { id: number }) => m.id === start!.id)
  assert.equal(reply.content, '', 'nor does the history')
  assert.equal(reply.reviewing, true, 'a reload still says the host is checking it')
  const listed = await host.api('GET', '/api/admin/replies/held', { headers: auth })
  assert.deepEqual(listed.body.answers.map((x: { id: number, content: string }) => [x.id, x.content]), [[start!.id, ready!.content]])

  // a late joiner gets no snapshot of the held text
  const lee = await host.join('Lee')
  const b = await host.connect(lee.token, 0)
  await b.waitType('ai_message_start')
  assert.equal(b.ofType('ai_message_chunk').length, 0)

  // released with the host's edit: everyone gets the whole answer, marked edited
  assert.equal((await host.api('POST', `/api/admin/replies/${start!.id}/release`, { headers: auth, body: { content: 'A cell is the smallest unit of life.' } })).status, 200)
  const [end] = await b.waitType('ai_message_end')
  assert.equal(end!.content, 'A cell is the smallest unit of life.')
  assert.equal(end!.status, 'complete')
  assert.equal(end!.edited_by_host, true, 'marked as edited by the host')
  const [released] = await b.waitFor(f => (f as Frame).type === 'ai_review' && (f as { status?: string }).status === 'released') as Array<{ edited?: boolean }>
  assert.equal(released!.edited, true)
  assert.equal((await host.api('POST', `/api/admin/replies/${start!.id}/release`, { headers: auth, body: {} })).status, 404)
  // the mark is kept: a replay shows it too
  const later = await host.connect(lee.token, 0)
  const [replayed] = await later.waitType('ai_message_end')
  assert.equal(replayed!.edited_by_host, true)
  // and a reload: the history carries what the live frames carried
  const afterRelease = await host.api('GET', '/api/messages', { token: lee.token })
  const releasedReply = afterRelease.body.messages.find((m: { id: number }) => m.id === start!.id)
  assert.equal(releasedReply.edited_by_host, true)
  assert.equal(releasedReply.reviewing, undefined)
  assert.equal(releasedReply.content, 'A cell is the smallest unit of life.')

  // a second answer is discarded with a note: the room gets an empty stopped answer and the note
  a.chat('@ai tell me a joke', 'q2')
  const [asked2] = await a.waitFor(f => f.type === 'user_message' && f.client_msg_id === 'q2')
  const second = { message_id: (asked2 as { id: number }).id }
  await a.waitFor(f => f.type === 'question_update' && f.message_id === second.message_id)
  const approved2 = await host.api('POST', `/api/admin/questions/${second.message_id}/approve`, { headers: auth, body: {} })
  assert.equal(approved2.status, 200, JSON.stringify(approved2.body))
  await admin.waitFor(f => (f as { type: string, status?: string }).type === 'ai_review' && (f as { status?: string }).status === 'ready', 2, 10_000)
  const [, start2] = await a.waitType('ai_message_start', 2)
  assert.equal((await host.api('POST', `/api/admin/replies/${start2!.id}/discard`, { headers: auth, body: { note: 'Not now, focus on cells.' } })).status, 200)
  const [discarded] = await a.waitFor(f => (f as Frame).type === 'ai_review' && (f as { status?: string }).status === 'discarded') as Array<{ note?: string }>
  assert.equal(discarded!.note, 'Not now, focus on cells.')
  const [, end2] = await a.waitType('ai_message_end', 2)
  assert.equal(end2!.content, '')
  assert.equal(end2!.status, 'stopped')
})
