/**
 * The host under test as a child process (`node --import tsx server/start.ts …`), so its CPU and RSS
 * are read from /proc apart from the generator's.
 */
import { spawn, type ChildProcess } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

export const ADMIN_TOKEN = 'bench-admin-token-0123456789abcdef'

export interface HostProcess {
  pid: number
  port: number
  /** resident set size now, bytes */
  rss (): number
  /** user + system CPU time so far, ms */
  cpuMs (): number
  /** the /metrics text */
  metrics (): Promise<string>
  stop (): Promise<void>
}

const CLOCK_TICKS = 100

/** `BENCH_CPU_PROF=<dir>`: the host and the generators write V8 CPU profiles there when they exit. */
export function cpuProfArgs (): string[] {
  const dir = process.env.BENCH_CPU_PROF
  return dir === undefined || dir === '' ? [] : ['--cpu-prof', '--cpu-prof-interval', '200', `--cpu-prof-dir=${dir}`]
}

/** Starts the host with limits off and a raised AI cap, pointed at `difyUrl`. */
export async function startHost (options: { root: string, difyUrl: string, aiConcurrency: number, extraArgs?: string[] }): Promise<HostProcess> {
  const dataDir = mkdtempSync(join(tmpdir(), 'mindweb-bench-'))
  const args = ['--import', 'tsx', ...cpuProfArgs(), 'server/start.ts', '--port', '0', '--host', '127.0.0.1', '--data-dir', dataDir, '--limits', 'off',
    '--ai-concurrency', String(options.aiConcurrency), '--log-level', 'warn', ...(options.extraArgs ?? [])]
  const child: ChildProcess = spawn('bash', ['-c', 'ulimit -n 65535 2>/dev/null || ulimit -n $(ulimit -Hn); exec "$0" "$@"', process.execPath, ...args], {
    cwd: options.root,
    env: { ...process.env, DIFY_API_URL: options.difyUrl, DIFY_API_KEY: 'app-bench-key', MINDWEB_ADMIN_TOKEN: ADMIN_TOKEN },
    stdio: ['ignore', 'pipe', 'pipe']
  })
  let out = ''
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`host did not start:\n${out}`)), 30_000)
    const onData = (d: Buffer): void => {
      out += d.toString('utf8')
      const m = /http:\/\/127\.0\.0\.1:(\d+)\//.exec(out)
      if (m !== null) { clearTimeout(timer); resolve(Number(m[1])) }
    }
    child.stdout!.on('data', onData)
    child.stderr!.on('data', onData)
    child.once('exit', code => { clearTimeout(timer); reject(new Error(`host exited ${code}:\n${out}`)) })
  })
  // Keep reading so the host never blocks on a full pipe; keep only errors.
  const errors: string[] = []
  child.stdout!.on('data', (d: Buffer) => { if (errors.length < 20 && /"level":(50|60)/.test(d.toString('utf8'))) errors.push(d.toString('utf8').slice(0, 500)) })
  child.stderr!.on('data', (d: Buffer) => { if (errors.length < 20) errors.push(d.toString('utf8').slice(0, 500)) })
  const pid = child.pid!
  let isExited = false
  let exitCode: number | null = null
  child.on('exit', code => { isExited = true; exitCode = code })
  return {
    pid,
    port,
    rss () {
      if (isExited) return 0
      const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))
      return m === null ? 0 : Number(m[1]) * 1024
    },
    cpuMs () {
      if (isExited) return 0
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
      return (Number(fields[11]) + Number(fields[12])) * 1000 / CLOCK_TICKS
    },
    async metrics () {
      const res = await fetch(`http://127.0.0.1:${port}/metrics`, { headers: { authorization: `Bearer ${ADMIN_TOKEN}` } })
      return await res.text()
    },
    async stop () {
      if (!isExited) {
        child.kill('SIGTERM')
        await new Promise<void>(resolve => {
          const t = setTimeout(() => { child.kill('SIGKILL'); resolve() }, 12_000)
          child.once('exit', () => { clearTimeout(t); resolve() })
        })
      }
      rmSync(dataDir, { recursive: true, force: true })
      if (exitCode !== null && exitCode !== 0) errors.push(`host exit code ${exitCode}`)
      if (errors.length > 0) process.stderr.write(`host said:\n${errors.join('\n')}\n`)
    }
  }
}

/** One value of a Prometheus text exposition (first sample whose name and labels start with `prefix`). */
export function metricValue (text: string, prefix: string): number {
  for (const line of text.split('\n')) {
    if (line.startsWith(prefix) && (line[prefix.length] === ' ' || line[prefix.length] === '{' || prefix.endsWith('}'))) {
      return Number(line.slice(line.lastIndexOf(' ') + 1))
    }
  }
  return NaN
}
