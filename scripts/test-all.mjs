#!/usr/bin/env node
// `npm test`: every suite, in order, even when one fails, then one summary of what failed and how
// long each took. A failing typecheck still lets the tests run (they run the TypeScript sources),
// so one run shows every problem. Plain JavaScript so that it runs on any Node.
import { spawnSync } from 'node:child_process'

const SUITES = ['typecheck', 'test:server', 'test:web', 'test:e2e', 'test:packaging']
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm'
const results = []
for (const suite of SUITES) {
  const startedAt = Date.now()
  const run = spawnSync(npm, ['run', suite], { stdio: 'inherit', shell: process.platform === 'win32' })
  results.push({ suite, ok: run.status === 0, seconds: Math.round((Date.now() - startedAt) / 1000), status: run.status ?? run.signal })
}
console.log('\nnpm test:')
for (const r of results) console.log(`  ${r.ok ? 'ok  ' : 'FAIL'}  ${r.suite.padEnd(15)} ${String(r.seconds).padStart(4)} s${r.ok ? '' : `  (exit ${r.status})`}`)
const failed = results.filter(r => !r.ok)
if (failed.length > 0) {
  console.log(`\n${failed.length} of ${SUITES.length} suites failed: ${failed.map(r => r.suite).join(', ')}. Run one alone with npm run <suite>.`)
  process.exit(1)
}
console.log(`\nall ${SUITES.length} suites passed`)
