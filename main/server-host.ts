/**
 * The desktop's start of the host: the one composition root (server/host.ts) that `npm run serve`
 * uses, with the database in the user's data folder. Electron objects are not imported here, so
 * it is tested for real (and booted under Node by the packaging test).
 */
import { randomBytes } from 'node:crypto'
import { join } from 'node:path'
import { loadConfig, validateConfig, type Config } from '../server/config.js'
import { startHost } from '../server/host.js'
import type { SecretBox } from '../server/ports.js'
import type { ServerInfo } from './ipc-contract.js'

export interface ServerHost {
  info: ServerInfo
  port: number
  /** The configured port when it was taken; null when the room got the port it asked for. */
  fallbackFrom: number | null
  /** Ends replies as interrupted, closes sockets with 1001, then the database. */
  close (): Promise<void>
}

export interface ServerHostOptions {
  /** app.getPath('userData') */
  userDataDir: string
  /** the built pages (inside the app bundle) */
  webRoot: string | null
  port?: number
  host?: string
  /** Seals the AI key the host enters in the console. */
  secrets?: SecretBox
  /** Launch-time AI settings (they lock the console's fields, as flags do for `npm run serve`). */
  difyApiUrl?: string | null
  difyApiKey?: string | null
  logLevel?: Config['logLevel']
  /** Where the server's log lines go (default stdout). */
  logStream?: NodeJS.WritableStream
}

/** Starts the host server in-process on the port or the next free one; throws a readable error when it cannot. */
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
  const host = await startHost({
    config,
    ...(o.secrets !== undefined ? { secrets: o.secrets } : {}),
    ...(o.logStream !== undefined ? { logStream: o.logStream } : {})
  })
  return {
    info: { baseUrl: `http://127.0.0.1:${host.port}`, adminToken: config.adminToken },
    port: host.port,
    fallbackFrom: host.fallbackFrom,
    close: host.close
  }
}
