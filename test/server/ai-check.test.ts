import { test } from 'node:test'
import assert from 'node:assert/strict'
import { createDifyGateway } from '../../server/adapters/dify-gateway.js'
import { checkAiService } from '../../server/ai-check.js'
import { startFakeDify } from '../helpers/fake-dify.js'
import { freePort } from '../helpers/net.js'

interface Line { level: 'info' | 'warn', obj: object, msg: string }

function logger (): { lines: Line[], info: (obj: object, msg: string) => void, warn: (obj: object, msg: string) => void } {
  const lines: Line[] = []
  return { lines, info: (obj, msg) => lines.push({ level: 'info', obj, msg }), warn: (obj, msg) => lines.push({ level: 'warn', obj, msg }) }
}

function gateway (baseUrl: string, apiKey: string): ReturnType<typeof createDifyGateway> {
  return createDifyGateway({ baseUrl, apiKey, idleTimeoutMs: 2000, deadlineMs: 5000, retries: 1, retryBaseMs: 10, logger: { warn () {}, debug () {} } })
}

test('the launch check says so when the AI service answers', async (t) => {
  const fake = await startFakeDify({ apiKey: 'app-right-key' })
  const ai = gateway(fake.url, 'app-right-key')
  t.after(async () => { await ai.close(); await fake.close() })
  const log = logger()
  assert.deepEqual(await checkAiService(ai, log), { ok: true })
  assert.equal(log.lines.length, 1)
  assert.equal(log.lines[0]!.level, 'info')
})

test('the launch check warns, with the reason, when the key is refused', async (t) => {
  const fake = await startFakeDify({ apiKey: 'app-right-key' })
  const ai = gateway(fake.url, 'app-wrong-key')
  t.after(async () => { await ai.close(); await fake.close() })
  const log = logger()
  const r = await checkAiService(ai, log)
  assert.equal(r.ok, false)
  assert.equal(log.lines.length, 1)
  assert.equal(log.lines[0]!.level, 'warn')
  assert.deepEqual(log.lines[0]!.obj, { code: 'ERR_AI_AUTH' })
  assert.match(log.lines[0]!.msg, /key was refused/)
  assert.doesNotMatch(log.lines[0]!.msg, /app-wrong-key/)
})

test('the launch check warns when nothing listens at the AI address', async (t) => {
  const port = await freePort()
  const ai = gateway(`http://127.0.0.1:${port}/v1`, 'app-any-key')
  t.after(async () => { await ai.close() })
  const log = logger()
  const r = await checkAiService(ai, log)
  assert.equal(r.ok, false)
  assert.equal(log.lines[0]!.level, 'warn')
  assert.deepEqual(log.lines[0]!.obj, { code: 'ERR_AI_UNREACHABLE' })
})
