import assert from 'node:assert/strict'
import { spawnSync } from 'node:child_process'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { test } from 'node:test'
import { runFirstVisits } from '../bench/first-visits.js'

const ROOT = fileURLToPath(new URL('../..', import.meta.url))

// The first-visits bench end to end at toy size (real host process, the built pages, one address
// per visit). No timing assertion: timings belong to `npm run bench -- --case first-visits`.
test('the first-visits bench serves every page load compressed and checks the bytes', { timeout: 120_000 }, async () => {
  const build = spawnSync(process.execPath, [join(ROOT, 'scripts', 'ensure-web-build.mjs')], { cwd: ROOT, stdio: 'inherit' })
  assert.equal(build.status, 0, 'the web build')
  const r = await runFirstVisits({ root: ROOT, visits: 12, withinMs: 600, timeoutMs: 30_000, quietWaitMs: 0 })
  assert.deepEqual(r.errorSamples, [])
  assert.equal(r.visitsOk, 12)
  assert.ok(r.pass)
  assert.ok(r.requestsPerVisit >= 4, `HTML, a script, a style and the room info at least (${r.requestsPerVisit})`)
  assert.equal(r.visitMs.n, 12)
  assert.ok(r.bytesPerVisit < r.plainBytesPerVisit / 2, `${r.bytesPerVisit} B on the wire for ${r.plainBytesPerVisit} B of files`)
  assert.ok(r.hostRssPeakMb > 0)
})
