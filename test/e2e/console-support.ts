/**
 * Opening the host console in Chromium for the console's browser tests, and a host started the way
 * a teacher starts it before configuring the AI (no DIFY_* in the environment).
 */
import { spawn } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { Browser, BrowserContext, Page } from 'playwright-core'
import { freePort } from '../helpers/net.js'

const ROOT = fileURLToPath(new URL('../..', import.meta.url))

/** The admin token the console tests start their hosts with. */
export const ADMIN_TOKEN = 'console-e2e-admin-token-0123456789'

export interface ConsolePage {
  context: BrowserContext
  page: Page
  errors: string[]
}

export interface ConsoleOptions {
  viewport?: { width: number, height: number }
  colorScheme?: 'light' | 'dark'
  locale?: string
  section?: string
  bypassCSP?: boolean
}

/** Opens `/admin/#token=…` (optionally a section) in a fresh profile. */
export async function openConsole (browser: Browser, baseUrl: string, options: ConsoleOptions = {}): Promise<ConsolePage> {
  const context = await browser.newContext({
    baseURL: baseUrl,
    // Only for the accessibility check, which injects axe-core into the page.
    bypassCSP: options.bypassCSP ?? false,
    viewport: options.viewport ?? { width: 1366, height: 768 },
    colorScheme: options.colorScheme ?? 'light',
    locale: options.locale ?? 'en-US'
  })
  const page = await context.newPage()
  const errors: string[] = []
  page.on('pageerror', err => errors.push(err.message))
  await page.goto(`/admin/#token=${ADMIN_TOKEN}`)
  await page.locator('.phase--open').waitFor({ timeout: 15_000 })
  if (options.section) await goToSection(page, options.section)
  return { context, page, errors }
}

/** Clicks a section in the console's navigation. */
export async function goToSection (page: Page, name: string): Promise<void> {
  // The label alone: "People" also shows a count.
  await page.locator('.console__nav .nav-item', { has: page.locator('.nav-item__label', { hasText: new RegExp(`^${name}$`) }) }).click()
}

export interface BareHost {
  url: string
  output: () => string
  close: () => Promise<void>
}

/** The host with no AI configured at launch, so every AI setting is the console's to set. */
export async function startBareHost (extraArgs: string[] = []): Promise<BareHost> {
  const dataDir = mkdtempSync(join(tmpdir(), 'mindweb-console-'))
  const port = await freePort()
  const env = { ...process.env }
  delete env.DIFY_API_URL
  delete env.DIFY_API_KEY
  const child = spawn(process.execPath, [
    '--import', 'tsx', join(ROOT, 'server/start.ts'),
    '--port', String(port), '--host', '127.0.0.1', '--data-dir', dataDir, '--room-name', 'Console Room',
    '--limits', 'off', '--log-level', 'warn', '--admin-token', ADMIN_TOKEN, ...extraArgs
  ], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] })
  let output = ''
  child.stdout.on('data', (chunk: Buffer) => { output += chunk.toString() })
  child.stderr.on('data', (chunk: Buffer) => { output += chunk.toString() })
  const url = `http://127.0.0.1:${port}`
  const deadline = Date.now() + 30_000
  for (;;) {
    if (child.exitCode !== null) throw new Error(`the host exited with ${child.exitCode}:\n${output}`)
    const ok = await fetch(`${url}/healthz`).then(r => r.ok, () => false)
    if (ok) break
    if (Date.now() > deadline) {
      child.kill('SIGKILL')
      throw new Error(`the host did not answer /healthz within 30 s:\n${output}`)
    }
    await new Promise(resolve => setTimeout(resolve, 100))
  }
  return {
    url,
    output: () => output,
    async close () {
      if (child.exitCode === null) {
        const exited = new Promise<void>(resolve => child.once('exit', () => resolve()))
        child.kill('SIGTERM')
        const timer = setTimeout(() => child.kill('SIGKILL'), 10_000)
        await exited
        clearTimeout(timer)
      }
      rmSync(dataDir, { recursive: true, force: true })
    }
  }
}

const AXE_SOURCE = readFileSync(fileURLToPath(new URL('../../node_modules/axe-core/axe.min.js', import.meta.url)), 'utf8')

/** WCAG 2 A/AA violations axe-core finds on the page as it is now, as readable lines. */
export async function axeViolations (page: Page): Promise<string[]> {
  // Evaluated over the DevTools protocol, so that it runs on pages whose CSP allows no added script.
  await page.evaluate(`${AXE_SOURCE}\n;void 0`)
  // Runs in the page (this project's Node typings carry no DOM).
  return await page.evaluate<string[]>(`axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa'] } })
    .then(r => r.violations.map(v => v.id + ': ' + v.nodes.slice(0, 3).map(n => n.target.join(' ') + ' ' + (n.failureSummary || '').split('\\n').slice(1, 2).join('')).join(' | ')))`)
}
