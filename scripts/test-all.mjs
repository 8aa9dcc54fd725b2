#!/usr/bin/env node
// `npm test`: every suite, in order, even when one fails, then one summary of what failed and how
// long each took. A failing typecheck still lets the tests run (they run the TypeScript sources),
// so one run shows every problem. Each suite's output streams through as it runs; the summary
// repeats the failing tests' names and first error lines, because a CI log is often read from
// its tail and the failure may have scrolled far up. Plain JavaScript so that it runs on any Node.
import { spawn } from 'node:child_process'

const SUITES = ['typecheck', 'test:server', 'test:web', 'test:e2e', 'test:packaging']
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm'
const FAILURE_LINES = 40

/** Runs one suite with its output passed through and kept, for the summary. */
function run (suite) {
  return new Promise(resolve => {
    const child = spawn(npm, ['run', suite], { stdio: ['inherit', 'pipe', 'pipe'], shell: process.platform === 'win32' })
    let output = ''
    const keep = (stream, sink) => stream.on('data', chunk => { sink.write(chunk); output += chunk })
    keep(child.stdout, process.stdout)
    keep(child.stderr, process.stderr)
    child.on('close', (code, signal) => resolve({ status: code ?? signal, output }))
  })
}

/** The part of a suite's output that names what failed: node:test's "failing tests:" list, else
 *  vitest's FAIL lines, else tsc's error lines. */
function failuresIn (output) {
  // eslint-disable-next-line no-control-regex -- the point is to strip the ANSI colour codes
  const plain = output.replace(/\x1b\[[0-9;]*m/g, '')
  const at = plain.lastIndexOf('failing tests:')
  if (at >= 0) return plain.slice(at).split('\n').slice(0, FAILURE_LINES)
  return plain.split('\n').filter(line => /^\s*(FAIL|×|✖)\s|error TS\d+/.test(line)).slice(0, FAILURE_LINES)
}

const results = []
for (const suite of SUITES) {
  const startedAt = Date.now()
  const { status, output } = await run(suite)
  results.push({ suite, ok: status === 0, seconds: Math.round((Date.now() - startedAt) / 1000), status, failures: status === 0 ? [] : failuresIn(output) })
}
console.log('\nnpm test:')
for (const r of results) console.log(`  ${r.ok ? 'ok  ' : 'FAIL'}  ${r.suite.padEnd(15)} ${String(r.seconds).padStart(4)} s${r.ok ? '' : `  (exit ${r.status})`}`)
const failed = results.filter(r => !r.ok)
if (failed.length > 0) {
  for (const r of failed) {
    if (r.failures.length === 0) continue
    console.log(`\n${r.suite}, what failed:`)
    for (const line of r.failures) console.log(`  ${line}`)
  }
  console.log(`\n${failed.length} of ${SUITES.length} suites failed: ${failed.map(r => r.suite).join(', ')}. Run one alone with npm run <suite>.`)
  process.exit(1)
}
console.log(`\nall ${SUITES.length} suites passed`)
