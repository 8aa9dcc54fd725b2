/**
 * Issue 14: a host killed with SIGKILL at any moment loses nothing a participant saw. The real host
 * runs as a child process with the fake Dify; participants (real ws clients) watch three answers
 * stream; the host is killed early, in the middle and near the end of them, restarted each time on
 * the same data dir, and every reply is checked against what every participant received.
 */
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { startFakeDify } from '../helpers/fake-dify.js'
import { longAnswer } from '../helpers/fake-dify/content.js'
import { tempDir } from '../helpers/temp-dir.js'
import { spawnHost, type HostProcess } from '../helpers/host-process.js'
import { TestClient } from '../helpers/ws-client.js'

type Host = HostProcess

async function api (host: Host, method: string, path: string, token?: string, body?: unknown): Promise<any> {
  const res = await fetch(host.url + path, {
    method,
    headers: { ...(token !== undefined ? { authorization: `Bearer ${token}` } : {}), ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {})
  })
  assert.equal(res.status, 200, `${method} ${path}`)
  return await res.json()
}

/** What one client has of reply `id`: the text assembled from deltas, snapshots and replaces; the end it got. */
function received (client: TestClient, id: number): { text: string, end: string | null } {
  let text = ''
  let end: string | null = null
  for (const f of client.frames) {
    if (f.type === 'ai_message_chunk' && f.id === id) text = f.snapshot === true ? f.content : text + f.content
    if (f.type === 'ai_message_replace' && f.id === id) text = f.content
    if ((f.type === 'ai_message_end' || f.type === 'ai_message_error') && f.id === id) { end = f.content; text = f.content }
  }
  return { text, end }
}

interface Round { moment: string, replyIds: number[], seen: Map<number, Array<{ text: string, end: string | null }>> }

test('SIGKILL early, midway and near the end: every reply keeps all any participant saw, is interrupted, seqs intact', { timeout: 150_000 }, async (t) => {
  const dify = await startFakeDify({ tokenDelayMs: 6, pingIntervalMs: 500 })
  t.after(() => dify.close())
  const dataDir = tempDir(t)
  const moments = [['early', 0.05], ['midway', 0.5], ['near the end', 0.9]] as const
  const rounds: Round[] = []
  let anyToken = ''

  /** After a restart: each reply of the last round against what its watchers received. */
  async function verify (host: Host, round: Round): Promise<void> {
    const { messages } = await api(host, 'GET', '/api/messages?since=0&limit=500', anyToken) as { messages: Array<{ id: number, content: string, status: string }> }
    let interrupted = 0
    for (const id of round.replyIds) {
      const stored = messages.find(m => m.id === id)
      assert.ok(stored !== undefined, `reply ${id} is stored`)
      const seen = round.seen.get(id)!
      const ended = seen.find(s => s.end !== null)
      if (ended !== undefined) {
        assert.equal(stored.status, 'complete', `${round.moment}: reply ${id} ended before the kill`)
        assert.equal(stored.content, ended.end)
      } else {
        assert.equal(stored.status, 'interrupted', `${round.moment}: reply ${id} is interrupted`)
        interrupted++
      }
      for (const s of seen) {
        assert.ok(stored.content.startsWith(s.text), `${round.moment}: reply ${id} stored ${stored.content.length} chars, a participant saw ${s.text.length}: ${JSON.stringify(s.text.slice(stored.content.length, stored.content.length + 40))} lost`)
      }
    }
    assert.ok(interrupted > 0, `${round.moment}: the kill came while answers streamed`)
  }

  for (const [moment, fraction] of moments) {
    const host = await spawnHost(t, { dataDir, dify, extraArgs: ['--limits', 'off'] })
    if (rounds.length > 0) await verify(host, rounds.at(-1)!)
    const people = await Promise.all([1, 2, 3, 4].map(async i => await api(host, 'POST', '/api/users/join', undefined, { username: `${moment} ${i}` }) as { token: string }))
    anyToken = people[0]!.token
    const clients = people.map(p => new TestClient(`${host.url.replace('http', 'ws')}/api/broadcast/ws?token=${p.token}`))
    for (const c of clients) t.after(() => c.terminate())
    await Promise.all(clients.map(async c => { await c.opened(); await c.waitType('hello') }))
    const isChat = (r: { path: string }): boolean => r.path.includes('/chat-messages')
    const asked = dify.requests.filter(isChat).length
    for (let i = 0; i < 3; i++) clients[i]!.chat(`@ai question ${i + 1} of the ${moment} round [[scenario:slow]]`, `${moment}-${i}`)
    const starts = await clients[3]!.waitType('ai_message_start', 3, 10_000)
    const replyIds = starts.map(s => s.id)
    // The full length of each answer, from the questions the fake Dify got: kill at `fraction` of the longest one.
    for (let waited = 0; dify.requests.filter(isChat).length < asked + 3; waited += 10) {
      assert.ok(waited < 10_000, 'the fake Dify got the three questions')
      await new Promise(resolve => setTimeout(resolve, 10))
    }
    const questions = dify.requests.filter(isChat).slice(asked, asked + 3)
    const total = Math.max(...questions.map(r => longAnswer(String((r.body as { query: string }).query).replace(/\[\[[a-z]+:[^\]]*\]\]/gi, '').replace(/[ \t]{2,}/g, ' ').trim()).length))
    const watcher = clients[3]!
    await watcher.waitFor(() => Math.max(...replyIds.map(id => received(watcher, id).text.length)) >= total * fraction, 1, 30_000)
    const exited = new Promise(resolve => host.child.once('exit', resolve))
    host.child.kill('SIGKILL')
    await exited
    await Promise.all(clients.map(async c => await c.waitClose(5000)))
    rounds.push({ moment, replyIds, seen: new Map(replyIds.map(id => [id, clients.map(c => received(c, id))])) })
  }

  const host = await spawnHost(t, { dataDir, dify, extraArgs: ['--limits', 'off'] })
  await verify(host, rounds.at(-1)!)
  // Replay from the beginning: every seq once, in order, none missing; each reply started and ended once.
  const replay = new TestClient(`${host.url.replace('http', 'ws')}/api/broadcast/ws?token=${anyToken}&since=0`)
  t.after(() => replay.terminate())
  await replay.opened()
  const [hello] = await replay.waitType('hello')
  await replay.waitFor(f => 'seq' in f && f.seq === hello!.last_seq, 1, 10_000)
  const seqs = replay.frames.filter(f => 'seq' in f && typeof f.seq === 'number').map(f => (f as { seq: number }).seq)
  assert.deepEqual(seqs, Array.from({ length: hello!.last_seq }, (_, i) => i + 1))
  for (const round of rounds) {
    for (const id of round.replyIds) {
      const ends = replay.frames.filter(f => (f.type === 'ai_message_end' || f.type === 'ai_message_error') && f.id === id)
      assert.equal(ends.length, 1, `reply ${id} ends once in the replay`)
      const end = ends[0] as { content: string }
      for (const s of round.seen.get(id)!) assert.ok(end.content.startsWith(s.text), `the replayed end of reply ${id} holds what was seen`)
    }
  }
  const exited = new Promise(resolve => host.child.once('exit', resolve))
  host.child.kill('SIGTERM')
  await exited
})
