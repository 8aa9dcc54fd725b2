/** The cluster flags: --role and --redis, checked at boot with readable errors. */
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { ConfigError, loadConfig } from '../../server/config.js'

const load = (argv: string[], env: Record<string, string> = {}): ReturnType<typeof loadConfig> =>
  loadConfig({ argv, env, cwd: '/tmp', randomToken: () => 'a-random-token-of-24-chars' })

test('the single host is the default and needs no Redis', () => {
  const c = load([])
  assert.equal(c.role, 'single')
  assert.equal(c.redisUrl, null)
})

test('writer and edge need a redis:// URL, from the flag or MINDWEB_REDIS_URL', () => {
  assert.equal(load(['--role', 'edge', '--redis', 'redis://127.0.0.1:6379']).role, 'edge')
  assert.equal(load(['--role', 'writer'], { MINDWEB_REDIS_URL: 'rediss://:pw@db:6380' }).redisUrl, 'rediss://:pw@db:6380')
  assert.throws(() => load(['--role', 'edge']), (e: unknown) => e instanceof ConfigError && /needs --redis URL/.test(e.message))
  assert.throws(() => load(['--role', 'leader', '--redis', 'redis://x']), (e: unknown) => e instanceof ConfigError && /single, writer or edge/.test(e.message))
  assert.throws(() => load(['--role', 'writer', '--redis', 'http://:secret@x:6379']), (e: unknown) => e instanceof ConfigError && /redis:\/\/ or rediss:\/\//.test(e.message) && !e.message.includes('secret'))
  assert.throws(() => load(['--redis', 'redis://x']), (e: unknown) => e instanceof ConfigError && /writer or edge/.test(e.message))
})
