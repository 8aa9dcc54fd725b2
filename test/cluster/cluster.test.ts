/**
 * The room across processes: one writer, three edges, real redis-server and nginx on loopback
 * (npm run cluster:local). The participant protocol through nginx, then faults in the middle of an
 * AI answer: an edge SIGKILLed, Redis restarted, the writer restarted, an edge stopped (SIGSTOP).
 * Skipped, saying why, where redis-server or nginx is not installed.
 */
import { after, before, describe, test } from 'node:test'
import assert from 'node:assert/strict'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { composeNginxConfig } from '../../server/cluster/nginx-config.js'
import { startFakeDify, type FakeDify } from '../helpers/fake-dify.js'
import { TestClient } from '../helpers/ws-client.js'
import { missingTools, seqs, shownText, sleep, startCluster, type Cluster } from './cluster.js'

const skip = missingTools()

/** A participant that reconnects through nginx with since= its last seq whenever its socket closes. */
class Resuming {
  readonly sockets: TestClient[] = []
  private isStopped = false
  /** where its first socket's hello said the room was */
  private baseline = 0
  readonly cluster: Cluster
  readonly token: string
  constructor (cluster: Cluster, token: string) { this.cluster = cluster; this.token = token }
  get frames (): TestClient['frames'] { return this.sockets.flatMap(s => s.frames) }
  lastSeq (): number { return Math.max(this.baseline, ...this.sockets.map(s => s.lastSeq())) }
  async start (base?: string): Promise<void> {
    const isFirst = this.sockets.length === 0
    const c = await this.cluster.connect(this.token, { ...(base !== undefined ? { base } : {}), ...(isFirst ? {} : { since: this.lastSeq() }) })
    if (isFirst) this.baseline = (c.frames[0] as { last_seq: number }).last_seq
    this.sockets.push(c)
    c.ws.once('close', () => { if (!this.isStopped) this.again().catch(() => {}) })
  }

  private async again (): Promise<void> {
    for (let attempt = 0; attempt < 50 && !this.isStopped; attempt++) {
      try { await this.start(); return } catch { await sleep(200) }
    }
  }

  /** Everything it saw as one client would show it (hello frames aside). */
  view (): TestClient { return { frames: this.frames } as unknown as TestClient }
  async stop (): Promise<void> { this.isStopped = true; for (const s of this.sockets) s.terminate() }
  async waitFor (pred: (f: TestClient['frames'][number]) => boolean, timeoutMs = 20_000): Promise<void> {
    const until = Date.now() + timeoutMs
    while (!this.frames.some(pred)) {
      if (Date.now() > until) throw new Error(`timed out; last frames: ${JSON.stringify(this.frames.slice(-3))}`)
      await sleep(25)
    }
  }
}

/** Asserts a strictly increasing seq list without doubles. */
function assertNoDouble (list: number[], who: string): void {
  for (let i = 1; i < list.length; i++) assert.ok(list[i]! > list[i - 1]!, `${who}: seq ${list[i]} after ${list[i - 1]}`)
}

describe('the room on a writer and three edges behind nginx', { skip: skip ?? false, timeout: 280_000 }, () => {
  let dify: FakeDify
  let cluster: Cluster
  let dataDir: string

  before(async () => {
    dify = await startFakeDify({ tokenDelayMs: 30 })
    dataDir = mkdtempSync(join(tmpdir(), 'mindweb-cluster-'))
    cluster = await startCluster({ dataDir, edges: 3, env: { DIFY_API_URL: dify.url, DIFY_API_KEY: dify.apiKey } })
  })
  after(async () => {
    await cluster?.stop()
    await dify?.close()
    rmSync(dataDir, { recursive: true, force: true })
  })

  /** Three participants, one socket on each edge. */
  async function threeOnThreeEdges (prefix: string, since?: number): Promise<{ tokens: string[], clients: TestClient[] }> {
    const tokens: string[] = []
    const clients: TestClient[] = []
    for (const [i, edge] of cluster.edges.entries()) {
      const p = await cluster.join(`${prefix}${i}`)
      tokens.push(p.token)
      clients.push(await cluster.connect(p.token, { base: edge.url, ...(since !== undefined ? { since } : {}) }))
    }
    return { tokens, clients }
  }

  test('clients on different edges see one seq order, dedupe, presence and the AI streaming', async () => {
    const { tokens, clients } = await threeOnThreeEdges('order', 0)
    const [a, b, c] = clients as [TestClient, TestClient, TestClient]
    // presence covers every edge: each one's hello or later frames count the three
    const users = await (await fetch(`${cluster.url}/api/users`, { headers: { authorization: `Bearer ${tokens[0]}` } })).json() as { users: Array<{ username: string, online: boolean }> }
    for (const n of ['order0', 'order1', 'order2']) assert.equal(users.users.find(u => u.username === n)?.online, true, `${n} online`)
    await a.waitFor(f => f.type === 'presence' && f.online_count >= 3, 1, 10_000)

    for (let i = 0; i < 5; i++) { a.chat(`a${i}`, `a-${i}`); b.chat(`b${i}`, `b-${i}`); c.chat(`c${i}`, `c-${i}`) }
    for (const cl of clients) await cl.waitFor(f => f.type === 'user_message' && /^[abc]\d$/.test(f.content), 15, 10_000)
    const lists = clients.map(cl => seqs(cl))
    assertNoDouble(lists[0]!, 'a')
    assert.deepEqual(lists[1], lists[0], 'b saw the same seqs as a')
    assert.deepEqual(lists[2], lists[0], 'c saw the same seqs as a')
    // every sender gets its own client_msg_id back
    assert.equal(a.ofType('user_message').filter(m => m.client_msg_id?.startsWith('a-') === true).length, 5)

    // a resend is not posted again: the sender gets the original, nobody else anything
    const original = a.ofType('user_message').find(m => m.client_msg_id === 'a-0')!
    a.chat('a0 again', 'a-0')
    await a.waitFor(f => f.type === 'user_message' && f.client_msg_id === 'a-0', 2)
    assert.equal(a.ofType('user_message').filter(m => m.client_msg_id === 'a-0')[1]!.seq, original.seq)
    await sleep(300)
    assert.equal(b.ofType('user_message').length, 15)

    // the AI answer streams to all three edges and ends with the same text
    b.chat('@ai what is a cluster?', 'b-ai')
    const ends = await Promise.all(clients.map(async cl => (await cl.waitType('ai_message_end', 1, 20_000))[0]!))
    for (const e of ends) assert.equal(e.content, ends[0]!.content)
    for (const cl of clients) assert.equal(shownText(cl, ends[0]!.id).text, ends[0]!.content, 'deltas add up to the final text')
    // a's list also holds the original it got back for its resend
    assert.deepEqual(seqs(c), seqs(b))
    assert.deepEqual([...new Set(seqs(a))].sort((x, y) => x - y), seqs(b))
    assert.equal(seqs(a).length, seqs(b).length + 1)
    for (const cl of clients) await cl.close()
  })

  test('a participant resumes with since= on another edge and misses nothing', async () => {
    const { clients, tokens } = await threeOnThreeEdges('resume', 0)
    const [a, b] = clients as [TestClient, TestClient, TestClient]
    a.chat('before', 'r1')
    await b.waitFor(f => f.type === 'user_message' && f.content === 'before')
    await a.waitFor(f => f.type === 'user_message' && f.content === 'before')
    const last = a.lastSeq()
    await a.close()
    for (let i = 0; i < 3; i++) b.chat(`while away ${i}`, `w${i}`)
    await b.waitFor(f => f.type === 'user_message' && f.content === 'while away 2')
    const back = await cluster.connect(tokens[0]!, { base: cluster.edges[2]!.url, since: last })
    await back.waitFor(f => f.type === 'user_message' && f.content === 'while away 2')
    const missed = seqs(b).filter(s => s > last)
    assert.deepEqual(seqs(back), missed)
    for (const cl of [back, ...clients.slice(1)]) await cl.close()
  })

  test('the teacher\'s gate across edges: a question waits, a vote from another edge counts, approval answers', async () => {
    const admin = { authorization: `Bearer ${cluster.adminToken}`, 'content-type': 'application/json' }
    assert.equal((await fetch(`${cluster.writer.url}/api/admin/ai-mode`, { method: 'PUT', headers: admin, body: JSON.stringify({ ai_mode: 'approve' }) })).status, 200)
    try {
      const { clients } = await threeOnThreeEdges('gate')
      const [asker, voter, watcher] = clients as [TestClient, TestClient, TestClient]
      asker.chat('@ai why is the sky blue?', 'gate-q')
      const [pending] = await watcher.waitFor(f => f.type === 'question_update' && f.status === 'pending', 1, 10_000) as Array<{ message_id: number }>
      voter.send({ type: 'vote', message_id: pending!.message_id, up: true })
      await watcher.waitFor(f => f.type === 'question_update' && f.votes === 1, 1, 10_000)
      assert.equal(watcher.frames.some(f => f.type === 'ai_message_start'), false, 'no answer before the host decides')
      assert.equal((await fetch(`${cluster.writer.url}/api/admin/questions/${pending!.message_id}/approve`, { method: 'POST', headers: admin, body: '{}' })).status, 200)
      const ends = await Promise.all(clients.map(async c => (await c.waitType('ai_message_end', 1, 20_000))[0]!))
      for (const e of ends) assert.equal(e.reply_to, pending!.message_id)
      assert.deepEqual(seqs(voter), seqs(asker))
      assert.deepEqual(seqs(watcher), seqs(asker))
      for (const c of clients) await c.close()
    } finally {
      await fetch(`${cluster.writer.url}/api/admin/ai-mode`, { method: 'PUT', headers: admin, body: JSON.stringify({ ai_mode: 'mention' }) })
    }
  })

  test('an edge refuses a forged token (401) and a foreign Origin (403), as the single host does', async () => {
    const forged = new TestClient(cluster.wsUrl(cluster.url, 'not-a-token'))
    await assert.rejects(forged.opened(), (e: { statusCode?: number }) => e.statusCode === 401)
    const p = await cluster.join('origin')
    const foreign = new TestClient(cluster.wsUrl(cluster.edges[0]!.url, p.token), { origin: 'http://evil.example' })
    await assert.rejects(foreign.opened(), (e: { statusCode?: number }) => e.statusCode === 403)
  })

  test('every role serves /metrics: edges their sockets, frames, lag and reconnects, the writer its appends', async () => {
    const edge = await (await fetch(`${cluster.edges[0]!.url}/metrics`)).text()
    for (const name of ['mindweb_ws_connections', 'mindweb_edge_frames_in_total', 'mindweb_edge_stream_lag_seconds', 'mindweb_redis_reconnects_total', 'mindweb_ws_writes_total']) assert.match(edge, new RegExp(`^${name} `, 'm'))
    assert.match(edge, /^mindweb_edge_frames_in_total [1-9]/m)
    const writer = await (await fetch(`${cluster.writer.url}/metrics`)).text()
    assert.match(writer, /^mindweb_cluster_stream_appends_total [1-9]/m)
    assert.match(writer, /^mindweb_cluster_remote_sockets /m)
    assert.equal((await fetch(`${cluster.url}/metrics`)).status, 404, 'nginx does not expose /metrics')
  })

  test('kick closes the socket on whichever edge holds it', async () => {
    const p = await cluster.join('kicked')
    const c = await cluster.connect(p.token, { base: cluster.edges[1]!.url })
    // the console is on the writer's own address (nginx does not expose /api/admin)
    assert.equal((await fetch(`${cluster.url}/api/admin/participants`)).status, 404)
    const res = await fetch(`${cluster.writer.url}/api/admin/participants/${p.user_id}/kick`, { method: 'POST', headers: { authorization: `Bearer ${cluster.adminToken}` } })
    assert.equal(res.status, 200)
    assert.equal(await c.waitClose(10_000), 4001)
    assert.ok(c.frames.some(f => f.type === 'error' && f.code === 'ERR_REMOVED'))
  })

  test('an edge SIGKILLed mid-answer: its clients resume through nginx, miss nothing, end with the same text', async () => {
    const victim = cluster.edges[0]!
    const people = await Promise.all([0, 1, 2, 3].map(async i => await cluster.join(`kill${i}`)))
    const rs = people.map(p => new Resuming(cluster, p.token))
    // two on the edge that dies, two on the others
    await rs[0]!.start(victim.url)
    await rs[1]!.start(victim.url)
    await rs[2]!.start(cluster.edges[1]!.url)
    await rs[3]!.start(cluster.edges[2]!.url)
    const asker = await cluster.connect(people[3]!.token, { base: cluster.edges[2]!.url })
    asker.chat('@ai tell me a long story [[delay:60]]', 'kill-ai')
    await rs[0]!.waitFor(f => f.type === 'ai_message_chunk')
    const linesBefore = cluster.lineCount
    process.kill(victim.pid, 'SIGKILL')
    await rs[0]!.waitFor(f => f.type === 'ai_message_end', 30_000)
    for (const r of rs) await r.waitFor(f => f.type === 'ai_message_end', 30_000)
    const end = rs[2]!.frames.find(f => f.type === 'ai_message_end') as { id: number, content: string }
    assert.ok(rs.every(r => !r.frames.some(f => f.type === 'ai_message_end' && f.id !== end.id)), 'only this answer was seen')
    for (const [i, r] of rs.entries()) {
      const shown = shownText(r.view(), end.id)
      assert.equal(shown.ended, end.content, `client ${i} ended with the same text`)
      assert.equal(shown.text, end.content, `client ${i} showed the same text`)
    }
    assert.ok(rs[0]!.sockets.length >= 2, 'the victim\'s client reconnected')
    const reference = seqs(rs[2]!.view())
    for (const r of rs) {
      const list = seqs(r.view())
      assertNoDouble(list, 'resumed client')
      assert.deepEqual(list, reference)
    }
    for (const r of rs) await r.stop()
    await asker.close()
    await cluster.waitLine(/^edge pid=/, linesBefore) // the launcher started it again
  })

  test('Redis restarted mid-answer: sockets stay open and every client ends with the whole answer', async () => {
    const { clients } = await threeOnThreeEdges('redis')
    clients[0]!.chat('@ai explain streams [[delay:60]]', 'redis-ai')
    await clients[2]!.waitType('ai_message_chunk', 1, 10_000)
    const linesBefore = cluster.lineCount
    process.kill(cluster.redis.pid, 'SIGTERM')
    await cluster.waitLine(/^redis pid=/, linesBefore)
    const ends = await Promise.all(clients.map(async c => (await c.waitType('ai_message_end', 1, 30_000))[0]!))
    for (const [i, c] of clients.entries()) {
      assert.equal(c.closeCode, null, `client ${i} kept its socket`)
      assert.equal(shownText(c, ends[0]!.id).text, ends[0]!.content, `client ${i} showed the whole answer once`)
    }
    assert.deepEqual(seqs(clients[1]!), seqs(clients[0]!))
    assert.deepEqual(seqs(clients[2]!), seqs(clients[0]!))
    // and the room goes on
    clients[1]!.chat('after redis', 'after-redis')
    for (const c of clients) await c.waitFor(f => f.type === 'user_message' && f.content === 'after redis', 1, 10_000)
    for (const c of clients) await c.close()
  })

  test('the writer SIGKILLed mid-answer: edges keep their sockets, get the interrupted answer, and count everyone again', async () => {
    const { clients, tokens } = await threeOnThreeEdges('writer')
    clients[0]!.chat('before the writer restarts @ai [[delay:60]]', 'wr-1')
    for (const c of clients) await c.waitType('ai_message_chunk', 1, 10_000)
    const linesBefore = cluster.lineCount
    process.kill(cluster.writer.pid, 'SIGKILL')
    // a post sent while no writer runs waits in the inbound stream
    await sleep(100)
    clients[1]!.chat('while the writer is down', 'wr-down')
    await cluster.waitLine(/^writer pid=/, linesBefore)
    for (const c of clients) await c.waitFor(f => f.type === 'user_message' && f.content === 'while the writer is down', 1, 45_000)
    // the new writer streams what the old one saved but never streamed: the answer, interrupted
    for (const c of clients) {
      const [failed] = await c.waitType('ai_message_error', 1, 15_000)
      assert.equal(failed!.status, 'interrupted')
      const shown = shownText(c, failed!.id)
      assert.ok(failed!.content.startsWith(shown.text), 'it keeps at least what everyone saw')
    }
    clients[2]!.chat('after the writer restarted', 'wr-2')
    for (const c of clients) await c.waitFor(f => f.type === 'user_message' && f.content === 'after the writer restarted', 1, 45_000)
    for (const [i, c] of clients.entries()) assert.equal(c.closeCode, null, `client ${i} kept its socket`)
    assert.deepEqual(seqs(clients[1]!), seqs(clients[0]!))
    assert.deepEqual(seqs(clients[2]!), seqs(clients[0]!))
    const users = await (await fetch(`${cluster.url}/api/users`, { headers: { authorization: `Bearer ${tokens[0]}` } })).json() as { users: Array<{ username: string, online: boolean }> }
    for (const n of ['writer0', 'writer1', 'writer2']) assert.equal(users.users.find(u => u.username === n)?.online, true, `${n} counted online again`)
    for (const c of clients) await c.close()
  })

  test('a stopped edge does not slow the others, and catches up when it runs again', async () => {
    const { clients } = await threeOnThreeEdges('slow')
    const stopped = cluster.edges[1]!
    process.kill(stopped.pid, 'SIGSTOP')
    try {
      const sentAt = Date.now()
      clients[0]!.chat('while one edge is stopped', 'slow-1')
      await clients[2]!.waitFor(f => f.type === 'user_message' && f.content === 'while one edge is stopped', 1, 5000)
      const took = Date.now() - sentAt
      assert.ok(took < 1500, `the running edge delivered in ${took} ms`)
      assert.equal(clients[1]!.frames.some(f => f.type === 'user_message' && f.content === 'while one edge is stopped'), false)
    } finally {
      process.kill(stopped.pid, 'SIGCONT')
    }
    for (const c of clients) await c.waitFor(f => f.type === 'user_message' && f.content === 'while one edge is stopped', 1, 10_000)
    assert.deepEqual(seqs(clients[1]!), seqs(clients[0]!))
    assert.deepEqual(seqs(clients[2]!), seqs(clients[0]!))
    for (const c of clients) await c.close()
  })
})

if (skip !== null) test(`cluster suite skipped: ${skip}`, { skip }, () => {})

test('deploy/nginx.conf is the template rendered for compose.yaml', () => {
  const root = join(import.meta.dirname, '..', '..')
  assert.equal(readFileSync(join(root, 'deploy', 'nginx.conf'), 'utf8'), composeNginxConfig(root), 'run the template through composeNginxConfig again after editing it')
})
