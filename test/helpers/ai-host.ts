/** A test host whose AI is the fake Dify, reached through the real Dify gateway (undici). */
import type { TestContext } from 'node:test'
import type { Config } from '../../server/config.js'
import { createDifyGateway } from '../../server/adapters/dify-gateway.js'
import { startFakeDify, type FakeDify, type FakeDifyOptions } from './fake-dify.js'
import { startHost, type TestHost } from './host.js'

export interface AiHostOptions {
  /** the fake Dify's options (default: 2 ms between tokens, a ping every 200 ms) */
  dify?: FakeDifyOptions
  config?: Partial<Config>
  /** the gateway's timings (default: idle 3 s or the config's, deadline 30 s, no retries) */
  gateway?: { idleTimeoutMs?: number, deadlineMs?: number, retries?: number }
  dataDir?: string
}

/** Starts the fake Dify and a host that uses it; both stop when the test ends. */
export async function startAiHost (t: TestContext, options: AiHostOptions = {}): Promise<{ host: TestHost, dify: FakeDify }> {
  const dify = await startFakeDify({ tokenDelayMs: 2, pingIntervalMs: 200, ...options.dify })
  t.after(() => dify.close())
  const config: Partial<Config> = { difyApiUrl: dify.url, difyApiKey: dify.apiKey, ...options.config }
  const host = await startHost(t, {
    config,
    ai: () => createDifyGateway({
      baseUrl: dify.url,
      apiKey: dify.apiKey,
      idleTimeoutMs: options.gateway?.idleTimeoutMs ?? config.aiIdleTimeoutMs ?? 3000,
      deadlineMs: options.gateway?.deadlineMs ?? 30_000,
      retries: options.gateway?.retries ?? 0,
      retryBaseMs: 20
    }),
    ...(options.dataDir !== undefined ? { dataDir: options.dataDir } : {})
  })
  return { host, dify }
}
