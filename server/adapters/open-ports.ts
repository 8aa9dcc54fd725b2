/**
 * The real adapters for a config: one SQLite connection for the chat, the held messages, the gate,
 * the lesson record and the rate limits (the chat store owns it and closes it), and the Dify
 * gateway when one is configured. Used by the one composition root (server/host.ts), which the
 * headless entry, the desktop shell and the tests all start through.
 */
import { join } from 'node:path'
import type { Database } from 'better-sqlite3'
import type { Config } from '../config.js'
import type { AiGateway, Ports, SecretBox } from '../ports.js'
import { openDatabase } from './sqlite-database.js'
import { createSqliteChatStore } from './sqlite-chat-store.js'
import { createSqliteRateLimitStore } from './sqlite-rate-limit-store.js'
import { createSqliteGateStore } from './sqlite-gate-store.js'
import { createSqliteFeedbackStore } from './sqlite-feedback-store.js'
import { createSqliteReactionStore } from './sqlite-reaction-store.js'
import { createSqliteHeldStore } from './sqlite-held-store.js'
import { createSqlitePollStore } from './sqlite-poll-store.js'
import { createSqlitePhotoStore } from './sqlite-photo-store.js'
import { createWasmImageCodec } from './wasm-image-codec.js'
import { createDiskPhotoFiles } from './disk-photo-files.js'
import { createDifyGateway, type DifyLogger } from './dify-gateway.js'

/** Where the gateway logs; set once the app's logger exists (the app is built after its ports). */
export interface LateLogger extends DifyLogger {
  attach (logger: DifyLogger): void
}

export interface PortOverrides {
  /** The AI gateway to use instead of one built from the config (null: no AI). */
  ai?: AiGateway | null
  /** Seals the Dify key at rest (the desktop: the OS keychain). */
  secrets?: SecretBox
}

/** Opens the database in the config's data folder and creates the gateway. */
export function openPorts (config: Config, overrides: PortOverrides = {}): { ports: Ports, aiLogger: LateLogger, db: Database } {
  let target: DifyLogger | null = null
  const aiLogger: LateLogger = {
    attach (logger) { target = logger },
    warn (obj, msg) { target?.warn(obj, msg) },
    debug (obj, msg) { target?.debug?.(obj, msg) }
  }
  const db = openDatabase(join(config.dataDir, 'mindweb.db'))
  const store = createSqliteChatStore(db)
  const createAi = aiFactory(config, aiLogger)
  const ai = overrides.ai !== undefined
    ? overrides.ai
    : config.difyApiUrl !== null && config.difyApiKey !== null ? createAi({ url: config.difyApiUrl, apiKey: config.difyApiKey }) : null
  // One object keeps the gate's, privacy's and the lesson record's tables: one port each.
  const gate = createSqliteGateStore(db)
  const ports: Ports = {
    store,
    photos: createSqlitePhotoStore(db),
    photoFiles: createDiskPhotoFiles(join(config.dataDir, 'photos')),
    images: createWasmImageCodec(),
    held: createSqliteHeldStore(db),
    feedback: createSqliteFeedbackStore(db),
    reactions: createSqliteReactionStore(db),
    ai,
    rateLimits: createSqliteRateLimitStore(db),
    gate,
    privacy: gate,
    lessons: gate,
    polls: createSqlitePollStore(db),
    createAi,
    ...(overrides.secrets !== undefined ? { secrets: overrides.secrets } : {})
  }
  return { ports, aiLogger, db }
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
