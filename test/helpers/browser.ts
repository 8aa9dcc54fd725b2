/**
 * Headless Chromium for end-to-end tests (playwright-core driving the system's /usr/bin/chromium),
 * and the few page actions every participant test needs.
 */
import { existsSync } from 'node:fs'
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core'

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'

/** A reason to skip browser tests on a machine without Chromium (`.ci/run` installs it), else false. */
export const NO_CHROMIUM: string | false = existsSync(CHROMIUM_PATH) ? false : `Chromium is not installed at ${CHROMIUM_PATH} (Debian: apt-get install chromium)`

const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run']

/** Launches Chromium; close it in `after`. */
export async function launchBrowser (): Promise<Browser> {
  return await chromium.launch({ executablePath: CHROMIUM_PATH, args: ARGS })
}

export interface ParticipantOptions {
  viewport?: { width: number, height: number }
  isMobile?: boolean
  colorScheme?: 'light' | 'dark'
  locale?: string
}

export interface Participant {
  context: BrowserContext
  page: Page
  /** Every dialog (alert/confirm/prompt) that fired: an XSS would show up here. */
  dialogs: string[]
  /** Uncaught page errors. */
  errors: string[]
}

export const PHONE = { viewport: { width: 375, height: 812 }, isMobile: true } as const

/** A fresh browser profile (its own storage) on the participant page. */
export async function openParticipant (browser: Browser, baseUrl: string, options: ParticipantOptions = {}): Promise<Participant> {
  const context = await browser.newContext({
    baseURL: baseUrl,
    viewport: options.viewport ?? { width: 1200, height: 800 },
    isMobile: options.isMobile ?? false,
    hasTouch: options.isMobile ?? false,
    deviceScaleFactor: options.isMobile === true ? 2 : 1,
    colorScheme: options.colorScheme ?? 'light',
    locale: options.locale ?? 'en-US'
  })
  const page = await context.newPage()
  const participant: Participant = { context, page, dialogs: [], errors: [] }
  page.on('dialog', dialog => {
    participant.dialogs.push(`${dialog.type()}: ${dialog.message()}`)
    dialog.dismiss().catch(() => {})
  })
  page.on('pageerror', err => participant.errors.push(err.message))
  await page.goto('/')
  return participant
}

/** Fills the join form and waits for the room. */
export async function joinRoom (page: Page, username: string, emojiIndex = 0): Promise<void> {
  await page.getByLabel('Your name').fill(username)
  await page.locator('.emoji-picker__item').nth(emojiIndex).click()
  await page.getByRole('button', { name: /Join the room/ }).click()
  await page.locator('.composer__input').waitFor()
  await page.locator('.status-dot.is-online').first().waitFor()
}

/** Types a message and presses Enter. */
export async function sendMessage (page: Page, text: string): Promise<void> {
  const input = page.locator('.composer__input')
  await input.fill(text)
  await input.press('Enter')
}

/**
 * The confirmed messages on the page, in order, as `key|text` (pending ones excluded). The list
 * renders only what is near the viewport, so this scrolls it from top to bottom and reads each row.
 */
export async function roomTranscript (page: Page): Promise<string[]> {
  // Runs in the page (this project's Node typings carry no DOM).
  return await page.evaluate<string[]>(`(async () => {
    const list = document.querySelector('.messages')
    const rows = new Map()
    const frame = () => new Promise(resolve => requestAnimationFrame(() => requestAnimationFrame(resolve)))
    const read = () => {
      for (const row of list.querySelectorAll('[data-index]')) {
        const el = row.querySelector('[data-key]')
        if (el) rows.set(el.dataset.key, [Number(row.dataset.index), el.dataset.key + '|' + (el.querySelector('.msg-text, .md')?.textContent ?? '')])
      }
    }
    // Answers show as plain text until the Markdown chunk has loaded: read them once it has.
    const settled = async () => { for (let i = 0; i < 120 && list.querySelector('.md--plain'); i++) await frame() }
    // After a jump the virtual list renders the rows there a few frames later: wait for them.
    const shown = () => [...list.querySelectorAll('[data-index]')].map(r => r.dataset.index).join(',')
    const rendered = async (before) => { for (let i = 0; i < 30 && shown() === before; i++) await frame() }
    const start = list.scrollTop
    const atStart = shown()
    list.scrollTop = 0
    if (start > 0) await rendered(atStart)
    for (let i = 0; i < 10000; i++) {
      await frame()
      await settled()
      read()
      if (list.scrollTop + list.clientHeight >= list.scrollHeight - 2) break
      const before = shown()
      list.scrollTop += Math.max(100, list.clientHeight * 0.6)
      await rendered(before)
    }
    list.scrollTop = start
    return [...rows.values()].sort((a, b) => a[0] - b[0]).map(r => r[1])
  })()`)
}

/** Waits until a confirmed message contains `text` (or matches it, for a RegExp). */
export async function waitForMessage (page: Page, text: string | RegExp, timeout = 15_000): Promise<void> {
  await page.locator('.messages [data-key] .msg-text', { hasText: text }).first().waitFor({ timeout })
}
