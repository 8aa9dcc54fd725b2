#!/usr/bin/env node
/**
 * `npm run lighthouse [-- --url http://127.0.0.1:8000/] [--runs 3] [--json report.json]`
 * Lighthouse (mobile settings: a mid-range phone, simulated slow 4G and 4x CPU slowdown) on the
 * participant join page, in the system's Chromium. Without --url it builds the pages if needed and
 * starts a host of its own on 127.0.0.1 (temp data dir, no AI), and stops it at the end.
 * Prints the four category scores (the median run's, with --runs), the main timings, and every
 * audit that did not pass.
 * @see https://github.com/GoogleChrome/lighthouse/blob/main/docs/readme.md#using-programmatically
 */
import { spawn, spawnSync } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'
import * as chromeLauncher from 'chrome-launcher'
import lighthouse from 'lighthouse'

const root = join(dirname(fileURLToPath(import.meta.url)), '..')
const CATEGORIES = ['performance', 'accessibility', 'best-practices', 'seo']
const TIMINGS = ['first-contentful-paint', 'largest-contentful-paint', 'total-blocking-time', 'cumulative-layout-shift', 'speed-index', 'interactive']

const { values } = parseArgs({
  options: {
    url: { type: 'string' },
    runs: { type: 'string', default: '1' },
    json: { type: 'string' },
    chromium: { type: 'string', default: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium' }
  }
})
const runs = Number(values.runs)
if (!Number.isInteger(runs) || runs < 1 || runs > 9) {
  console.error(`--runs must be a whole number from 1 to 9 (got ${values.runs})`)
  process.exit(2)
}

const host = values.url === undefined ? await startHost() : null
const url = values.url ?? host.url
const chrome = await chromeLauncher.launch({ chromePath: values.chromium, chromeFlags: ['--headless', '--no-sandbox', '--disable-gpu'] })
try {
  const reports = []
  for (let k = 0; k < runs; k++) {
    const result = await lighthouse(url, { port: chrome.port, output: 'json', logLevel: 'error', onlyCategories: CATEGORIES })
    if (result === undefined) throw new Error('Lighthouse returned no result')
    const lhr = result.lhr
    if (lhr.runtimeError !== undefined) throw new Error(`Lighthouse: ${lhr.runtimeError.code} ${lhr.runtimeError.message}`)
    reports.push(lhr)
    if (runs > 1) console.log(`run ${k + 1}: ${CATEGORIES.map(c => `${c} ${score(lhr, c)}`).join(', ')}`)
  }
  // The run whose performance score is the median stands for all (Lighthouse's own advice).
  const lhr = [...reports].sort((a, b) => score(a, 'performance') - score(b, 'performance'))[Math.floor(reports.length / 2)]
  if (values.json !== undefined) writeFileSync(values.json, JSON.stringify(lhr, null, 2))
  console.log(`\nLighthouse ${lhr.lighthouseVersion} on ${lhr.finalDisplayedUrl} (${lhr.configSettings.formFactor}, ${lhr.configSettings.throttlingMethod} throttling; ${lhr.environment.hostUserAgent.match(/Chrome\/[\d.]+/)?.[0] ?? 'Chromium'})`)
  for (const c of CATEGORIES) console.log(`  ${lhr.categories[c].title.padEnd(16)} ${String(score(lhr, c)).padStart(3)}`)
  console.log('  ' + TIMINGS.map(id => `${lhr.audits[id].title}: ${lhr.audits[id].displayValue}`).join(' · '))
  const failing = []
  for (const c of CATEGORIES) {
    for (const ref of lhr.categories[c].auditRefs) {
      const audit = lhr.audits[ref.id]
      if (ref.weight > 0 && audit.score !== null && audit.score < 0.9 && audit.scoreDisplayMode !== 'informative') failing.push(`  [${c}] ${audit.title}${audit.displayValue ? ` (${audit.displayValue})` : ''}`)
    }
  }
  console.log(failing.length === 0 ? 'No scored audit below 90.' : `Scored audits below 90:\n${failing.join('\n')}`)
  const isGoalMet = score(lhr, 'performance') >= 95
  console.log(`Goal performance >= 95: ${isGoalMet ? 'met' : 'NOT met'}`)
} finally {
  chrome.kill()
  await host?.stop()
}

function score (lhr, category) {
  return Math.round((lhr.categories[category].score ?? 0) * 100)
}

/** Builds the pages if needed and starts `server/start.ts` on a free loopback port. */
async function startHost () {
  const build = spawnSync(process.execPath, [join(root, 'scripts', 'ensure-web-build.mjs')], { cwd: root, stdio: 'inherit' })
  if (build.status !== 0) throw new Error('the web build failed')
  const dataDir = mkdtempSync(join(tmpdir(), 'mindweb-lighthouse-'))
  const child = spawn(process.execPath, ['--import', 'tsx', 'server/start.ts', '--port', '0', '--host', '127.0.0.1', '--data-dir', dataDir, '--room-name', 'Lighthouse Room', '--log-level', 'warn'], {
    cwd: root,
    // No AI: the join page does not need it.
    env: Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith('DIFY_'))),
    stdio: ['ignore', 'pipe', 'pipe']
  })
  let output = ''
  const port = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the host did not start within 30 s:\n${output}`)), 30_000)
    const onData = (chunk) => {
      output += chunk.toString('utf8')
      const match = /http:\/\/127\.0\.0\.1:(\d+)\//.exec(output)
      if (match !== null) { clearTimeout(timer); resolve(Number(match[1])) }
    }
    child.stdout.on('data', onData)
    child.stderr.on('data', onData)
    child.once('exit', code => { clearTimeout(timer); reject(new Error(`the host exited with ${code}:\n${output}`)) })
  })
  return {
    url: `http://127.0.0.1:${port}/`,
    async stop () {
      if (child.exitCode === null) {
        const exited = new Promise(resolve => child.once('exit', resolve))
        child.kill('SIGTERM')
        const timer = setTimeout(() => child.kill('SIGKILL'), 10_000)
        await exited
        clearTimeout(timer)
      }
      rmSync(dataDir, { recursive: true, force: true })
    }
  }
}
