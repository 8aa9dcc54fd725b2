/**
 * scripts/ensure-electron.mjs, the check before `npm start` and `npm run dist`, run against a copy of
 * the electron package without its binary (the shared node_modules/electron is never touched) and a
 * download host that refuses the connection at once.
 */
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { execFile } from 'node:child_process'
import { copyFileSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs'
import { createServer } from 'node:net'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { ROOT } from './build.js'
import { tempDir } from '../helpers/temp-dir.js'

const run = promisify(execFile)
const SCRIPT = join(ROOT, 'scripts/ensure-electron.mjs')
const { version } = await import(join(ROOT, 'node_modules/electron/package.json'), { with: { type: 'json' } }).then(m => m.default as { version: string })

/** A copy of the electron package's own files, without dist/ or path.txt. */
function electronCopy (dir: string): string {
  const copy = join(dir, 'electron')
  mkdirSync(copy)
  for (const file of ['package.json', 'install.js', 'checksums.json']) copyFileSync(join(ROOT, 'node_modules/electron', file), join(copy, file))
  return copy
}

/** A port nothing listens on (taken, then freed). */
async function closedPort (): Promise<number> {
  const server = createServer()
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as { port: number }
  await new Promise(resolve => server.close(resolve))
  return port
}

async function ensure (env: Record<string, string>): Promise<{ code: number, stdout: string, stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, [SCRIPT], { cwd: ROOT, env: { ...process.env, ...env }, timeout: 60_000 })
    return { code: 0, stdout, stderr }
  } catch (err) {
    const e = err as { code: number, stdout: string, stderr: string }
    return { code: e.code, stdout: e.stdout, stderr: e.stderr }
  }
}

test('a failed download ends in one sentence that says it was Electron, and exit code 1', { timeout: 90_000 }, async (t) => {
  const dir = tempDir(t)
  const copy = electronCopy(dir)
  const port = await closedPort()
  const result = await ensure({
    MINDWEB_ELECTRON_DIR: copy,
    // install.js runs from the copy: its @electron/get comes from the project's node_modules.
    NODE_PATH: join(ROOT, 'node_modules'),
    ELECTRON_MIRROR: `http://127.0.0.1:${port}/`,
    electron_config_cache: join(dir, 'cache')
  })
  assert.equal(result.code, 1)
  assert.match(result.stdout, new RegExp(`^electron: downloading Electron ${version.replaceAll('.', '\\.')}'s binary`))
  const lines = result.stderr.trim().split('\n')
  assert.equal(lines.length, 1, result.stderr)
  assert.match(lines[0]!, new RegExp(`^Electron's binary could not be downloaded \\(connect ECONNREFUSED 127\\.0\\.0\\.1:${port}\\): the desktop app needs Electron ${version.replaceAll('.', '\\.')} \\(${process.platform}-${process.arch}\\) once, `))
  assert.match(lines[0]!, /ELECTRON_MIRROR/)
  assert.match(lines[0]!, /electron_config_cache/)
  assert.match(lines[0]!, /the headless host needs none: npm run serve\.$/)
  assert.doesNotMatch(result.stderr + result.stdout, /^\s+at /m, 'no stack trace')
  assert.deepEqual(readdirSync(copy).sort(), ['checksums.json', 'install.js', 'package.json'], 'nothing half-installed')
})

test('a binary in place is reported in one line, without a download', async (t) => {
  const copy = electronCopy(tempDir(t))
  const executable = { darwin: 'Electron.app/Contents/MacOS/Electron', win32: 'electron.exe' }[process.platform as string] ?? 'electron'
  mkdirSync(join(copy, 'dist', executable, '..'), { recursive: true })
  writeFileSync(join(copy, 'dist', executable), '')
  writeFileSync(join(copy, 'dist/version'), `v${version}`)
  writeFileSync(join(copy, 'path.txt'), executable)
  // A download would fail: the mirror is a closed port.
  const result = await ensure({ MINDWEB_ELECTRON_DIR: copy, ELECTRON_MIRROR: `http://127.0.0.1:${await closedPort()}/` })
  assert.equal(result.code, 0, result.stderr)
  assert.equal(result.stdout, `electron: binary present (${version})\n`)
})
