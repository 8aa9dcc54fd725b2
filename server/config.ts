/**
 * The host's configuration: one schema, one pure loader that fails loudly at boot.
 * Headless passes argv and process.env; the desktop shell passes its settings and paths.
 */
import { parseArgs } from 'node:util'
import { resolve } from 'node:path'
import { Type, type Static } from 'typebox'
import { Compile } from 'typebox/compile'
import { AiModeSchema, ANSWER_LIMIT, MAX_CLIENT_FRAME_BYTES } from './protocol/index.js'

/** `limit` events per `windowMs` (a token bucket: `limit` at once, then one every windowMs/limit). */
export const Rate = Type.Object({
  limit: Type.Integer({ minimum: 1 }),
  windowMs: Type.Integer({ minimum: 1 })
})
export type Rate = Static<typeof Rate>

/** Fair-use defaults (PROTOCOL.md: all on unless `--limits off`). */
export const LIMIT_DEFAULTS = {
  chatRate: { limit: 10, windowMs: 60_000 },
  aiRate: { limit: 5, windowMs: 600_000 },
  // A class of 40 asking three questions each in ten minutes (see docs/console-api.md, "Default limits").
  roomAiRate: { limit: 120, windowMs: 600_000 },
  joinRate: { limit: 20, windowMs: 600_000 },
  // Photos per participant and device: one question with a few photos every couple of minutes.
  photoRate: { limit: 10, windowMs: 600_000 },
  httpRate: { limit: 300, windowMs: 60_000 },
  wsFrameRate: { limit: 60, windowMs: 10_000 },
  maxConnectionsPerAddress: 20,
  maxConnections: 20_000,
  // Raw TCP connections (HTTP keep-alive and sockets together): a browser opens about 6 per host.
  maxHttpConnectionsPerAddress: 64,
  limitsPurgeMs: 60_000
}

/** How this process takes part: the whole room alone (default), or a cluster's writer or edge (server/cluster/). */
export const Role = Type.Union([Type.Literal('single'), Type.Literal('writer'), Type.Literal('edge')])
export type Role = Static<typeof Role>

export const Config = Type.Object({
  /** single (default): the whole room in this process; writer/edge: one part of a cluster linked by Redis */
  role: Type.Optional(Role),
  /** the cluster's Redis (writer and edge roles), e.g. redis://:password@10.0.0.5:6379 */
  redisUrl: Type.Optional(Type.Union([Type.String(), Type.Null()])),
  port: Type.Integer({ minimum: 0, maximum: 65535 }),
  host: Type.String({ minLength: 1 }),
  dataDir: Type.String({ minLength: 1 }),
  /** Built participant/admin pages; null serves none (tests of the API only). */
  webRoot: Type.Union([Type.String(), Type.Null()]),
  logLevel: Type.Union([
    Type.Literal('fatal'), Type.Literal('error'), Type.Literal('warn'), Type.Literal('info'),
    Type.Literal('debug'), Type.Literal('trace'), Type.Literal('silent')
  ]),
  roomName: Type.String({ minLength: 1, maxLength: 64 }),
  difyApiUrl: Type.Union([Type.String(), Type.Null()]),
  difyApiKey: Type.Union([Type.String(), Type.Null()]),
  /** Rate limits, connection caps and AI budgets: on unless `--limits off`. */
  limitsEnabled: Type.Boolean(),
  /** Chat messages per participant and, separately, per client address. */
  chatRate: Rate,
  /** AI questions per participant and, separately, per client address. */
  aiRate: Rate,
  /** AI questions of the whole room. */
  roomAiRate: Rate,
  /** Join attempts per client address (wrong PINs included). */
  joinRate: Rate,
  /** Photo uploads per participant and, separately, per client address. */
  photoRate: Rate,
  /** HTTP API requests per client address (admin routes excluded). */
  httpRate: Rate,
  /** Frames one WebSocket connection may send (over it they are dropped unread). */
  wsFrameRate: Rate,
  maxConnectionsPerAddress: Type.Integer({ minimum: 1 }),
  maxConnections: Type.Integer({ minimum: 1 }),
  /** Raw TCP connections one client address may hold open (over it they are destroyed at once); off with the limits. */
  maxHttpConnectionsPerAddress: Type.Integer({ minimum: 1 }),
  /** A request whose headers have not all arrived by then is answered 408 and closed (slowloris). */
  httpHeadersTimeoutMs: Type.Integer({ minimum: 50 }),
  /** Receiving one whole request (headers and body) may take this long; the answer (an SSE stream) may take longer. */
  httpRequestTimeoutMs: Type.Integer({ minimum: 50 }),
  /** An idle keep-alive connection is closed after this long. */
  httpKeepAliveTimeoutMs: Type.Integer({ minimum: 50 }),
  /** A connection silent both ways this long is closed (one that never sends a request, too); never less than the AI's idle timeout, which an SSE answer may wait out. */
  httpIdleTimeoutMs: Type.Integer({ minimum: 50 }),
  /** How often buckets that are full again are deleted. */
  limitsPurgeMs: Type.Integer({ minimum: 10 }),
  trustProxy: Type.Boolean(),
  /** Per-launch admin token (random unless given). */
  adminToken: Type.String({ minLength: 16 }),
  pin: Type.Union([Type.String({ pattern: '^[0-9]{4,8}$' }), Type.Null()]),
  aiMode: AiModeSchema,
  /** Concurrent AI streams the host runs at once; the rest wait in a fair queue. */
  aiConcurrency: Type.Integer({ minimum: 1, maximum: 1000 }),
  /** An AI answer stops at this many characters (code points): it is cut there and stopped at Dify. */
  aiMaxAnswerChars: Type.Integer({ minimum: ANSWER_LIMIT.min, maximum: ANSWER_LIMIT.max }),
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
  historyLimitMax: Type.Integer({ minimum: 500 }),
  /** Above this many people online, presence frames carry counts only (see hub.ts). */
  presenceListMax: Type.Integer({ minimum: 1 }),
  /** Sockets written per paced fan-out step (see hub.ts). */
  flushGroupSize: Type.Integer({ minimum: 1 }),
  /**
   * Settings fixed at launch: setting name (as the console names it, e.g. `dify_api_key`,
   * `limits.chat_rate`) → the flag or environment variable that set it. The console cannot change these.
   */
  lockedSettings: Type.Optional(Type.Record(Type.String(), Type.String())),
  /** The AI mode was given at launch (--ai-mode, MINDWEB_AI_MODE): the room starts in it, whatever was stored; the host may still change it. */
  aiModeAtLaunch: Type.Optional(Type.Boolean()),
  /** Extra Host names the host answers to beyond its own (its addresses, localhost, hostname, hostname.local). */
  allowedHosts: Type.Optional(Type.Array(Type.String()))
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
  --ai-max-answer-chars N   an AI answer is cut at N characters (default 100000; 1000-1000000)
  --limits on|off       rate limits, connection caps and AI budgets (default on)
  --chat-rate N/S       chat messages per participant and per device in S seconds (default 10/60)
  --ai-rate N/S         AI questions per participant and per device (default 5/600)
  --room-ai-rate N/S    AI questions of the whole room (default 120/600: a class of 40, 3 each)
  --join-rate N/S       join attempts per device, wrong PINs included (default 20/600)
  --photo-rate N/S      photo uploads per participant and per device (default 10/600)
  --max-connections-per-address N   open sockets per device (default 20)
  --max-connections N   open sockets in total (default 20000)
  --allowed-host NAME   also answer to this host name (repeatable; e.g. a DNS name for this computer)
  --trust-proxy         take client addresses from X-Forwarded-For (only behind your own proxy)
  --pin NNNN            require this 4-8 digit PIN to join
  --admin-token TOKEN   fixed admin token (default: random for each launch)
  --log-level LEVEL     fatal, error, warn, info (default), debug, trace, silent
  --role ROLE           single (default: the whole room here), writer or edge (a cluster; docs/scale-out.md)
  --redis URL           the cluster's Redis for --role writer|edge, e.g. redis://:pass@host:6379 (env MINDWEB_REDIS_URL)
  --help                show this help
`

/** Builds the config from command-line flags and environment variables. Pure: throws ConfigError. */
export function loadConfig (source: { argv: string[], env: Record<string, string | undefined>, cwd?: string, randomToken: () => string }): Config {
  let values: Record<string, string | boolean | string[] | undefined>
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
        'ai-max-answer-chars': { type: 'string' },
        limits: { type: 'string' },
        'chat-rate': { type: 'string' },
        'ai-rate': { type: 'string' },
        'room-ai-rate': { type: 'string' },
        'join-rate': { type: 'string' },
        'photo-rate': { type: 'string' },
        'max-connections-per-address': { type: 'string' },
        'max-connections': { type: 'string' },
        'trust-proxy': { type: 'boolean' },
        'allowed-host': { type: 'string', multiple: true },
        pin: { type: 'string' },
        'admin-token': { type: 'string' },
        'log-level': { type: 'string' },
        role: { type: 'string' },
        redis: { type: 'string' },
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
  /** Which flag or variable gave a value, if any (settings given at launch win over the console's). */
  const source_ = (flag: string, envName: string): string | null => {
    if (typeof values[flag] === 'string') return `--${flag}`
    return env[envName] !== undefined && env[envName] !== '' ? envName : null
  }
  const lockedSettings: Record<string, string> = {}
  const lockable: Array<[string, string, string]> = [
    ['room_name', 'room-name', 'MINDWEB_ROOM_NAME'],
    ['dify_api_url', 'dify-api-url', 'DIFY_API_URL'],
    ['dify_api_key', 'dify-api-key', 'DIFY_API_KEY'],
    ['ai_concurrency', 'ai-concurrency', 'MINDWEB_AI_CONCURRENCY'],
    ['ai_max_answer_chars', 'ai-max-answer-chars', 'MINDWEB_AI_MAX_ANSWER_CHARS'],
    ['limits.chat_rate', 'chat-rate', 'MINDWEB_CHAT_RATE'],
    ['limits.ai_rate', 'ai-rate', 'MINDWEB_AI_RATE'],
    ['limits.room_ai_rate', 'room-ai-rate', 'MINDWEB_ROOM_AI_RATE'],
    ['limits.join_rate', 'join-rate', 'MINDWEB_JOIN_RATE'],
    ['pin', 'pin', 'MINDWEB_PIN']
  ]
  for (const [name, flag, envName] of lockable) {
    const from = source_(flag, envName)
    if (from !== null) lockedSettings[name] = from
  }
  const int = (flag: string, envName: string | undefined, fallback: number, scale = 1): number => {
    const raw = str(flag, envName)
    if (raw === undefined) return fallback
    const n = Number(raw)
    if (!Number.isFinite(n) || n < 0) throw new ConfigError(`--${flag} must be a non-negative number, got "${raw}"`)
    return Math.round(n * scale)
  }
  const rate = (flag: string, envName: string, fallback: Rate): Rate => {
    const raw = str(flag, envName)
    if (raw === undefined) return fallback
    const m = /^\s*(\d+)\s*\/\s*(\d+(?:\.\d+)?)\s*$/.exec(raw)
    if (m === null || Number(m[1]) < 1 || Number(m[2]) <= 0) throw new ConfigError(`--${flag} must look like COUNT/SECONDS, e.g. 10/60, got "${raw}"`)
    return { limit: Number(m[1]), windowMs: Math.round(Number(m[2]) * 1000) }
  }
  const limits = str('limits', 'MINDWEB_LIMITS') ?? 'on'
  if (limits !== 'on' && limits !== 'off') throw new ConfigError(`--limits must be "on" or "off", got "${limits}"`)
  const maxAnswerChars = int('ai-max-answer-chars', 'MINDWEB_AI_MAX_ANSWER_CHARS', ANSWER_LIMIT.default)
  if (maxAnswerChars < ANSWER_LIMIT.min || maxAnswerChars > ANSWER_LIMIT.max) {
    throw new ConfigError(`--ai-max-answer-chars must be between ${ANSWER_LIMIT.min} and ${ANSWER_LIMIT.max} characters, got ${maxAnswerChars}`)
  }
  const difyApiUrl = str('dify-api-url', 'DIFY_API_URL')?.replace(/\/+$/, '') ?? null
  if (difyApiUrl !== null && !/^https?:\/\/[^/]/.test(difyApiUrl)) {
    throw new ConfigError(`DIFY_API_URL must be an http(s) URL such as https://api.dify.ai/v1, got "${difyApiUrl}"`)
  }
  const role = str('role', 'MINDWEB_ROLE') ?? 'single'
  if (role !== 'single' && role !== 'writer' && role !== 'edge') throw new ConfigError(`--role must be single, writer or edge, got "${role}"`)
  const redisUrl = str('redis', 'MINDWEB_REDIS_URL') ?? null
  if (role !== 'single' && redisUrl === null) throw new ConfigError(`--role ${role} needs --redis URL (the cluster's Redis, e.g. redis://127.0.0.1:6379)`)
  if (redisUrl !== null && !/^rediss?:\/\/[^/]/.test(redisUrl)) throw new ConfigError(`--redis must be a redis:// or rediss:// URL, got "${redisUrl.replace(/\/\/[^@/]*@/, '//…@')}"`)
  if (role === 'single' && redisUrl !== null) throw new ConfigError('--redis is for --role writer or edge; a single host needs no Redis')
  const config = {
    role,
    redisUrl,
    port: int('port', 'PORT', 8000),
    host: str('host', 'HOST') ?? '0.0.0.0',
    dataDir: resolve(source.cwd ?? '.', str('data-dir', 'MINDWEB_DATA_DIR') ?? 'data'),
    webRoot: null,
    logLevel: str('log-level', 'LOG_LEVEL') ?? 'info',
    roomName: str('room-name', 'MINDWEB_ROOM_NAME') ?? 'MindWeb Room',
    difyApiUrl,
    difyApiKey: str('dify-api-key', 'DIFY_API_KEY') ?? null,
    limitsEnabled: limits === 'on',
    ...LIMIT_DEFAULTS,
    chatRate: rate('chat-rate', 'MINDWEB_CHAT_RATE', LIMIT_DEFAULTS.chatRate),
    aiRate: rate('ai-rate', 'MINDWEB_AI_RATE', LIMIT_DEFAULTS.aiRate),
    roomAiRate: rate('room-ai-rate', 'MINDWEB_ROOM_AI_RATE', LIMIT_DEFAULTS.roomAiRate),
    joinRate: rate('join-rate', 'MINDWEB_JOIN_RATE', LIMIT_DEFAULTS.joinRate),
    photoRate: rate('photo-rate', 'MINDWEB_PHOTO_RATE', LIMIT_DEFAULTS.photoRate),
    maxConnectionsPerAddress: int('max-connections-per-address', 'MINDWEB_MAX_CONNECTIONS_PER_ADDRESS', LIMIT_DEFAULTS.maxConnectionsPerAddress),
    maxConnections: int('max-connections', 'MINDWEB_MAX_CONNECTIONS', LIMIT_DEFAULTS.maxConnections),
    httpHeadersTimeoutMs: 10_000,
    httpRequestTimeoutMs: 30_000,
    httpKeepAliveTimeoutMs: 5_000,
    httpIdleTimeoutMs: 120_000,
    trustProxy: values['trust-proxy'] === true,
    adminToken: str('admin-token', 'MINDWEB_ADMIN_TOKEN') ?? source.randomToken(),
    pin: str('pin', 'MINDWEB_PIN') ?? null,
    aiMode: str('ai-mode', 'MINDWEB_AI_MODE') ?? 'mention',
    aiConcurrency: int('ai-concurrency', 'MINDWEB_AI_CONCURRENCY', 10),
    aiMaxAnswerChars: maxAnswerChars,
    aiPerUserQueue: 3,
    aiIdleTimeoutMs: int('ai-idle-timeout', 'MINDWEB_AI_IDLE_TIMEOUT', 45_000, 1000),
    aiDeadlineMs: int('ai-deadline', 'MINDWEB_AI_DEADLINE', 600_000, 1000),
    aiRetries: 2,
    aiRetryBaseMs: 500,
    wsMaxPayload: MAX_CLIENT_FRAME_BYTES,
    wsMaxBufferedBytes: 4 * 1024 * 1024,
    heartbeatMs: 30_000,
    checkpointMs: 1000,
    historyLimitMax: 500,
    presenceListMax: 300,
    flushGroupSize: 500,
    lockedSettings,
    aiModeAtLaunch: source_('ai-mode', 'MINDWEB_AI_MODE') !== null,
    allowedHosts: Array.isArray(values['allowed-host']) ? values['allowed-host'] : []
  }
  if (limits === 'off') {
    for (const name of ['limits.chat_rate', 'limits.ai_rate', 'limits.room_ai_rate', 'limits.join_rate']) lockedSettings[name] = '--limits off'
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
