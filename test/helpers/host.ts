/**
 * Starts the real host on 127.0.0.1 (real SQLite in a temp dir, real sockets) for integration tests.
 * `restart()` closes it and opens a new one on the same data dir.
 */
import { PassThrough } from 'node:stream'
import type { TestContext } from 'node:test'
import type { FastifyInstance } from 'fastify'
import type { Database } from 'better-sqlite3'
import { loadConfig, validateConfig, type Config } from '../../server/config.js'
import { startHost as startRoomHost } from '../../server/host.js'
import type { AiGateway, Ports } from '../../server/ports.js'
import type { JoinResponse } from '../../server/protocol/index.js'
import { tempDir } from './temp-dir.js'
import { TestClient } from './ws-client.js'
import { fetchFrom } from './net.js'

export interface TestHost {
  app: FastifyInstance
  config: Config
  url: string
  wsUrl: string
  dataDir: string
  /** the live database handle the host uses (for fault injection) */
  db: Database
  /** every log line written so far */
  logs: string[]
  join (username: string, emoji?: string): Promise<JoinResponse>
  connect (token: string, since?: number, options?: { origin?: string, localAddress?: string }): Promise<TestClient>
  api (method: string, path: string, options?: { token?: string, body?: unknown, headers?: Record<string, string>, localAddress?: string }): Promise<{ status: number, headers: Headers, body: any }>
  restart (): Promise<void>
  close (): Promise<void>
}

/** Default test config: quiet, small timers, limits as given. */
export function testConfig (dataDir: string, overrides: Partial<Config> = {}): Config {
  // The product's defaults, then what tests need: loopback, quiet, fast timers, generous limits.
  return validateConfig({
    ...loadConfig({ argv: [], env: {}, randomToken: () => 'admin-token-for-tests-0123456789' }),
    port: 0,
    host: '127.0.0.1',
    dataDir,
    roomName: 'Test Room',
    // Generous, so tests of other features never meet a limit; limit tests set their own.
    chatRate: { limit: 100_000, windowMs: 60_000 },
    aiRate: { limit: 10_000, windowMs: 60_000 },
    roomAiRate: { limit: 10_000, windowMs: 60_000 },
    joinRate: { limit: 100_000, windowMs: 60_000 },
    httpRate: { limit: 1_000_000, windowMs: 60_000 },
    wsFrameRate: { limit: 1_000_000, windowMs: 10_000 },
    maxConnectionsPerAddress: 10_000,
    maxHttpConnectionsPerAddress: 10_000,
    aiIdleTimeoutMs: 5000,
    aiDeadlineMs: 30_000,
    aiRetryBaseMs: 20,
    checkpointMs: 200,
    ...overrides
  })
}

/** Starts a host; it is closed when the test ends. `ai` builds the AI gateway for each (re)start. */
export async function startHost (t: TestContext, options: { config?: Partial<Config>, ai?: () => AiGateway | null, dataDir?: string, secrets?: Ports['secrets'] } = {}): Promise<TestHost> {
  const dataDir = options.dataDir ?? tempDir(t)
  const logs: string[] = []
  let app!: FastifyInstance
  let config!: Config
  let port = 0
  let isClosed = true

  async function open (): Promise<void> {
    config = testConfig(dataDir, { ...options.config, port })
    const logStream = new PassThrough()
    logStream.on('data', (chunk: Buffer) => { for (const line of chunk.toString('utf8').split('\n')) if (line !== '') logs.push(line) })
    // The one composition root the product starts through; the tests choose the AI gateway.
    const running = await startRoomHost({
      config,
      logStream,
      ai: options.ai?.() ?? null,
      ...(options.secrets !== undefined ? { secrets: options.secrets } : {}),
      fallbackTries: 0,
      skipAiCheck: true
    })
    app = running.app
    host.db = running.db
    port = running.port
    isClosed = false
    host.app = app
    host.config = config
    host.url = `http://127.0.0.1:${port}`
    host.wsUrl = `ws://127.0.0.1:${port}/api/broadcast/ws`
  }

  const host: TestHost = {
    app,
    config,
    url: '',
    wsUrl: '',
    dataDir,
    logs,
    db: undefined as unknown as Database,
    async join (username, emoji) {
      const res = await host.api('POST', '/api/users/join', { body: emoji === undefined ? { username } : { username, emoji } })
      if (res.status !== 200) throw new Error(`join failed: ${res.status} ${JSON.stringify(res.body)}`)
      return res.body as JoinResponse
    },
    async connect (token, since, connectOptions) {
      const q = new URLSearchParams({ token })
      if (since !== undefined) q.set('since', String(since))
      const client = new TestClient(`${host.wsUrl}?${q.toString()}`, connectOptions)
      t.after(() => client.terminate())
      await client.opened()
      return client
    },
    async api (method, path, apiOptions = {}) {
      const headers: Record<string, string> = { ...apiOptions.headers }
      if (apiOptions.token !== undefined) headers.authorization = `Bearer ${apiOptions.token}`
      let body: string | undefined
      if (apiOptions.body !== undefined) {
        headers['content-type'] ??= 'application/json'
        body = typeof apiOptions.body === 'string' ? apiOptions.body : JSON.stringify(apiOptions.body)
      }
      const init = { method, headers, ...(body !== undefined ? { body } : {}) }
      const res = apiOptions.localAddress === undefined ? await fetch(host.url + path, init) : await fetchFrom(apiOptions.localAddress, host.url + path, init)
      const text = await res.text()
      let parsed: unknown = text
      try { parsed = JSON.parse(text) } catch {}
      return { status: res.status, headers: res.headers, body: parsed }
    },
    async restart () {
      await host.close()
      await open()
    },
    async close () {
      if (isClosed) return
      isClosed = true
      await app.close()
    }
  }
  await open()
  t.after(() => host.close())
  return host
}
