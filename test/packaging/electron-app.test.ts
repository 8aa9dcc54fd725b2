/**
 * The real desktop app end to end, with Playwright's Electron support: it opens the host console,
 * which shows the join address, then quits. It needs Electron's binary, which `npm ci` downloads on
 * a networked machine; where the binary is absent (this build machine) it skips with the reason.
 * The binary's path is found as the `electron` package finds it, without loading that package
 * (loading it starts a download).
 */
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { execFile } from 'node:child_process'
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { _electron as electron } from 'playwright-core'
import { ROOT } from './build.js'
import { freePort } from '../helpers/net.js'

function electronBinary (): string | null {
  const pkg = join(ROOT, 'node_modules/electron')
  const pathFile = join(pkg, 'path.txt')
  if (!existsSync(pathFile)) return null
  const binary = process.env.ELECTRON_OVERRIDE_DIST_PATH !== undefined
    ? join(process.env.ELECTRON_OVERRIDE_DIST_PATH, readFileSync(pathFile, 'utf8'))
    : join(pkg, 'dist', readFileSync(pathFile, 'utf8'))
  return existsSync(binary) ? binary : null
}

const binary = electronBinary()
const skip = binary === null ? 'Electron\'s binary is not installed here (it cannot be downloaded on this machine); the packaging tests cover the rest' : false

test('the desktop app opens the host console with the join address, and quits', { skip, timeout: 180_000 }, async (t) => {
  await promisify(execFile)(process.execPath, [join(ROOT, 'node_modules/electron-vite/bin/electron-vite.js'), 'build', '--logLevel', 'warn'], { cwd: ROOT })
  const userData = mkdtempSync(join(tmpdir(), 'mindweb-electron-'))
  t.after(() => rmSync(userData, { recursive: true, force: true }))
  mkdirSync(userData, { recursive: true })
  writeFileSync(join(userData, 'desktop.json'), JSON.stringify({ port: await freePort() }))
  const app = await electron.launch({
    executablePath: binary!,
    // CI's Linux runners have no setuid sandbox helper for an npm-installed Electron; the windows keep their own sandbox option.
    args: [ROOT, `--user-data-dir=${userData}`, ...(process.platform === 'linux' ? ['--no-sandbox'] : [])],
    env: { ...process.env, MINDWEB_AUTO_UPDATE: '0' } as Record<string, string>
  })
  t.after(async () => { await app.close().catch(() => {}) })
  const page = await app.firstWindow()
  assert.match(page.url(), /^http:\/\/127\.0\.0\.1:\d+\/admin\/$/)
  await page.getByText(/http:\/\/\d+\.\d+\.\d+\.\d+:\d+/).first().waitFor({ timeout: 30_000 })
  const closed = new Promise(resolve => app.process().once('exit', resolve))
  await app.evaluate(({ app }) => { app.quit() })
  await closed
})
