/**
 * The AI in the loop of a poll, against the fake Dify: it drafts quiz questions from the lesson's
 * last minutes (clean JSON, JSON wrapped in prose, broken JSON) and explains a closed result to
 * the room as any reply.
 */
import { test, type TestContext } from 'node:test'
import assert from 'node:assert/strict'
import { startHost } from '../helpers/host.js'
import { admin } from '../helpers/admin.js'
import { startFakeDify, type FakeDify } from '../helpers/fake-dify.js'
import { createDifyGateway } from '../../server/adapters/dify-gateway.js'
import { parseQuizDrafts } from '../../server/room/polls/quiz-draft.js'

async function roomWithAi (t: TestContext, options: { reviewAnswers?: boolean } = {}) {
  const dify = await startFakeDify({ tokenDelayMs: 1, pingIntervalMs: 200 })
  t.after(() => dify.close())
  const host = await startHost(t, {
    config: { difyApiUrl: dify.url, difyApiKey: dify.apiKey, aiMode: 'mention', ...(options.reviewAnswers === true ? { reviewAnswers: true } : {}) },
    ai: () => createDifyGateway({ baseUrl: dify.url, apiKey: dify.apiKey, idleTimeoutMs: 3000, deadlineMs: 30_000, retries: 0, retryBaseMs: 20 })
  })
  return { dify, host, api: admin(host) }
}

const chats = (dify: FakeDify): Array<{ query: string, user: string, conversation_id?: string }> =>
  dify.requests.filter(r => r.path.startsWith('/v1/chat-messages')).map(r => r.body as { query: string, user: string, conversation_id?: string })

test('the AI drafts quiz questions from the last minutes, in its own conversation; nothing is opened', async (t) => {
  const { dify, host, api } = await roomWithAi(t)
  const empty = await api('POST', '/api/admin/polls/draft', {})
  assert.equal(empty.status, 409)
  assert.equal(empty.body.error.code, 'ERR_NOTHING_TO_SUMMARISE')
  assert.match(empty.body.error.message, /last 10 minutes/)

  const kim = await host.join('Kim')
  const a = await host.connect(kim.token)
  a.chat('@ai how do plants make sugar?', 'q1')
  await a.waitType('ai_message_end', 1, 10_000)

  const res = await api('POST', '/api/admin/polls/draft', { minutes: 5, count: 2 })
  assert.equal(res.status, 200, JSON.stringify(res.body))
  assert.equal(res.body.drafts.length, 2)
  for (const d of res.body.drafts) {
    assert.equal(typeof d.question, 'string')
    assert.ok(d.options.length >= 2)
    assert.equal(d.correct.length, 1)
    assert.ok(d.correct[0] < d.options.length)
  }
  const asked = chats(dify).at(-1)!
  assert.match(asked.query, /Write 2 multiple-choice quiz questions/)
  assert.match(asked.query, /Kim: @ai how do plants make sugar\?/)
  assert.notEqual(asked.user, chats(dify)[0]!.user, 'its own AI-side user')
  assert.ok(asked.conversation_id === undefined || asked.conversation_id === '', 'not the room\'s conversation')
  assert.deepEqual((await api('GET', '/api/admin/polls')).body.polls, [], 'a draft opens nothing')

  // Out of range: a clear refusal before the AI is asked.
  const before = chats(dify).length
  const bad = await api('POST', '/api/admin/polls/draft', { count: 50 })
  assert.equal(bad.status, 400)
  assert.equal(bad.body.error.code, 'ERR_VALIDATION')
  assert.equal(chats(dify).length, before)
})

test('a draft wrapped in prose is read; broken JSON is a clear 502 and nothing half-made', async (t) => {
  const { dify, host, api } = await roomWithAi(t)
  const kim = await host.join('Kim')
  const a = await host.connect(kim.token)
  a.chat('@ai what is chlorophyll?', 'q1')
  await a.waitType('ai_message_end', 1, 10_000)

  dify.setScenario('quiz-prose')
  const prose = await api('POST', '/api/admin/polls/draft', { count: 3 })
  assert.equal(prose.status, 200, JSON.stringify(prose.body))
  assert.equal(prose.body.drafts.length, 3)
  assert.deepEqual(prose.body.drafts[0], { question: 'Which gas do plants take in for photosynthesis?', options: ['Oxygen', 'Carbon dioxide', 'Nitrogen'], correct: [1] })

  dify.setScenario('quiz-broken')
  const broken = await api('POST', '/api/admin/polls/draft', { count: 3 })
  assert.equal(broken.status, 502)
  assert.equal(broken.body.error.code, 'ERR_AI_UPSTREAM')
  assert.match(broken.body.error.message, /did not answer with quiz questions/)
  assert.deepEqual((await api('GET', '/api/admin/polls')).body.polls, [])
})

test('the quiz parser keeps whole questions only, from any JSON-looking part of an answer', () => {
  assert.deepEqual(parseQuizDrafts(''), [])
  assert.deepEqual(parseQuizDrafts('I cannot help with that.'), [])
  assert.deepEqual(parseQuizDrafts('[{"question": "Q", "options": ["a", "b"], "correct": 1}]'), [{ question: 'Q', options: ['a', 'b'], correct: [1] }])
  // An object holding the list, letters and option texts as the answer, a fence with prose.
  assert.deepEqual(parseQuizDrafts('{"questions": [{"question": "Q", "options": ["a", "b", "c"], "answer": "C"}]}'), [{ question: 'Q', options: ['a', 'b', 'c'], correct: [2] }])
  assert.deepEqual(parseQuizDrafts('Here:\n```json\n[{"question": "Q", "choices": ["x", "y"], "correct": "y"}]\n```\nEnjoy'), [{ question: 'Q', options: ['x', 'y'], correct: [1] }])
  // Half-made questions are dropped: no options, one option, a correct index out of range, doubles.
  const mixed = JSON.stringify([
    { question: 'no options' },
    { question: 'one', options: ['a'], correct: 0 },
    { question: 'out of range', options: ['a', 'b'], correct: 5 },
    { question: 'doubles', options: ['a', 'a'], correct: 0 },
    { question: 'kept', options: ['a', 'b'], correct: 0 }
  ])
  assert.deepEqual(parseQuizDrafts(mixed), [{ question: 'kept', options: ['a', 'b'], correct: [0] }])
  assert.deepEqual(parseQuizDrafts('[{"question": "Q", "options": ["a", "b"], "correct": 0}, {"question": "R", "opt'), [])
})

test('the AI explains a closed result to the room, naming the wrong answer most chosen', async (t) => {
  const { dify, host, api } = await roomWithAi(t)
  const [kim, lee, max] = await Promise.all([host.join('Kim'), host.join('Lee'), host.join('Max')])
  const a = await host.connect(kim.token)
  const b = await host.connect(lee.token)
  const c = await host.connect(max.token)
  const created = await api('POST', '/api/admin/polls', { question: 'Which gas do plants take in?', kind: 'single', options: ['Oxygen', 'Carbon dioxide', 'Nitrogen'], correct: [1] })
  const id = created.body.poll_id as number
  await a.waitType('poll_update')
  a.send({ type: 'poll_answer', poll_id: id, choice: [0] })
  b.send({ type: 'poll_answer', poll_id: id, choice: [0] })
  c.send({ type: 'poll_answer', poll_id: id, choice: [1] })
  const detail = async () => (await api('GET', `/api/admin/polls/${id}`)).body as { total: number }
  for (let i = 0; i < 50 && (await detail()).total < 3; i++) await new Promise(resolve => setTimeout(resolve, 20))

  const early = await api('POST', `/api/admin/polls/${id}/explain`, {})
  assert.equal(early.status, 400, 'an open poll is not explained yet')
  assert.match(early.body.error.message, /Close the poll first/)
  await api('POST', `/api/admin/polls/${id}/close`, {})

  const res = await api('POST', `/api/admin/polls/${id}/explain`, {})
  assert.equal(res.status, 202, JSON.stringify(res.body))
  const replyId = res.body.message_id as number
  const [end] = await b.waitFor(f => f.type === 'ai_message_end' && f.id === replyId, 1, 10_000)
  assert.ok(end)
  const asked = chats(dify).at(-1)!.query
  assert.match(asked, /Which gas do plants take in\?/)
  assert.match(asked, /A\) Oxygen: 2 of 3/)
  assert.match(asked, /B\) Carbon dioxide: 1 of 3 \(correct\)/)
  assert.match(asked, /why B is right, and why A \("Oxygen"\)/)
  // The class sees what the AI was asked, as the host's message.
  const question = b.ofType('user_message').at(-1)!
  assert.equal(question.from_user, 'Host')
  assert.match(question.content, /The class answered our quiz question/)

  const text = await api('POST', '/api/admin/polls', { question: 'One word for today?', kind: 'open' })
  await api('POST', `/api/admin/polls/${text.body.poll_id as number}/close`, {})
  const refused = await api('POST', `/api/admin/polls/${text.body.poll_id as number}/explain`, {})
  assert.equal(refused.status, 400)
  assert.match(refused.body.error.message, /Only a poll with options/)
  assert.equal((await api('POST', '/api/admin/polls/999/explain', {})).status, 404)
})

test('the AI groups an open poll\'s answers into themes; only the class\'s answers are kept; the projector gets them on request', async (t) => {
  const { dify, host, api } = await roomWithAi(t)
  const [kim, lee, max] = await Promise.all([host.join('Kim'), host.join('Lee'), host.join('Max')])
  const sockets = await Promise.all([kim, lee, max].map(async p => await host.connect(p.token)))
  const created = await api('POST', '/api/admin/polls', { question: 'Where does a plant get its energy?', kind: 'open' })
  const id = created.body.poll_id as number
  const empty = await api('POST', `/api/admin/polls/${id}/group`, {})
  assert.equal(empty.status, 409, 'nothing to group yet')
  await sockets[0]!.waitType('poll_update')
  sockets[0]!.send({ type: 'poll_answer', poll_id: id, text: 'From sunlight' })
  sockets[1]!.send({ type: 'poll_answer', poll_id: id, text: 'light' })
  sockets[2]!.send({ type: 'poll_answer', poll_id: id, text: 'from the soil' })
  for (let i = 0; i < 50 && (await api('GET', `/api/admin/polls/${id}`)).body.total < 3; i++) await new Promise(resolve => setTimeout(resolve, 20))

  const res = await api('POST', `/api/admin/polls/${id}/group`, {})
  assert.equal(res.status, 200, JSON.stringify(res.body))
  assert.deepEqual(res.body.groups, [
    { theme: 'Light gives the energy', answers: ['From sunlight', 'light'], is_misconception: false },
    { theme: 'Plants eat soil', answers: ['from the soil'], is_misconception: true }
  ])
  const asked = chats(dify).at(-1)!.query
  assert.match(asked, /Where does a plant get its energy\?/)
  assert.match(asked, /- from the soil/)

  const { adminSocket } = await import('../helpers/admin.js')
  const screen = await adminSocket(t, host)
  const shown = await api('POST', `/api/admin/polls/${id}/groups/show`, { groups: res.body.groups })
  assert.equal(shown.status, 200)
  const [frame] = await screen.waitFor(f => (f as { type: string }).type === 'poll_groups')
  assert.deepEqual(frame, { type: 'poll_groups', poll_id: id, groups: res.body.groups })

  const choice = await api('POST', '/api/admin/polls', { question: 'Yes?', kind: 'single', options: ['Yes', 'No'] })
  assert.equal((await api('POST', `/api/admin/polls/${choice.body.poll_id as number}/group`, {})).status, 400)
})

test('grouping keeps only answers the class gave, each once', async () => {
  const { parseAnswerGroups } = await import('../../server/room/polls/quiz-draft.js')
  const text = JSON.stringify({
    groups: [
      { theme: 'A', answers: ['Sun', 'made up', 'sun'] },
      { theme: 'B', answers: ['sun', 'Soil'], misconception: true },
      { theme: 'Empty', answers: ['nobody said this'] }
    ]
  })
  assert.deepEqual(parseAnswerGroups(text, ['Sun', 'Soil']), [
    { theme: 'A', answers: ['Sun'], is_misconception: false },
    { theme: 'B', answers: ['Soil'], is_misconception: true }
  ])
  assert.deepEqual(parseAnswerGroups('not json', ['Sun']), [])
})
