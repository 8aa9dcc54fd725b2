/**
 * The cluster as the tests see it: `npm run cluster:local`'s launcher as a child process (real
 * redis-server, nginx, writer and edges on loopback), its printed lines parsed into pids and URLs
 * and kept current as it starts killed processes again.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process'
import { join } from 'node:path'
import { freePort } from '../helpers/net.js'
import { TestClient } from '../helpers/ws-client.js'

const root = join(import.meta.dirname, '..', '..')

/** Why the cluster tests cannot run here, or null when they can. */
export function missingTools (): string | null {
  const missing = ['redis-server', 'nginx'].filter(bin => spawnSync('sh', ['-c', `command -v ${bin} || test -x /usr/sbin/${bin}`]).status !== 0)
  return missing.length === 0 ? null : `${missing.join(' and ')} not installed (Debian: apt-get install redis-server nginx)`
}

export interface Proc { pid: number, url: string }

export class Cluster {
  writer: Proc = { pid: 0, url: '' }
  edges: Proc[] = []
  redis = { pid: 0, port: 0 }
  nginx: Proc = { pid: 0, url: '' }
  readonly adminToken = 'cluster-test-admin-token-0123456789'
  private lines: string[] = []
  private readonly waiters = new Set<() => void>()

  readonly child: ChildProcess
  readonly port: number

  constructor (child: ChildProcess, port: number) {
    this.child = child
    this.port = port
    let buf = ''
    child.stdout!.on('data', (d: Buffer) => {
      buf += d.toString()
      let nl
      while ((nl = buf.indexOf('\n')) >= 0) {
        const line = buf.slice(0, nl)
        buf = buf.slice(nl + 1)
        this.onLine(line)
      }
    })
    child.stderr!.on('data', (d: Buffer) => { if (process.env.CLUSTER_TEST_VERBOSE !== undefined) process.stderr.write(d) })
  }

  private onLine (line: string): void {
    this.lines.push(line)
    let m
    if ((m = /^writer pid=(\d+) url=(\S+)$/.exec(line)) !== null) this.writer = { pid: Number(m[1]), url: m[2]! }
    else if ((m = /^edge pid=(\d+) url=(\S+)$/.exec(line)) !== null) {
      const p = { pid: Number(m[1]), url: m[2]! }
      const i = this.edges.findIndex(e => e.url === p.url)
      if (i >= 0) this.edges[i] = p
      else this.edges.push(p)
    } else if ((m = /^redis pid=(\d+) port=(\d+)$/.exec(line)) !== null) this.redis = { pid: Number(m[1]), port: Number(m[2]) }
    else if ((m = /^nginx pid=(\d+) url=(\S+)$/.exec(line)) !== null) this.nginx = { pid: Number(m[1]), url: m[2]! }
    for (const w of this.waiters) w()
  }

  /** Waits for a printed line matching `re` after the first `after` lines. */
  async waitLine (re: RegExp, after = 0, timeoutMs = 30_000): Promise<string> {
    return await new Promise((resolve, reject) => {
      const check = (): boolean => {
        const found = this.lines.slice(after).find(l => re.test(l))
        if (found !== undefined) { clearTimeout(timer); this.waiters.delete(check); resolve(found); return true }
        return false
      }
      const timer = setTimeout(() => { this.waiters.delete(check); reject(new Error(`no line ${re} in: ${this.lines.join(' | ')}`)) }, timeoutMs)
      if (!check()) this.waiters.add(check)
    })
  }

  get lineCount (): number { return this.lines.length }

  get url (): string { return this.nginx.url }

  wsUrl (base: string, token: string, since?: number): string {
    return `${base.replace(/^http/, 'ws')}/api/broadcast/ws?token=${token}${since !== undefined ? `&since=${since}` : ''}`
  }

  async join (username: string): Promise<{ token: string, user_id: number }> {
    const res = await fetch(`${this.url}/api/users/join`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username }) })
    if (res.status !== 200) throw new Error(`join ${res.status}: ${await res.text()}`)
    return await res.json() as { token: string, user_id: number }
  }

  /** A participant's socket to `base` (nginx by default); resolves after its hello. */
  async connect (token: string, o: { base?: string, since?: number } = {}): Promise<TestClient> {
    const c = new TestClient(this.wsUrl(o.base ?? this.url, token, o.since))
    await c.opened()
    await c.waitType('hello', 1, 10_000)
    return c
  }

  /** Stops the launcher (it stops everything it started). */
  async stop (): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return
    const done = new Promise<void>(resolve => this.child.once('exit', () => resolve()))
    this.child.kill('SIGTERM')
    const timer = setTimeout(() => this.child.kill('SIGKILL'), 15_000)
    await done
    clearTimeout(timer)
  }
}

/** Starts the launcher with a writer and `edges` edges; resolves once it printed `ready`. */
export async function startCluster (o: { dataDir: string, edges: number, env: Record<string, string>, args?: string[] }): Promise<Cluster> {
  const port = await freePort()
  const child = spawn(process.execPath, ['--import', 'tsx', join(root, 'server', 'cluster', 'launcher', 'cluster-local.ts'),
    '--port', String(port), '--edges', String(o.edges), '--data-dir', o.dataDir, '--admin-token', 'cluster-test-admin-token-0123456789', '--limits', 'off', '--log-level', 'warn', ...(o.args ?? [])], {
    cwd: root,
    env: { ...process.env, ...o.env },
    stdio: ['ignore', 'pipe', 'pipe']
  })
  const cluster = new Cluster(child, port)
  const exited = new Promise<never>((_resolve, reject) => child.once('exit', (code) => reject(new Error(`cluster:local exited with ${code}`))))
  await Promise.race([cluster.waitLine(/^ready /, 0, 90_000), exited])
  return cluster
}

/** Persisted seqs a client saw, in order. */
export function seqs (c: TestClient): number[] {
  const out: number[] = []
  for (const f of c.frames) if ('seq' in f && typeof f.seq === 'number') out.push(f.seq)
  return out
}

/** The text a client shows for reply `id`: deltas appended, snapshots and replaces replacing, the end winning. */
export function shownText (c: TestClient, id: number): { text: string, ended: string | null } {
  let text = ''
  let ended: string | null = null
  for (const f of c.frames) {
    if (f.type === 'ai_message_chunk' && f.id === id) text = f.snapshot === true ? f.content : text + f.content
    else if (f.type === 'ai_message_replace' && f.id === id) text = f.content
    else if ((f.type === 'ai_message_end' || f.type === 'ai_message_error') && f.id === id) ended = f.content
  }
  return { text, ended }
}

export const sleep = async (ms: number): Promise<void> => { await new Promise(resolve => setTimeout(resolve, ms)) }
