/**
 * Headless entry (`npm run serve`): flags and env → config, adapters, listen, print the join URLs,
 * a QR code and the admin URL; SIGINT/SIGTERM close everything cleanly and exit 0.
 */
import { randomBytes } from 'node:crypto'
import { existsSync } from 'node:fs'
import { networkInterfaces } from 'node:os'
import { join, dirname } from 'node:path'
import { fileURLToPath } from 'node:url'
import QRCode from 'qrcode'
import pretty from 'pino-pretty'
import { ConfigError, HELP, loadConfig, wantsHelp, type Config } from './config.js'
import { startHost, type RunningHost } from './host.js'
import { ListenError } from './listen.js'

// server/ under tsx, out/server/ when compiled: the project is the nearest folder with a package.json.
const projectRoot = findProjectRoot(dirname(fileURLToPath(import.meta.url)))

async function main (): Promise<void> {
  const argv = process.argv.slice(2)
  if (wantsHelp(argv)) { process.stdout.write(HELP); return }
  let config: Config
  try {
    config = { ...loadConfig({ argv, env: process.env, cwd: process.cwd(), randomToken: () => randomBytes(24).toString('base64url') }), webRoot: join(projectRoot, 'dist', 'renderer') }
  } catch (err) {
    if (err instanceof ConfigError) { process.stderr.write(`${err.message}\n`); process.exit(2) }
    throw err
  }

  // Readable log lines in a terminal, JSON lines when piped (for log collectors).
  const logStream = process.stdout.isTTY ? pretty({ colorize: true, translateTime: 'SYS:HH:MM:ss', ignore: 'pid,hostname,reqId' }) : undefined
  if (config.role === 'edge') { await startEdgeRole(config, logStream); return }
  let host: RunningHost
  try {
    host = await startHost({ config, ...(logStream !== undefined ? { logStream } : {}) })
  } catch (err) {
    if (err instanceof ListenError) { process.stderr.write(`\n${err.message}\n\n`); process.exit(1) }
    throw err
  }
  const { app, port, fallbackFrom } = host
  await printBanner(config, port, fallbackFrom)

  let isClosing = false
  const shutdown = (signal: string): void => {
    if (isClosing) return
    isClosing = true
    app.log.info({ signal }, 'shutting down')
    const force = setTimeout(() => { app.log.error('shutdown took too long; exiting'); process.exit(1) }, 10_000)
    force.unref()
    app.close().then(() => process.exit(0), (err: unknown) => { app.log.error({ err }, 'error while shutting down'); process.exit(1) })
  }
  process.on('SIGINT', () => shutdown('SIGINT'))
  process.on('SIGTERM', () => shutdown('SIGTERM'))
}

/** A cluster's edge (server/cluster/edge.ts): sockets and pages only; the writer prints the room's URLs. */
async function startEdgeRole (config: Config, logStream: NodeJS.WritableStream | undefined): Promise<void> {
  const { startEdge } = await import('./cluster/edge.js')
  let edge
  try {
    edge = await startEdge(config, logStream !== undefined ? { logStream } : {})
  } catch (err) {
    if (err instanceof ListenError) { process.stderr.write(`\n${err.message}\n\n`); process.exit(1) }
    throw err
  }
  process.stdout.write(`  MindWeb edge ${edge.edgeId} listening on http://${config.host}:${edge.port}/ (Redis ${config.redisUrl?.replace(/\/\/[^@/]*@/, '//…@') ?? ''})\n`)
  let isClosing = false
  const shutdown = (): void => {
    if (isClosing) return
    isClosing = true
    const force = setTimeout(() => process.exit(1), 10_000)
    force.unref()
    edge.close().then(() => process.exit(0), () => process.exit(1))
  }
  process.on('SIGINT', shutdown)
  process.on('SIGTERM', shutdown)
}

/** Join URLs for every LAN IPv4 address (loopback when there is none). */
function joinUrls (host: string, port: number): string[] {
  if (host !== '0.0.0.0' && host !== '::') return [`http://${host.includes(':') ? `[${host}]` : host}:${port}/`]
  const urls: string[] = []
  for (const list of Object.values(networkInterfaces())) {
    for (const a of list ?? []) if (a.family === 'IPv4' && !a.internal) urls.push(`http://${a.address}:${port}/`)
  }
  if (urls.length === 0) urls.push(`http://127.0.0.1:${port}/`)
  return urls
}

async function printBanner (config: Config, port: number, fallbackFrom: number | null): Promise<void> {
  const urls = joinUrls(config.host, port)
  const qr = await QRCode.toString(urls[0]!, { type: 'terminal', small: true })
  const out = [
    '',
    `  MindWeb Host — "${config.roomName}" is open`,
    '',
    ...(fallbackFrom !== null ? [`  Port ${fallbackFrom} was taken by another program, so the room uses port ${port}.`, ''] : []),
    '  Join from any browser on this network:',
    ...urls.map(u => `    ${u}`),
    '',
    qr,
    `  Host console (this computer only): http://127.0.0.1:${port}/admin/#token=${config.adminToken}`,
    `  Data: ${config.dataDir}   AI: ${config.difyApiUrl ?? 'not configured'}   Limits: ${config.limitsEnabled ? 'on' : 'OFF'}`,
    '  Press Ctrl+C to stop.',
    ''
  ]
  process.stdout.write(out.join('\n') + '\n')
}

/** The nearest folder at or above `dir` that holds a package.json. */
function findProjectRoot (dir: string): string {
  for (let d = dir; ; d = dirname(d)) {
    if (existsSync(join(d, 'package.json'))) return d
    if (dirname(d) === d) return join(dir, '..')
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`MindWeb Host could not start: ${(err as Error).stack ?? String(err)}\n`)
  process.exit(1)
})
