/**
 * Runs the real host as a child process (`server/start.ts`, exactly as `npm run serve` does) on
 * 127.0.0.1 with a temp data dir and the fake Dify, for end-to-end tests in a browser.
 */
import { spawn, type ChildProcess } from 'node:child_process'
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { after, before } from 'node:test'
import type { Browser } from 'playwright-core'
import { launchBrowser } from '../helpers/browser.js'
import { startFakeDify, type FakeDify, type FakeDifyOptions } from '../helpers/fake-dify.js'
import { freePort } from '../helpers/net.js'

const ROOT = fileURLToPath(new URL('../..', import.meta.url))

/**
 * Where screenshots for a person to look at go: `$MINDWEB_SCREENS/<scene>` when set, else
 * `test-results/screens/<scene>` inside the checkout (ignored by git). Never outside the checkout.
 */
export function screensDir (scene: string): string {
  const dir = join(process.env.MINDWEB_SCREENS ?? join(ROOT, 'test-results', 'screens'), scene)
  mkdirSync(dir, { recursive: true })
  return dir
}

export interface E2eHost {
  url: string
  dify: FakeDify
  /** What the host printed (for failure messages). */
  output: () => string
  close: () => Promise<void>
}

export interface E2eHostOptions {
  roomName?: string
  aiMode?: 'mention' | 'all' | 'approve' | 'off'
  /** Mean delay between streamed tokens. */
  tokenDelayMs?: number
  extraArgs?: string[]
  /** More of the fake Dify's options (its app's features). */
  dify?: FakeDifyOptions
}

/** Starts the fake Dify and the host; resolves once `/healthz` answers. */
export async function startE2eHost (options: E2eHostOptions = {}): Promise<E2eHost> {
  const dify = await startFakeDify({ tokenDelayMs: options.tokenDelayMs ?? 40, ...options.dify })
  const dataDir = mkdtempSync(join(tmpdir(), 'mindweb-e2e-'))
  const port = await freePort()
  const args = [
    '--import', 'tsx', join(ROOT, 'server/start.ts'),
    '--port', String(port), '--host', '127.0.0.1', '--data-dir', dataDir,
    '--room-name', options.roomName ?? 'E2E Room', '--ai-mode', options.aiMode ?? 'mention',
    // Every browser here shares one address; the per-address limits are tested elsewhere.
    '--limits', 'off', '--log-level', 'warn',
    ...(options.extraArgs ?? [])
  ]
  const child = spawn(process.execPath, args, {
    cwd: ROOT,
    env: { ...process.env, DIFY_API_URL: dify.url, DIFY_API_KEY: dify.apiKey },
    stdio: ['ignore', 'pipe', 'pipe']
  })
  let output = ''
  child.stdout.on('data', (chunk: Buffer) => { output += chunk.toString() })
  child.stderr.on('data', (chunk: Buffer) => { output += chunk.toString() })
  const url = `http://127.0.0.1:${port}`
  try {
    await waitForHealth(url, child, () => output)
  } catch (err) {
    child.kill('SIGKILL')
    await dify.close()
    rmSync(dataDir, { recursive: true, force: true })
    throw err
  }
  return {
    url,
    dify,
    output: () => output,
    async close () {
      await stopChild(child)
      await dify.close()
      rmSync(dataDir, { recursive: true, force: true })
    }
  }
}

async function waitForHealth (url: string, child: ChildProcess, output: () => string): Promise<void> {
  const deadline = Date.now() + 30_000
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`the host exited with ${child.exitCode}:\n${output()}`)
    try {
      const response = await fetch(`${url}/healthz`)
      if (response.ok) return
    } catch { /* not listening yet */ }
    await new Promise(resolve => setTimeout(resolve, 100))
  }
  throw new Error(`the host did not answer /healthz within 30 s:\n${output()}`)
}

async function stopChild (child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return
  const exited = new Promise<void>(resolve => child.once('exit', () => resolve()))
  child.kill('SIGTERM')
  const timer = setTimeout(() => child.kill('SIGKILL'), 10_000)
  await exited
  clearTimeout(timer)
}

export interface E2eRoom {
  readonly host: E2eHost
  readonly browser: Browser
}

/**
 * One host and one Chromium for the enclosing `describe`: started in `before`, closed in `after`.
 * Read `host` and `browser` inside tests (they exist once `before` has run).
 */
export function useE2eRoom (options: E2eHostOptions = {}): E2eRoom {
  let host: E2eHost | undefined
  let browser: Browser | undefined
  before(async () => {
    host = await startE2eHost(options)
    browser = await launchBrowser()
  })
  after(async () => {
    await browser?.close()
    await host?.close()
  })
  return {
    get host () { if (host === undefined) throw new Error('the e2e host is not started yet (use it inside a test)'); return host },
    get browser () { if (browser === undefined) throw new Error('Chromium is not launched yet (use it inside a test)'); return browser }
  }
}
