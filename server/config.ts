/**
 * The host's configuration: one schema, one pure loader that fails loudly at boot.
 * Headless passes argv and process.env; the desktop shell passes its settings and paths.
 */
import { parseArgs } from 'node:util'
import { resolve } from 'node:path'
import { Type, type Static } from 'typebox'
import { Compile } from 'typebox/compile'
import { AiModeSchema } from './protocol/index.js'

export const Config = Type.Object({
  port: Type.Integer({ minimum: 0, maximum: 65535 }),
  host: Type.String({ minLength: 1 }),
  dataDir: Type.String({ minLength: 1 }),
  /** Built participant/admin pages; null serves none (tests of the API only). */
  webRoot: Type.Union([Type.String(), Type.Null()]),
  logLevel: Type.Union(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'].map(l => Type.Literal(l))),
  roomName: Type.String({ minLength: 1, maxLength: 64 }),
  difyApiUrl: Type.Union([Type.String(), Type.Null()]),
  difyApiKey: Type.Union([Type.String(), Type.Null()]),
  /** Rate limits, connection caps and AI budgets: on unless `--limits off`. */
  limitsEnabled: Type.Boolean(),
  trustProxy: Type.Boolean(),
  /** Per-launch admin token (random unless given). */
  adminToken: Type.String({ minLength: 16 }),
  pin: Type.Union([Type.String({ pattern: '^[0-9]{4,8}$' }), Type.Null()]),
  aiMode: AiModeSchema,
  /** Concurrent AI streams the host runs at once; the rest wait in a fair queue. */
  aiConcurrency: Type.Integer({ minimum: 1, maximum: 1000 }),
  /** Questions one participant may have waiting or streaming at once. */
  aiPerUserQueue: Type.Integer({ minimum: 1, maximum: 100 }),
  /** No bytes from the AI for this long fails the reply (Dify pings every 10 s). */
  aiIdleTimeoutMs: Type.Integer({ minimum: 100 }),
  /** Hard limit for one reply, start to end. */
  aiDeadlineMs: Type.Integer({ minimum: 1000 }),
  /** Retries before the first byte on 429/5xx/connection errors. */
  aiRetries: Type.Integer({ minimum: 0, maximum: 10 }),
  aiRetryBaseMs: Type.Integer({ minimum: 1 }),
  /** Largest frame a client may send, bytes. */
  wsMaxPayload: Type.Integer({ minimum: 1024 }),
  /** A socket with more than this many bytes unsent is dropped (it can resume with since=). */
  wsMaxBufferedBytes: Type.Integer({ minimum: 16 * 1024 }),
  heartbeatMs: Type.Integer({ minimum: 50 }),
  /** How often streaming replies' text is saved. */
  checkpointMs: Type.Integer({ minimum: 10 }),
  /** Most messages one history or resume request returns. */
  historyLimitMax: Type.Integer({ minimum: 500 })
})
export type Config = Static<typeof Config>

const checkConfig = Compile(Config)

export class ConfigError extends Error {
  override name = 'ConfigError'
}

export const HELP = `Usage: npm run serve -- [options]

  --port N              port to listen on (default 8000; env PORT)
  --host ADDR           address to bind (default 0.0.0.0; env HOST)
  --data-dir DIR        where the database lives (default ./data; env MINDWEB_DATA_DIR)
  --room-name NAME      the room's name (default "MindWeb Room")
  --dify-api-url URL    Dify service API base, e.g. https://api.dify.ai/v1 (env DIFY_API_URL)
  --dify-api-key KEY    Dify app key (env DIFY_API_KEY; prefer the env var)
  --ai-mode MODE        when chat asks the AI: mention (default), all, approve, off
  --ai-concurrency N    AI replies streaming at once (default 10; env MINDWEB_AI_CONCURRENCY)
  --ai-idle-timeout S   seconds without a byte from the AI before a reply fails (default 45)
  --ai-deadline S       longest one reply may take, seconds (default 600)
  --limits on|off       rate limits, connection caps and AI budgets (default on)
  --trust-proxy         take client addresses from X-Forwarded-For (only behind your own proxy)
  --pin NNNN            require this 4-8 digit PIN to join
  --admin-token TOKEN   fixed admin token (default: random for each launch)
  --log-level LEVEL     fatal, error, warn, info (default), debug, trace, silent
  --help                show this help
`

/** Builds the config from command-line flags and environment variables. Pure: throws ConfigError. */
export function loadConfig (source: { argv: string[], env: Record<string, string | undefined>, cwd?: string, randomToken: () => string }): Config {
  let values: Record<string, string | boolean | undefined>
  try {
    values = parseArgs({
      args: source.argv,
      strict: true,
      allowPositionals: false,
      options: {
        port: { type: 'string' },
        host: { type: 'string' },
        'data-dir': { type: 'string' },
        'room-name': { type: 'string' },
        'dify-api-url': { type: 'string' },
        'dify-api-key': { type: 'string' },
        'ai-mode': { type: 'string' },
        'ai-concurrency': { type: 'string' },
        'ai-idle-timeout': { type: 'string' },
        'ai-deadline': { type: 'string' },
        limits: { type: 'string' },
        'trust-proxy': { type: 'boolean' },
        pin: { type: 'string' },
        'admin-token': { type: 'string' },
        'log-level': { type: 'string' },
        help: { type: 'boolean' }
      }
    }).values
  } catch (err) {
    throw new ConfigError(`${(err as Error).message}\n\n${HELP}`)
  }
  const env = source.env
  const str = (flag: string, envName?: string): string | undefined => {
    const v = values[flag]
    if (typeof v === 'string') return v
    const e = envName === undefined ? undefined : env[envName]
    return e === undefined || e === '' ? undefined : e
  }
  const int = (flag: string, envName: string | undefined, fallback: number, scale = 1): number => {
    const raw = str(flag, envName)
    if (raw === undefined) return fallback
    const n = Number(raw)
    if (!Number.isFinite(n) || n < 0) throw new ConfigError(`--${flag} must be a non-negative number, got "${raw}"`)
    return Math.round(n * scale)
  }
  const limits = str('limits', 'MINDWEB_LIMITS') ?? 'on'
  if (limits !== 'on' && limits !== 'off') throw new ConfigError(`--limits must be "on" or "off", got "${limits}"`)
  const difyApiUrl = str('dify-api-url', 'DIFY_API_URL')?.replace(/\/+$/, '') ?? null
  if (difyApiUrl !== null && !/^https?:\/\/[^/]/.test(difyApiUrl)) {
    throw new ConfigError(`DIFY_API_URL must be an http(s) URL such as https://api.dify.ai/v1, got "${difyApiUrl}"`)
  }
  const config = {
    port: int('port', 'PORT', 8000),
    host: str('host', 'HOST') ?? '0.0.0.0',
    dataDir: resolve(source.cwd ?? '.', str('data-dir', 'MINDWEB_DATA_DIR') ?? 'data'),
    webRoot: null,
    logLevel: str('log-level', 'LOG_LEVEL') ?? 'info',
    roomName: str('room-name', 'MINDWEB_ROOM_NAME') ?? 'MindWeb Room',
    difyApiUrl,
    difyApiKey: str('dify-api-key', 'DIFY_API_KEY') ?? null,
    limitsEnabled: limits === 'on',
    trustProxy: values['trust-proxy'] === true,
    adminToken: str('admin-token', 'MINDWEB_ADMIN_TOKEN') ?? source.randomToken(),
    pin: str('pin', 'MINDWEB_PIN') ?? null,
    aiMode: str('ai-mode', 'MINDWEB_AI_MODE') ?? 'mention',
    aiConcurrency: int('ai-concurrency', 'MINDWEB_AI_CONCURRENCY', 10),
    aiPerUserQueue: 3,
    aiIdleTimeoutMs: int('ai-idle-timeout', 'MINDWEB_AI_IDLE_TIMEOUT', 45_000, 1000),
    aiDeadlineMs: int('ai-deadline', 'MINDWEB_AI_DEADLINE', 600_000, 1000),
    aiRetries: 2,
    aiRetryBaseMs: 500,
    wsMaxPayload: 64 * 1024,
    wsMaxBufferedBytes: 4 * 1024 * 1024,
    heartbeatMs: 30_000,
    checkpointMs: 1000,
    historyLimitMax: 500
  }
  return validateConfig(config)
}

/** Checks a complete config object (used by both composition roots and tests). */
export function validateConfig (config: unknown): Config {
  if (checkConfig.Check(config)) return config
  const problems = [...checkConfig.Errors(config)].map(e => `${e.instancePath || '/'} ${e.message}`)
  throw new ConfigError(`Invalid configuration: ${problems.join('; ')}`)
}

/** True when --help was asked for. */
export function wantsHelp (argv: string[]): boolean {
  return argv.includes('--help') || argv.includes('-h')
}
