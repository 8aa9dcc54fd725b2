/**
 * The real adapters for a config: one SQLite connection for the chat and the rate limits (the chat
 * store owns it and closes it), and the Dify gateway when one is configured. Used by both
 * composition roots (server/start.ts and main/server-host.ts) so they cannot drift apart.
 */
import { join } from 'node:path'
import type { Config } from '../config.js'
import type { Ports } from '../ports.js'
import { openDatabase } from './sqlite-database.js'
import { createSqliteChatStore } from './sqlite-chat-store.js'
import { createSqliteRateLimitStore } from './sqlite-rate-limit-store.js'
import { createSqliteGateStore } from './sqlite-gate-store.js'
import { createSqliteHeldStore } from './sqlite-held-store.js'
import { createDifyGateway, type DifyLogger } from './dify-gateway.js'

/** Where the gateway logs; set once the app's logger exists (the app is built after its ports). */
export interface LateLogger extends DifyLogger {
  attach (logger: DifyLogger): void
}

/** Opens the database and creates the gateway. */
export function openPorts (config: Config): { ports: Ports, aiLogger: LateLogger } {
  let target: DifyLogger | null = null
  const aiLogger: LateLogger = {
    attach (logger) { target = logger },
    warn (obj, msg) { target?.warn(obj, msg) },
    debug (obj, msg) { target?.debug?.(obj, msg) }
  }
  const db = openDatabase(join(config.dataDir, 'mindweb.db'))
  const store = createSqliteChatStore(db)
  const rateLimits = createSqliteRateLimitStore(db)
  const createAi = aiFactory(config, aiLogger)
  const ai = config.difyApiUrl !== null && config.difyApiKey !== null ? createAi({ url: config.difyApiUrl, apiKey: config.difyApiKey }) : null
  return { ports: { store, held: createSqliteHeldStore(db), ai, rateLimits, gate: createSqliteGateStore(db), createAi }, aiLogger }
}

/** Builds Dify gateways with the config's timeouts: the live settings rebuild one for a new address or key. */
export function aiFactory (config: Config, logger?: DifyLogger): NonNullable<Ports['createAi']> {
  return (target) => createDifyGateway({
    baseUrl: target.url,
    apiKey: target.apiKey,
    idleTimeoutMs: config.aiIdleTimeoutMs,
    deadlineMs: config.aiDeadlineMs,
    retries: config.aiRetries,
    retryBaseMs: config.aiRetryBaseMs,
    ...(logger !== undefined ? { logger } : {})
  })
}
