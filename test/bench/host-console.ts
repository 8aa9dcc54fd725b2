/**
 * The host console during a bench case: `--console socket` keeps an admin live socket open (it gets
 * every room frame plus the admin-only ones, and reads them all); `--console browser` also opens the
 * real console page in headless Chromium, as a teacher's window would be, so its cost is in the figures.
 * With `BENCH_CPU_PROF=<dir>` the page's V8 profile is written there too (console.cpuprofile).
 */
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import WebSocket from 'ws'
import { chromium, type Browser, type CDPSession } from 'playwright-core'
import { CHROMIUM_PATH } from '../helpers/browser.js'
import { ADMIN_TOKEN } from './host-proc.js'

export type ConsoleMode = 'none' | 'socket' | 'browser'

export interface HostConsole {
  /** frames and bytes the admin socket received so far */
  counts (): { frames: number, bytes: number }
  close (): Promise<void>
}

const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run']

/** Opens the console feed (and page) of the host on `port`; resolves once both are live. */
export async function openHostConsole (port: number, mode: Exclude<ConsoleMode, 'none'>): Promise<HostConsole> {
  let frames = 0
  let bytes = 0
  const ws = new WebSocket(`ws://127.0.0.1:${port}/api/admin/ws?token=${ADMIN_TOKEN}`)
  ws.on('message', (data: Buffer) => { frames++; bytes += data.length })
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => { resolve() })
    ws.once('error', reject)
  })
  let browser: Browser | null = null
  let profiler: CDPSession | null = null
  const profDir = process.env.BENCH_CPU_PROF
  if (mode === 'browser') {
    browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: ARGS })
    const page = await browser.newPage({ viewport: { width: 1366, height: 768 } })
    await page.goto(`http://127.0.0.1:${port}/admin/#token=${ADMIN_TOKEN}`)
    // The console is live once its room view has rendered.
    await page.waitForSelector('main', { timeout: 30_000 })
    if (profDir !== undefined && profDir !== '') {
      profiler = await page.context().newCDPSession(page)
      await profiler.send('Profiler.enable')
      await profiler.send('Profiler.start')
    }
  }
  return {
    counts: () => ({ frames, bytes }),
    close: async () => {
      ws.terminate()
      if (profiler !== null && profDir !== undefined) {
        const { profile } = await profiler.send('Profiler.stop')
        writeFileSync(join(profDir, 'console.cpuprofile'), JSON.stringify(profile))
      }
      await browser?.close()
    }
  }
}
