import { startAiHost } from '../helpers/ai-host.js'
import { test, type TestContext } from 'node:test'
import assert from 'node:assert/strict'
import { type TestHost } from '../helpers/host.js'
import { admin, adminSocket } from '../helpers/admin.js'

const aiHost = async (t: TestContext, dataDir?: string): Promise<TestHost> => (await startAiHost(t, dataDir !== undefined ? { dataDir } : {})).host

test('participants rate an answer once each; the console gets the counts live; most confused first; the export carries them', async (t) => {
  const host = await aiHost(t)
  const api = admin(host)
  const console = await adminSocket(t, host)
  const people = await Promise.all(['Ann', 'Ben', 'Cy'].map(n => host.join(n)))
  const [a, b, c] = await Promise.all(people.map(p => host.connect(p.token)))
  a!.chat('@ai one?', 'q1')
  const [end1] = await a!.waitFor(f => f.type === 'ai_message_end', 1, 10_000)
  a!.chat('@ai two?', 'q2')
  const ends = await a!.waitFor(f => f.type === 'ai_message_end', 2, 10_000)
  const first = (end1 as { id: number }).id
  const second = (ends[1] as { id: number }).id

  a!.send({ type: 'feedback', message_id: first, rating: 'helpful' })
  b!.send({ type: 'feedback', message_id: first, rating: 'confused' })
  c!.send({ type: 'feedback', message_id: second, rating: 'confused' })
  b!.send({ type: 'feedback', message_id: second, rating: 'confused' })
  // Changing one's mind replaces the rating; it does not add a second one.
  a!.send({ type: 'feedback', message_id: first, rating: 'confused' })
  a!.send({ type: 'feedback', message_id: first, rating: 'helpful' })
  // Sockets are read side by side: each answer's last update holds its counts.
  const updates = await console.waitFor(f => (f as any).type === 'feedback_update', 6, 5000)
  const last = (id: number): unknown => updates.filter(f => (f as any).message_id === id).at(-1)
  assert.deepEqual(last(first), { type: 'feedback_update', message_id: first, helpful: 1, confused: 1 })
  assert.deepEqual(last(second), { type: 'feedback_update', message_id: second, helpful: 0, confused: 2 })
  const listed = await api('GET', '/api/admin/feedback')
  assert.equal(listed.status, 200)
  assert.deepEqual(listed.body.answers, [
    { message_id: second, helpful: 0, confused: 2 },
    { message_id: first, helpful: 1, confused: 1 }
  ])
  // Taking it back.
  c!.send({ type: 'feedback', message_id: second, rating: null })
  await console.waitFor(f => (f as any).type === 'feedback_update' && (f as any).message_id === second && (f as any).confused === 1, 1, 5000)

  // A reload shows each participant their own rating.
  const history = await host.api('GET', '/api/messages', { token: people[1]!.token })
  const mine = Object.fromEntries(history.body.messages.filter((m: any) => m.my_feedback !== undefined).map((m: any) => [m.id, m.my_feedback]))
  assert.deepEqual(mine, { [first]: 'confused', [second]: 'confused' })

  const exported = await api('GET', '/api/admin/export?format=json')
  const doc = typeof exported.body === 'string' ? JSON.parse(exported.body) : exported.body
  const exportedFirst = doc.messages.find((m: any) => m.id === first)
  assert.deepEqual(exportedFirst.feedback, { helpful: 1, confused: 1 })
  assert.equal(doc.messages.find((m: any) => m.role === 'user').feedback, undefined)
})

test('a rating of what is not a written answer is refused with a clear error and stores nothing', async (t) => {
  const host = await aiHost(t)
  const ann = await host.join('Ann')
  const a = await host.connect(ann.token)
  a.chat('hello, no AI here', 'm1')
  const [posted] = await a.waitType('user_message')
  a.send({ type: 'feedback', message_id: (posted as { id: number }).id, rating: 'helpful' })
  a.send({ type: 'feedback', message_id: 999_999, rating: 'helpful' })
  a.send({ type: 'feedback', message_id: (posted as { id: number }).id, rating: 'great' })
  const errors = await a.waitType('error', 3)
  assert.match(errors[0]!.message, /not an AI answer/)
  assert.equal(errors[0]!.code, 'ERR_VALIDATION')
  assert.equal(errors[1]!.code, 'ERR_MESSAGE_NOT_FOUND')
  assert.equal(errors[2]!.code, 'ERR_VALIDATION')
  const listed = await admin(host)('GET', '/api/admin/feedback')
  assert.deepEqual(listed.body.answers, [])
})
