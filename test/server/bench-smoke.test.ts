import { test } from 'node:test'
import assert from 'node:assert/strict'
import { runCase } from '../bench/run.js'

// The benchmark's machinery end to end at toy size (real host process, fake Dify, one generator).
// No timing assertion: timings belong to `npm run bench`, on a quiet machine.
test('the fan-out bench delivers every token of every answer to every participant exactly once', { timeout: 90_000 }, async () => {
  const r = await runCase(
    { name: 'smoke', participants: 6, answers: 2, slow: 1, reconnect: false, tokenBytes: 0, target: {} },
    { tokens: 5, intervalMs: 5, procs: 1, ramp: 6, timeoutMs: 20_000, aiConcurrency: 10, quietWaitMs: 0 }
  )
  assert.equal(r.tokensExpected, 5 * 2 * 5)
  assert.equal(r.deliveredPct, 100)
  assert.equal(r.orderErrors, 0)
  assert.equal(r.seqErrors, 0)
  assert.equal(r.endsBad, 0)
  assert.equal(r.endsDoubled, 0)
  assert.equal(r.endsBeforeTokens, 0)
  assert.equal(r.slowComplete, 1)
  assert.ok(r.latencyMs.n === 50)
  assert.ok(r.hostRssPeakMb > 0)
})
