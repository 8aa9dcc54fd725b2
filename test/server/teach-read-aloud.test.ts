/** Teaching an answer (Dify annotations) and reading answers aloud (Dify text-to-audio), against the fake Dify. */
import { startAiHost } from '../helpers/ai-host.js'
import { test, type TestContext } from 'node:test'
import assert from 'node:assert/strict'
import { existsSync, readdirSync } from 'node:fs'
import { join } from 'node:path'
import { type TestHost } from '../helpers/host.js'
import { admin } from '../helpers/admin.js'
import { type FakeDify, type FakeDifyOptions } from '../helpers/fake-dify.js'
import { speakableText } from '../../server/room/ai/read-aloud.js'
import type { AiMessageEndFrame, HistoryMessage } from '../../server/protocol/index.js'

const aiHost = async (t: TestContext, dify: FakeDifyOptions = {}): Promise<{ host: TestHost, dify: FakeDify }> => await startAiHost(t, { dify })

const ends = (frames: unknown[]): AiMessageEndFrame[] => frames.filter(f => (f as { type: string }).type === 'ai_message_end') as AiMessageEndFrame[]

test('the host teaches an answer: Dify gets the annotation, and the next class gets the teacher’s words, marked so', async (t) => {
  const { host, dify } = await aiHost(t, { annotationReply: true })
  const api = admin(host)
  const ann = await host.join('Ann')
  const a = await host.connect(ann.token)
  a.chat('@ai Why is the sky blue?', 'q1')
  const [first] = await a.waitFor(f => f.type === 'ai_message_end', 1, 10_000)
  const replyId = (first as AiMessageEndFrame).id
  assert.equal((first as AiMessageEndFrame).teachers_answer, undefined)

  // Taught with the teacher's own words; the question defaults to the asker's, without @ai.
  const teacherWords = 'Sunlight scatters off air molecules, and blue light scatters the most (Rayleigh scattering).'
  const taught = await api('POST', `/api/admin/replies/${replyId}/teach`, { answer: teacherWords })
  assert.equal(taught.status, 201)
  assert.equal(typeof taught.body.annotation_id, 'string')
  const posted = dify.requests.filter(r => r.method === 'POST' && r.path === '/v1/apps/annotations')
  assert.equal(posted.length, 1)
  assert.deepEqual(posted[0]!.body, { question: 'Why is the sky blue?', answer: teacherWords })
  assert.equal(dify.annotations[0]!.id, taught.body.annotation_id)
  const audit = await api('GET', '/api/admin/audit')
  assert.ok(audit.body.entries.some((e: { action: string, target: string }) => e.action === 'reply.teach' && e.target === String(replyId)))

  // The next time the question is asked, the app answers with the teacher's words.
  a.chat('@ai why is the sky blue', 'q2')
  await a.waitFor(f => f.type === 'ai_message_end', 2, 10_000)
  const second = ends(a.frames)[1]!
  assert.equal(second.content, teacherWords)
  assert.equal(second.teachers_answer, true)
  const history = (await host.api('GET', '/api/messages', { token: ann.token })).body.messages as HistoryMessage[]
  assert.equal(history.find(m => m.id === second.id)!.teachers_answer, true, 'a reload still says it is the teacher’s answer')
  const replay = await host.connect(ann.token, 0)
  await replay.waitFor(f => f.type === 'ai_message_end' && f.id === second.id)
  assert.equal(ends(replay.frames).find(f => f.id === second.id)!.teachers_answer, true)
})

test('teaching refuses what it cannot teach, clearly, and sends Dify nothing', async (t) => {
  const { host, dify } = await aiHost(t)
  const api = admin(host)
  const ann = await host.join('Ann')
  const a = await host.connect(ann.token)
  a.chat('plain chat, no AI', 'c1')
  const [said] = await a.waitFor(f => f.type === 'user_message')
  const userMessageId = (said as { id: number }).id
  assert.equal((await api('POST', `/api/admin/replies/${userMessageId}/teach`, {})).body.error.code, 'ERR_MESSAGE_NOT_FOUND', 'a participant’s message is not an answer')
  assert.equal((await api('POST', '/api/admin/replies/9999/teach', {})).status, 404)
  a.chat('@ai tell me a long story [[delay:50]]', 'q1')
  const [start] = await a.waitFor(f => f.type === 'ai_message_start', 1, 10_000)
  const streaming = await api('POST', `/api/admin/replies/${(start as { id: number }).id}/teach`, {})
  assert.deepEqual([streaming.status, streaming.body.error.code], [409, 'ERR_NOT_FINISHED'])
  await a.waitFor(f => f.type === 'ai_message_end', 1, 20_000)
  const empty = await api('POST', `/api/admin/replies/${(start as { id: number }).id}/teach`, { answer: '   ' })
  assert.deepEqual([empty.status, empty.body.error.code], [400, 'ERR_VALIDATION'])
  assert.match(empty.body.error.message, /answer to teach is empty/)
  const extra = await api('POST', `/api/admin/replies/${(start as { id: number }).id}/teach`, { answer: 'x', votes: 3 })
  assert.equal(extra.status, 400)
  assert.equal(dify.requests.filter(r => r.path === '/v1/apps/annotations').length, 0)
})

test('read-aloud: one request to Dify for many listeners, kept across a restart; hidden and streaming answers refused', async (t) => {
  const { host, dify } = await aiHost(t, { textToSpeech: true })
  const api = admin(host)
  const [ann, ben] = await Promise.all([host.join('Ann'), host.join('Ben')])
  const a = await host.connect(ann.token)
  a.chat('@ai what is **photosynthesis**?', 'q1')
  const [end] = await a.waitFor(f => f.type === 'ai_message_end', 1, 10_000)
  const replyId = (end as AiMessageEndFrame).id

  const fetchAudio = async (token: string): Promise<Response> => await fetch(`${host.url}/api/messages/${replyId}/audio`, { headers: { authorization: `Bearer ${token}` } })
  const answers = await Promise.all([fetchAudio(ann.token), fetchAudio(ben.token), fetchAudio(ann.token), fetchAudio(host.config.adminToken)])
  for (const res of answers) {
    assert.equal(res.status, 200)
    assert.equal(res.headers.get('content-type'), 'audio/wav')
    const bytes = Buffer.from(await res.arrayBuffer())
    assert.equal(bytes.subarray(0, 4).toString('ascii'), 'RIFF')
  }
  const asked = dify.requests.filter(r => r.path === '/v1/text-to-audio')
  assert.equal(asked.length, 1, 'four listeners at once, one request to Dify')
  const sent = asked[0]!.body as { text: string, user: string }
  assert.ok(!sent.text.includes('**'), `Markdown marks are not read: ${sent.text}`)
  assert.match(sent.text, /photosynthesis/i)
  assert.match(sent.user, /^mindweb-room-/)
  assert.ok(readdirSync(join(host.dataDir, 'audio')).some(f => f.startsWith(`${replyId}-`) && f.endsWith('.wav')), 'kept in the data folder')

  await host.restart()
  assert.equal((await fetchAudio(ben.token)).status, 200)
  assert.equal(dify.requests.filter(r => r.path === '/v1/text-to-audio').length, 1, 'after a restart it comes from the data folder')

  assert.equal((await fetch(`${host.url}/api/messages/${replyId}/audio`)).status, 401)
  assert.equal((await fetchAudio(ann.token.slice(0, -2) + 'xx')).status, 401)
  assert.equal((await fetchAudio(ann.token).then(async () => await fetch(`${host.url}/api/messages/424242/audio`, { headers: { authorization: `Bearer ${ann.token}` } }))).status, 404)
  await api('POST', `/api/admin/messages/${replyId}/hide`)
  assert.equal((await fetchAudio(ben.token)).status, 404, 'a hidden answer is not read to participants')
  assert.equal((await fetchAudio(host.config.adminToken)).status, 200, 'the host may still hear it')
  const question = (await fetchAudio(ann.token))
  assert.equal(question.status, 404)
})

test('read-aloud with the app’s text-to-speech off: 409 ERR_TTS_OFF, and Dify is asked once a minute, not per phone', async (t) => {
  const { host, dify } = await aiHost(t)
  const ann = await host.join('Ann')
  const a = await host.connect(ann.token)
  a.chat('@ai hello', 'q1')
  const [end] = await a.waitFor(f => f.type === 'ai_message_end', 1, 10_000)
  for (let i = 0; i < 3; i++) {
    const res = await host.api('GET', `/api/messages/${(end as AiMessageEndFrame).id}/audio`, { token: ann.token })
    assert.equal(res.status, 409)
    assert.equal(res.body.error.code, 'ERR_TTS_OFF')
    assert.match(res.body.error.message, /text-to-speech turned off.*TTS is not enabled/)
  }
  assert.equal(dify.requests.filter(r => r.path === '/v1/text-to-audio').length, 1)
  assert.equal(existsSync(join(host.dataDir, 'audio')), false)
})

test('the words read aloud: Markdown marks and code blocks left out, blocks kept apart, hostile nesting survived', () => {
  assert.equal(speakableText('# Cells\n\nA **cell** is _small_.\n\n```js\nconsole.log(1)\n```\n\n- one\n- [two](http://x)'), 'Cells A cell is small. one two')
  assert.equal(speakableText('> '.repeat(5000) + 'deep'), 'deep', 'deep quotes do not overflow the stack')
  assert.equal(speakableText('x'.repeat(10_000)).length, 4000)
})

test('the host’s rating of an answer goes to Dify’s feedback under Dify’s own id, and the console keeps it', async (t) => {
  const { host, dify } = await aiHost(t)
  const api = admin(host)
  const ann = await host.join('Ann')
  const a = await host.connect(ann.token)
  a.chat('@ai what is a prime number?', 'q1')
  const [end] = await a.waitFor(f => f.type === 'ai_message_end', 1, 10_000)
  const replyId = (end as AiMessageEndFrame).id

  const liked = await api('PUT', `/api/admin/replies/${replyId}/rating`, { rating: 'like' })
  assert.deepEqual([liked.status, liked.body], [200, { rating: 'like' }])
  const asked = dify.requests.filter(r => r.path.endsWith('/feedbacks'))
  assert.equal(asked.length, 1)
  assert.match(asked[0]!.path, /^\/v1\/messages\/[0-9a-f-]{36}\/feedbacks$/, 'named by Dify’s message id, not the room’s')
  assert.deepEqual(asked[0]!.body, { rating: 'like', user: (asked[0]!.body as { user: string }).user })
  assert.match((asked[0]!.body as { user: string }).user, /^mindweb-room-/)
  assert.deepEqual([...dify.feedbacks.values()], ['like'])

  await host.restart()
  const adminHistory = (await api('GET', '/api/admin/messages')).body.messages as HistoryMessage[]
  assert.equal(adminHistory.find(m => m.id === replyId)!.host_rating, 'like', 'kept across a restart')
  const theirs = (await host.api('GET', '/api/messages', { token: ann.token })).body.messages as HistoryMessage[]
  assert.equal(theirs.find(m => m.id === replyId)!.host_rating, undefined, 'participants do not see the host’s rating')

  assert.deepEqual((await api('PUT', `/api/admin/replies/${replyId}/rating`, { rating: null })).body, { rating: null })
  assert.deepEqual([...dify.feedbacks.values()], [null])
  assert.equal(((await api('GET', '/api/admin/messages')).body.messages as HistoryMessage[]).find(m => m.id === replyId)!.host_rating, undefined)
  assert.equal((await api('PUT', `/api/admin/replies/${replyId}/rating`, { rating: 'great' })).status, 400)
  assert.equal((await api('PUT', '/api/admin/replies/4242/rating', { rating: 'like' })).status, 404)
})
