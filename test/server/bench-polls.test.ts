import { test } from 'node:test'
import assert from 'node:assert/strict'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { frameRate, inclusionLatency, peakPerSecond, runPolls } from '../bench/polls.js'

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..')

test('a vote counts from the first frame whose total includes it, whichever process sent it', () => {
  // sends at 0, 10, 20, 30; frames: total 1 at 5, total 3 at 40, total 4 at 300
  const { latency, missing } = inclusionLatency([20, 0, 30, 10].sort((a, b) => a - b), [[300, 4], [5, 1], [40, 3]])
  assert.equal(missing, 0)
  assert.equal(latency.count, 4)
  assert.equal(latency.sum, (5 - 0) + (40 - 10) + (40 - 20) + (300 - 30))
  assert.equal(latency.max, 270)
})

test('votes no frame ever included are missing, not timed', () => {
  const { latency, missing } = inclusionLatency([0, 1, 2], [[10, 1]])
  assert.equal(latency.count, 1)
  assert.equal(missing, 2)
})

test('frame rates: the peak in any one second, and the rate until the final total', () => {
  assert.equal(peakPerSecond([[0, 1], [250, 2], [999, 3], [1000, 4], [2500, 5]]), 3)
  assert.equal(peakPerSecond([]), 0)
  assert.deepEqual(frameRate([[-5, 0], [250, 2], [500, 4], [900, 4]], 0), { frames: 2, perS: 4 })
})

// The case's machinery end to end at toy size (real host process, one generator). No timing
// assertion: timings belong to `npm run bench -- --case polls`, on a quiet machine.
test('the polls bench counts every vote exactly once, on the console, a participant and GET', { timeout: 90_000 }, async () => {
  const r = await runPolls({ root, participants: 9, spreadMs: 300, procs: 1, ramp: 9, timeoutMs: 20_000, quietWaitMs: 0 })
  assert.equal(r.connected, 9)
  assert.equal(r.votesSent, 9)
  assert.equal(r.finalTotal, 9)
  assert.deepEqual(r.finalCounts, [3, 2, 2, 2])
  assert.deepEqual(r.expectedCounts, [3, 2, 2, 2])
  assert.equal(r.adminLastTotal, 9)
  assert.equal(r.participantLastTotal, 9)
  assert.equal(r.participantsSawFinal, 9)
  assert.equal(r.adminLatencyMs.n, 9)
  assert.equal(r.participantLatencyMs.n, 9)
  assert.ok(r.adminFrames >= 1)
  assert.equal(r.errorFrames, 0)
  assert.equal(r.seqErrors, 0)
})
