/**
 * The desktop composition root: the same app factory and adapters as `npm run serve`, with the
 * database in the user's data folder. Electron objects are not imported here, so it is tested for real.
 */
import { randomBytes } from 'node:crypto'
import { join } from 'node:path'
import type { FastifyInstance } from 'fastify'
import { buildApp } from '../server/app.js'
import { loadConfig, validateConfig, type Config } from '../server/config.js'
import { openPorts } from '../server/adapters/open-ports.js'
import { checkAiService } from '../server/ai-check.js'
import type { ServerInfo } from './ipc-contract.js'

export interface ServerHost {
  info: ServerInfo
  port: number
  close (): Promise<void>
}

export interface ServerHostOptions {
  /** app.getPath('userData') */
  userDataDir: string
  /** the built pages (inside the app bundle) */
  webRoot: string | null
  port?: number
  host?: string
  difyApiUrl?: string | null
  difyApiKey?: string | null
  logLevel?: Config['logLevel']
}

/** Starts the host server in-process; throws a readable error when the port is taken. */
export async function startServerHost (o: ServerHostOptions): Promise<ServerHost> {
  // The same defaults as the headless host; only what differs on a desktop is set here.
  const config: Config = validateConfig({
    ...loadConfig({ argv: [], env: {}, randomToken: () => randomBytes(24).toString('base64url') }),
    port: o.port ?? 8000,
    host: o.host ?? '0.0.0.0',
    dataDir: join(o.userDataDir, 'data'),
    webRoot: o.webRoot,
    logLevel: o.logLevel ?? 'info',
    difyApiUrl: o.difyApiUrl ?? null,
    difyApiKey: o.difyApiKey ?? null
  })
  const { ports, aiLogger } = openPorts(config)
  const app: FastifyInstance = await buildApp({ config, ports })
  aiLogger.attach(app.log)
  try {
    await app.listen({ port: config.port, host: config.host })
  } catch (err) {
    await app.close()
    if ((err as NodeJS.ErrnoException).code === 'EADDRINUSE') {
      throw new Error(`Port ${config.port} is already in use. Is another MindWeb Host running?`, { cause: err })
    }
    throw err
  }
  if (ports.ai !== null) checkAiService(ports.ai, app.log).catch(() => {}) // never rejects; logs what it found
  const address = app.server.address()
  const port = typeof address === 'object' && address !== null ? address.port : config.port
  return {
    info: { baseUrl: `http://127.0.0.1:${port}`, adminToken: config.adminToken },
    port,
    close: async () => { await app.close() }
  }
}
