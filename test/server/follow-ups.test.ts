import { startAiHost } from '../helpers/ai-host.js'
import { test, type TestContext } from 'node:test'
import assert from 'node:assert/strict'
import { type TestHost } from '../helpers/host.js'
import { type FakeDify, type FakeDifyOptions } from '../helpers/fake-dify.js'
import type { ServerFrame } from '../../server/protocol/index.js'

const aiHost = async (t: TestContext, dify: FakeDifyOptions = {}): Promise<{ host: TestHost, dify: FakeDify }> => await startAiHost(t, { dify })

const suggestedAsks = (dify: FakeDify): string[] => dify.requests.filter(r => r.path.includes('/suggested')).map(r => r.path)

test('after a written answer everyone gets its follow-up questions once, and a reload lists them', async (t) => {
  const { host, dify } = await aiHost(t, { suggestedAfterAnswer: true })
  const [ann, ben] = await Promise.all([host.join('Ann'), host.join('Ben')])
  const a = await host.connect(ann!.token)
  const b = await host.connect(ben!.token)
  a.chat('@ai what is photosynthesis?', 'q1')
  const [end] = await b.waitFor(f => f.type === 'ai_message_end', 1, 10_000)
  const replyId = (end as { id: number }).id
  const [frame] = await b.waitFor(f => f.type === 'ai_suggestions', 1, 5000)
  const suggestions = (frame as Extract<ServerFrame, { type: 'ai_suggestions' }>).suggestions
  assert.equal((frame as { message_id: number }).message_id, replyId)
  assert.equal(suggestions.length, 3)
  assert.match(suggestions[0]!, /photosynthesis/)
  await a.waitFor(f => f.type === 'ai_suggestions', 1, 5000)
  // One request for the room, with the room's AI user, not one per participant.
  const asked = suggestedAsks(dify)
  assert.equal(asked.length, 1)
  assert.match(asked[0]!, /\/v1\/messages\/[0-9a-f-]+\/suggested\?user=/)
  const history = await host.api('GET', '/api/messages', { token: ann!.token })
  const reply = history.body.messages.find((m: { id: number }) => m.id === replyId)
  assert.deepEqual(reply.suggestions, suggestions)
})

test('an app with follow-ups off is asked once, then never again; answers go on as before', async (t) => {
  const { host, dify } = await aiHost(t)
  const ann = await host.join('Ann')
  const a = await host.connect(ann.token)
  a.chat('@ai first?', 'q1')
  await a.waitFor(f => f.type === 'ai_message_end', 1, 10_000)
  await new Promise(resolve => setTimeout(resolve, 200))
  a.chat('@ai second?', 'q2')
  await a.waitFor(f => f.type === 'ai_message_end', 2, 10_000)
  await new Promise(resolve => setTimeout(resolve, 200))
  assert.equal(suggestedAsks(dify).length, 1, 'the 400 "Suggested Questions Is Disabled." is remembered')
  assert.equal(a.frames.filter(f => f.type === 'ai_suggestions').length, 0)
  const history = await host.api('GET', '/api/messages', { token: ann.token })
  assert.ok(history.body.messages.every((m: { suggestions?: unknown }) => m.suggestions === undefined))
})

test('a stopped or failed answer gets no follow-ups', async (t) => {
  const { host, dify } = await aiHost(t, { suggestedAfterAnswer: true })
  const ann = await host.join('Ann')
  const a = await host.connect(ann.token)
  a.chat('@ai fail please [[scenario:error-mid]]', 'q1')
  await a.waitFor(f => f.type === 'ai_message_error', 1, 10_000)
  await new Promise(resolve => setTimeout(resolve, 200))
  assert.equal(suggestedAsks(dify).length, 0)
})
