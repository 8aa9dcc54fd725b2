/**
 * The one composition root: a config in, a listening host out. The headless entry (`npm run
 * serve`, server/start.ts), the desktop shell (main/server-host.ts) and the tests
 * (test/helpers/host.ts) all start the room through `startHost`, so the start-up sequence —
 * adapters, the app and its services, the AI logger, listening (with port fallback), the launch
 * check of the AI service — is written once.
 */
import type { Database } from 'better-sqlite3'
import type { FastifyInstance } from 'fastify'
import type { Config } from './config.js'
import { buildApp } from './app.js'
import { openPorts, type PortOverrides } from './adapters/open-ports.js'
import { checkAiService } from './ai-check.js'
import { listen } from './listen.js'

export interface HostOptions extends PortOverrides {
  config: Config
  /** Where the log lines go (default stdout). */
  logStream?: NodeJS.WritableStream
  /** How many ports after the configured one to try when it is taken (default: listen's). */
  fallbackTries?: number
  /** Skip the launch check of the AI service (tests that count the AI's requests). */
  skipAiCheck?: boolean
}

export interface RunningHost {
  app: FastifyInstance
  config: Config
  /** The room's database connection (owned by the app: closing the app closes it). */
  db: Database
  port: number
  /** The configured port when it was taken; null when the room got the port it asked for. */
  fallbackFrom: number | null
  /** Ends replies as interrupted, closes sockets with 1001, then the database. */
  close (): Promise<void>
}

/** Opens the adapters, builds the app and listens; throws a readable ListenError when it cannot. */
export async function startHost (o: HostOptions): Promise<RunningHost> {
  const { config } = o
  const { ports, aiLogger, db } = openPorts(config, {
    ...(o.ai !== undefined ? { ai: o.ai } : {}),
    ...(o.secrets !== undefined ? { secrets: o.secrets } : {})
  })
  const app = await buildApp({ config, ports, ...(o.logStream !== undefined ? { logStream: o.logStream } : {}) })
  aiLogger.attach(app.log)
  // A cluster's writer streams the room through Redis (server/cluster/); a single host never loads it.
  if (config.role === 'writer' && config.redisUrl != null) {
    try {
      const { attachClusterWriter } = await import('./cluster/writer.js')
      const writer = await attachClusterWriter(app, { redisUrl: config.redisUrl, registry: app.metricsRegistry })
      app.addHook('onClose', async () => { await writer.close() })
    } catch (err) {
      await app.close()
      throw err
    }
  }
  if (!config.limitsEnabled) app.log.warn('limits are OFF (--limits off): no rate limits, connection caps or AI budgets. Use only for benchmarks and trusted rooms.')
  if (ports.ai === null) app.log.warn('no AI configured: set DIFY_API_URL and DIFY_API_KEY to let the room ask the AI')
  let listening
  try {
    listening = await listen(app, { port: config.port, host: config.host, ...(o.fallbackTries !== undefined ? { fallbackTries: o.fallbackTries } : {}) })
  } catch (err) {
    await app.close()
    throw err
  }
  if (listening.fallbackFrom !== null) app.log.warn(listening, `port ${listening.fallbackFrom} was taken; listening on ${listening.port} instead`)
  if (ports.ai !== null && o.skipAiCheck !== true) checkAiService(ports.ai, app.log).catch(() => {}) // never rejects; logs what it found
  return {
    app,
    config,
    db,
    port: listening.port,
    fallbackFrom: listening.fallbackFrom,
    close: async () => { await app.close() }
  }
}
