import { test } from 'node:test'
import assert from 'node:assert/strict'
import { startHost } from '../helpers/host.js'
import { startFakeDify } from '../helpers/fake-dify.js'
import { createDifyGateway } from '../../server/adapters/dify-gateway.js'
import { neutralizeMarkdown } from '../../server/export/markdown-escape.js'

const auth = { authorization: 'Bearer admin-token-for-tests-0123456789' }

test('summarise: the AI is asked in a conversation of its own; the summary is kept and exported', async (t) => {
  const dify = await startFakeDify({ tokenDelayMs: 1, pingIntervalMs: 200 })
  t.after(() => dify.close())
  const host = await startHost(t, {
    config: { difyApiUrl: dify.url, difyApiKey: dify.apiKey, aiMode: 'mention' },
    ai: () => createDifyGateway({ baseUrl: dify.url, apiKey: dify.apiKey, idleTimeoutMs: 3000, deadlineMs: 30_000, retries: 0, retryBaseMs: 20 })
  })
  const empty = await host.api('POST', '/api/admin/summary', { headers: auth })
  assert.equal(empty.status, 409, 'nothing to summarise yet')
  assert.deepEqual((await host.api('GET', '/api/admin/summary', { headers: auth })).body, { session_id: 1, summary: null, at: null })

  const kim = await host.join('Kim')
  const a = await host.connect(kim.token)
  a.chat('@ai what is osmosis?', 'q1')
  await a.waitType('ai_message_end', 1, 10_000)
  const chats = (): Array<{ query: string, user: string, conversation_id?: string }> =>
    dify.requests.filter(r => r.path.startsWith('/v1/chat-messages')).map(r => r.body as { query: string, user: string, conversation_id?: string })
  const roomAsk = chats()[0]!

  const res = await host.api('POST', '/api/admin/summary', { headers: auth })
  assert.equal(res.status, 200, JSON.stringify(res.body))
  assert.equal(res.body.session_id, 1)
  assert.ok(res.body.summary.length > 20)
  const asked = chats()[1]!
  assert.notEqual(asked.user, roomAsk.user, 'its own AI-side user')
  assert.ok(asked.conversation_id === undefined || asked.conversation_id === '', 'a new conversation, not the room\'s')
  assert.match(asked.query, /What was left open/)
  assert.match(asked.query, /Kim: @ai what is osmosis\?/)
  assert.match(asked.query, /AI: /)

  // the room's own conversation goes on untouched
  a.chat('@ai and diffusion?', 'q2')
  await a.waitType('ai_message_end', 2, 10_000)
  const next = chats()[2]!
  assert.equal(next.user, roomAsk.user)
  assert.ok(typeof next.conversation_id === 'string' && next.conversation_id !== '', 'the room continues its conversation')

  assert.equal((await host.api('GET', '/api/admin/summary', { headers: auth })).body.summary, res.body.summary)
  const md = await host.api('GET', '/api/admin/export?format=md', { headers: auth })
  // the summary is the AI's Markdown: quoted and defused like an answer (export-markdown.test.ts)
  assert.ok((md.body as string).includes(`### Summary\n\n> ${neutralizeMarkdown(res.body.summary.trim())[0]}`))
  const json = await host.api('GET', '/api/admin/export?format=json', { headers: auth })
  assert.equal(json.body.sessions[0].summary, res.body.summary)
})
