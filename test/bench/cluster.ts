/**
 * `npm run bench -- --case cluster [--edges N] [--participants P] [--posts K] [--rate R]`: the
 * room on a writer and N edges behind nginx (npm run cluster:local, real redis-server and nginx).
 * P participants join through nginx and connect through it (least_conn spreads them over the
 * edges); one of them posts K messages at R a second, each stamped with its send time; every
 * socket records when each arrives. Reports the end-to-end latency (send to every delivery, p50 and
 * p99), and from /proc the CPU each process used while the posts flowed: the writer's per post,
 * the edges' per delivery, and Redis's in total. Bounded: every wait has a deadline, and the
 * cluster is stopped at the end. docs/scale-out.md builds its model on these numbers.
 */
import { readFileSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import WebSocket from 'ws'
import { startFakeDify } from '../helpers/fake-dify.js'
import { startCluster } from '../cluster/cluster.js'
import { Histogram } from './stats.js'

export interface ClusterBenchOptions {
  edges: number
  participants: number
  posts: number
  /** posts a second */
  rate: number
  timeoutMs: number
}

export interface ClusterBenchResult {
  case: 'cluster'
  edges: number
  participants: number
  posts: number
  deliveries: number
  expected: number
  p50Ms: number
  p99Ms: number
  maxMs: number
  writerCpuMs: number
  edgesCpuMs: number
  redisCpuMs: number
  nginxCpuMs: number
  writerMsPerPost: number
  edgeUsPerDelivery: number
  redisMsPerPost: number
}

/** CPU time a process and its threads used so far, ms (utime + stime from /proc). */
function cpuMs (pid: number): number {
  try {
    const f = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ')
    return (Number(f[11]) + Number(f[12])) * 10
  } catch {
    return 0
  }
}

/** nginx's master and workers (the workers are its children). */
function nginxPids (master: number): number[] {
  try {
    const kids = readFileSync(`/proc/${master}/task/${master}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number)
    return [master, ...kids]
  } catch {
    return [master]
  }
}

const sleep = async (ms: number): Promise<void> => { await new Promise(resolve => setTimeout(resolve, ms)) }

/** Runs the case once. */
export async function runClusterBench (o: ClusterBenchOptions): Promise<ClusterBenchResult> {
  const dify = await startFakeDify({})
  const dataDir = mkdtempSync(join(tmpdir(), 'mindweb-bench-cluster-'))
  const cluster = await startCluster({ dataDir, edges: o.edges, env: { DIFY_API_URL: dify.url, DIFY_API_KEY: dify.apiKey } })
  const sockets: WebSocket[] = []
  try {
    const deadline = Date.now() + o.timeoutMs
    const latencies = new Histogram()
    const got = { deliveries: 0 }
    let poster: WebSocket | null = null
    for (let i = 0; i < o.participants; i += 50) {
      const batch = await Promise.all(Array.from({ length: Math.min(50, o.participants - i) }, async (_x, k) => {
        const p = await cluster.join(`bench${i + k}`)
        const ws = new WebSocket(cluster.wsUrl(cluster.url, p.token))
        ws.on('message', (data: Buffer) => {
          // `"content":"t=<ms>"` marks a bench post; everything else is ignored cheaply.
          const at = data.indexOf('"content":"t=')
          if (at < 0) return
          const sent = Number(data.toString('latin1', at + 13, data.indexOf('"', at + 13)))
          latencies.add(Date.now() - sent)
          got.deliveries++
        })
        await new Promise<void>((resolve, reject) => { ws.once('open', () => resolve()); ws.once('error', reject) })
        return ws
      }))
      sockets.push(...batch)
      if (Date.now() > deadline) throw new Error('connecting took too long')
    }
    poster = sockets[0]!
    await sleep(1000)
    const pids = { writer: cluster.writer.pid, edges: cluster.edges.map(e => e.pid), redis: cluster.redis.pid, nginx: nginxPids(cluster.nginx.pid) }
    const before = { writer: cpuMs(pids.writer), edges: pids.edges.map(cpuMs), redis: cpuMs(pids.redis), nginx: pids.nginx.map(cpuMs) }
    const gap = 1000 / o.rate
    const startedAt = Date.now()
    for (let k = 0; k < o.posts; k++) {
      const due = startedAt + k * gap
      if (due > Date.now()) await sleep(due - Date.now())
      poster.send(JSON.stringify({ type: 'chat', content: `t=${Date.now()}`, client_msg_id: `b${k}` }))
    }
    const expected = o.posts * o.participants
    while (got.deliveries < expected && Date.now() < deadline) await sleep(50)
    const deliveries = got.deliveries
    const after = { writer: cpuMs(pids.writer), edges: pids.edges.map(cpuMs), redis: cpuMs(pids.redis), nginx: pids.nginx.map(cpuMs) }
    const sum = (a: number[]): number => a.reduce((x, y) => x + y, 0)
    const writerCpuMs = after.writer - before.writer
    const edgesCpuMs = sum(after.edges) - sum(before.edges)
    const redisCpuMs = after.redis - before.redis
    const nginxCpuMs = sum(after.nginx) - sum(before.nginx)
    return {
      case: 'cluster',
      edges: o.edges,
      participants: o.participants,
      posts: o.posts,
      deliveries,
      expected,
      p50Ms: round(latencies.quantile(0.5)),
      p99Ms: round(latencies.quantile(0.99)),
      maxMs: round(latencies.max),
      writerCpuMs,
      edgesCpuMs,
      redisCpuMs,
      nginxCpuMs,
      writerMsPerPost: round(writerCpuMs / o.posts),
      edgeUsPerDelivery: round(edgesCpuMs * 1000 / Math.max(1, deliveries)),
      redisMsPerPost: round(redisCpuMs / o.posts)
    }
  } finally {
    for (const ws of sockets) ws.terminate()
    await cluster.stop()
    await dify.close()
    rmSync(dataDir, { recursive: true, force: true })
  }
}

const round = (n: number): number => Math.round(n * 100) / 100

/** One readable line. */
export function clusterLine (r: ClusterBenchResult): string {
  return `cluster: ${r.edges} edge(s), ${r.participants} participants, ${r.posts} posts: delivered ${r.deliveries}/${r.expected}, p50 ${r.p50Ms} ms, p99 ${r.p99Ms} ms, max ${r.maxMs} ms; ` +
    `writer ${r.writerMsPerPost} ms CPU/post, edges ${r.edgeUsPerDelivery} µs CPU/delivery, Redis ${r.redisMsPerPost} ms CPU/post, nginx ${r.nginxCpuMs} ms CPU in all`
}
