/**
 * `npm run cluster:local -- --port P --edges N --data-dir DIR [--admin-token T] [writer flags…]`:
 * the whole cluster on this machine's loopback, for tests and trials. Starts redis-server (AOF on,
 * a random password) and nginx (Debian's packages) from config files under DIR/cluster, one writer
 * and N edges on fixed free ports; prints one line per process, then `ready <nginx url>`. A process
 * that dies is started again on the same port (a new line says so: tests kill them on purpose).
 * SIGTERM or SIGINT stops everything it started. Any flag it does not know goes to the writer.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { mkdirSync, writeFileSync, existsSync } from 'node:fs'
import { createServer } from 'node:net'
import { join, resolve } from 'node:path'
import { renderNginxConfig } from '../nginx-config.js'

const root = resolve(import.meta.dirname, '..', '..', '..')

const USAGE = `Usage: npm run cluster:local -- --port P --edges N --data-dir DIR [--admin-token T] [writer flags, e.g. --limits off]
  --port P         nginx's port on 127.0.0.1 (the room's address)
  --edges N        fan-out edges to start (1-16, default 3)
  --data-dir DIR   the writer's data; DIR/cluster holds Redis's and nginx's files
  --admin-token T  the writer's admin token (its console is on the writer's own address)
DIFY_API_URL and DIFY_API_KEY are passed to the writer.`

interface Options { port: number, edges: number, dataDir: string, adminToken: string | null, writerArgs: string[] }

function parse (argv: string[]): Options {
  const o: Options = { port: -1, edges: 3, dataDir: '', adminToken: null, writerArgs: [] }
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!
    const value = (): string => {
      const v = argv[++i]
      if (v === undefined) throw new Error(`${a} needs a value\n\n${USAGE}`)
      return v
    }
    if (a === '--help' || a === '-h') { process.stdout.write(`${USAGE}\n`); process.exit(0) }
    if (a === '--port') o.port = Number(value())
    else if (a === '--edges') o.edges = Number(value())
    else if (a === '--data-dir') o.dataDir = resolve(value())
    else if (a === '--admin-token') o.adminToken = value()
    else if (a === '--role' || a === '--redis' || a === '--host') throw new Error(`${a} is set by the launcher\n\n${USAGE}`)
    else o.writerArgs.push(a)
  }
  if (!Number.isInteger(o.port) || o.port < 1 || o.port > 65535) throw new Error(`--port must be 1-65535\n\n${USAGE}`)
  if (!Number.isInteger(o.edges) || o.edges < 1 || o.edges > 16) throw new Error(`--edges must be 1-16\n\n${USAGE}`)
  if (o.dataDir === '') throw new Error(`--data-dir is required\n\n${USAGE}`)
  return o
}

async function freePort (): Promise<number> {
  return await new Promise((resolve, reject) => {
    const srv = createServer()
    srv.once('error', reject)
    srv.listen(0, '127.0.0.1', () => {
      const port = (srv.address() as { port: number }).port
      srv.close(() => resolve(port))
    })
  })
}

/** A process the launcher keeps running: started again (same command) when it dies on its own. */
interface Supervised {
  name: string
  child: ChildProcess | null
  start: () => Promise<void>
}

/** Everything started so far (stopped when the launch fails half way). */
const all: Supervised[] = []
let isStopping = false

async function main (): Promise<void> {
  const o = parse(process.argv.slice(2))
  for (const bin of ['redis-server', 'nginx']) {
    if (spawnSync('sh', ['-c', `command -v ${bin} || test -x /usr/sbin/${bin}`]).status !== 0) throw new Error(`${bin} is not installed (Debian: apt-get install redis-server nginx)`)
  }
  if (await isListening(o.port) || !await isFree(o.port)) throw new Error(`port ${o.port} is in use; choose another --port`)
  const dir = join(o.dataDir, 'cluster')
  for (const d of ['redis', 'nginx', 'nginx/temp', 'edges']) mkdirSync(join(dir, d), { recursive: true })
  const password = randomBytes(16).toString('hex')
  const redisPort = await freePort()
  const writerPort = await freePort()
  const edgePorts: number[] = []
  for (let i = 0; i < o.edges; i++) edgePorts.push(await freePort())
  const redisUrl = `redis://:${password}@127.0.0.1:${redisPort}`
  const adminToken = o.adminToken ?? randomBytes(24).toString('base64url')

  const redisConf = join(dir, 'redis', 'redis.conf')
  writeFileSync(redisConf, [
    'bind 127.0.0.1', `port ${redisPort}`, `requirepass ${password}`, `dir ${join(dir, 'redis')}`,
    'appendonly yes', 'appendfsync everysec', 'save ""', 'daemonize no', 'protected-mode yes', 'loglevel warning',
    `logfile ${join(dir, 'redis', 'redis.log')}`, ''
  ].join('\n'))
  const nginxConf = join(dir, 'nginx', 'nginx.conf')
  writeFileSync(nginxConf, renderNginxConfig({
    listen: `127.0.0.1:${o.port}`,
    edges: edgePorts.map(p => `127.0.0.1:${p}`),
    writer: `127.0.0.1:${writerPort}`,
    pidFile: join(dir, 'nginx', 'nginx.pid'),
    errorLog: join(dir, 'nginx', 'error.log'),
    accessLog: 'off',
    tempDir: join(dir, 'nginx', 'temp'),
    root
  }))

  const node = (args: string[], extraEnv: Record<string, string> = {}): ChildProcess => spawn(process.execPath, ['--import', 'tsx', join(root, 'server', 'start.ts'), ...args], {
    cwd: root,
    env: { ...process.env, ...extraEnv },
    stdio: ['ignore', 'pipe', 'pipe']
  })

  /** Starts a child; resolves when `readyLine` matches its output (or `probe` passes). */
  function supervise (name: string, line: (pid: number) => string, make: () => ChildProcess, isReady: (out: string) => boolean | Promise<boolean>): Supervised {
    const s: Supervised = {
      name,
      child: null,
      start: async () => {
        const child = make()
        s.child = child
        let out = ''
        child.stdout?.on('data', (d: Buffer) => { out += d.toString(); if (out.length > 20_000) out = out.slice(-10_000) })
        child.stderr?.on('data', (d: Buffer) => { out += d.toString(); process.stderr.write(`[${name}] ${d.toString()}`) })
        child.once('exit', (code, signal) => {
          if (isStopping) return
          process.stderr.write(`[${name}] exited (${signal ?? code}); starting it again\n`)
          setTimeout(() => { s.start().catch((err: unknown) => { process.stderr.write(`[${name}] could not start again: ${String(err)}\n`) }) }, 300)
        })
        const startedAt = Date.now()
        for (;;) {
          if (await isReady(out)) break
          if (child.exitCode !== null || child.signalCode !== null) throw new Error(`${name} exited while starting:\n${out}`)
          if (Date.now() - startedAt > 30_000) throw new Error(`${name} did not start within 30 s:\n${out}`)
          await new Promise(resolve => setTimeout(resolve, 50))
        }
        process.stdout.write(`${line(child.pid ?? 0)}\n`)
      }
    }
    all.push(s)
    return s
  }

  const redis = supervise('redis', pid => `redis pid=${pid} port=${redisPort}`,
    () => spawn('redis-server', [redisConf], { stdio: ['ignore', 'pipe', 'pipe'] }),
    async () => spawnSync('redis-cli', ['-p', String(redisPort), '-a', password, '--no-auth-warning', 'ping'], { encoding: 'utf8' }).stdout.trim() === 'PONG')
  await redis.start()

  const writerEnv: Record<string, string> = {}
  for (const k of ['DIFY_API_URL', 'DIFY_API_KEY']) if (process.env[k] !== undefined) writerEnv[k] = process.env[k]
  const writer = supervise('writer', pid => `writer pid=${pid} url=http://127.0.0.1:${writerPort}`,
    () => node(['--role', 'writer', '--redis', redisUrl, '--host', '127.0.0.1', '--port', String(writerPort), '--data-dir', o.dataDir, '--trust-proxy', '--admin-token', adminToken, ...o.writerArgs], writerEnv),
    out => out.includes(`:${writerPort}/`))
  await writer.start()

  for (const [i, port] of edgePorts.entries()) {
    const edge = supervise(`edge${i + 1}`, pid => `edge pid=${pid} url=http://127.0.0.1:${port}`,
      () => node(['--role', 'edge', '--redis', redisUrl, '--host', '127.0.0.1', '--port', String(port), '--data-dir', join(dir, 'edges', String(i + 1)), '--trust-proxy', '--admin-token', adminToken, '--log-level', 'warn']),
      out => out.includes(`:${port}/`))
    await edge.start()
  }

  const nginx = supervise('nginx', pid => `nginx pid=${pid} url=http://127.0.0.1:${o.port}`,
    () => spawn(existsSync('/usr/sbin/nginx') ? '/usr/sbin/nginx' : 'nginx', ['-e', join(dir, 'nginx', 'error.log'), '-p', join(dir, 'nginx'), '-c', nginxConf, '-g', 'daemon off;'], { stdio: ['ignore', 'pipe', 'pipe'] }),
    async () => await isListening(o.port))
  await nginx.start()
  process.stdout.write(`ready http://127.0.0.1:${o.port}\n`)

  const stop = (): void => {
    if (isStopping) return
    isStopping = true
    // Front to back: nginx, the edges, the writer (it flushes to Redis), then Redis.
    const order = [...all].reverse().filter(s => s.name !== 'redis')
    for (const s of order) s.child?.kill('SIGTERM')
    const waitAll = Promise.all(order.map(async s => await exited(s.child)))
    const force = setTimeout(() => { for (const s of all) s.child?.kill('SIGKILL'); process.exit(1) }, 12_000)
    waitAll.then(async () => {
      redis.child?.kill('SIGTERM')
      await exited(redis.child)
      clearTimeout(force)
      process.exit(0)
    }, () => process.exit(1))
  }
  process.on('SIGTERM', stop)
  process.on('SIGINT', stop)
}

async function exited (child: ChildProcess | null): Promise<void> {
  if (child === null || child.exitCode !== null || child.signalCode !== null) return
  await new Promise<void>(resolve => child.once('exit', () => resolve()))
}

async function isFree (port: number): Promise<boolean> {
  return await new Promise((resolve) => {
    const srv = createServer()
    srv.once('error', () => resolve(false))
    srv.listen(port, '127.0.0.1', () => srv.close(() => resolve(true)))
  })
}

async function isListening (port: number): Promise<boolean> {
  try {
    const res = await fetch(`http://127.0.0.1:${port}/healthz`)
    return res.status === 200
  } catch {
    return false
  }
}

main().catch((err: unknown) => {
  isStopping = true
  for (const s of all) s.child?.kill('SIGKILL')
  process.stderr.write(`cluster:local could not start: ${(err as Error).message}\n`)
  process.exit(1)
})
