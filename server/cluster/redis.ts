/**
 * Redis connections for the cluster (ioredis). A command that meets a lost connection waits in
 * ioredis's offline queue and is sent again once Redis is back (`maxRetriesPerRequest: null`), so a
 * Redis restart delays frames but loses none; each reconnect is counted for /metrics.
 * @see https://github.com/redis/ioredis#auto-reconnect
 */
import { Redis } from 'ioredis'

export interface RedisLogger {
  warn (obj: object, msg: string): void
  info (obj: object, msg: string): void
}

/** Opens one connection; `onReconnect` runs each time it comes back after a loss. */
export function openRedis (url: string, name: string, log: RedisLogger, onReconnect: () => void): Redis {
  const redis = new Redis(url, {
    connectionName: name,
    maxRetriesPerRequest: null,
    enableOfflineQueue: true,
    // 50 ms, 100 ms, … capped at 1 s: Redis restarted on the same machine is back within a second or two.
    retryStrategy: (times) => Math.min(times * 50, 1000),
    lazyConnect: false
  })
  let isUp = false
  let hasBeenUp = false
  redis.on('ready', () => {
    if (hasBeenUp) { onReconnect(); log.info({ name }, 'Redis connection is back') }
    isUp = true
    hasBeenUp = true
  })
  redis.on('error', (err: Error) => {
    if (isUp) log.warn({ name, err: err.message }, 'Redis connection lost; retrying')
    isUp = false
  })
  redis.on('end', () => { isUp = false })
  return redis
}

/** Creates a consumer group (and its stream) unless it exists. */
export async function ensureGroup (redis: Redis, stream: string, group: string): Promise<void> {
  try {
    await redis.xgroup('CREATE', stream, group, '0', 'MKSTREAM')
  } catch (err) {
    if (!String((err as Error).message).includes('BUSYGROUP')) throw err
  }
}

/** Waits `ms`, for retry loops. */
export const sleep = async (ms: number): Promise<void> => { await new Promise(resolve => setTimeout(resolve, ms)) }
