import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import type { Page } from 'playwright-core'
import { NO_CHROMIUM } from '../helpers/browser.js'
import { TestClient } from '../helpers/ws-client.js'
import { screensDir, useE2eRoom } from './support.js'
import { axeViolations } from './console-support.js'

const ADMIN = 'projector-admin-token-0123456789'
const SCREENS = screensDir('projector')

/** A participant without a browser (the projector needs no participant device). */
async function participant (url: string, name: string): Promise<TestClient> {
  const res = await fetch(`${url}/api/users/join`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: name }) })
  const { token } = await res.json() as { token: string }
  const client = new TestClient(`${url.replace('http', 'ws')}/api/broadcast/ws?token=${token}`)
  await client.opened()
  return client
}

async function admin (url: string, method: string, path: string, body?: unknown): Promise<{ status: number, body: any }> {
  const res = await fetch(url + path, { method, headers: { authorization: `Bearer ${ADMIN}`, 'content-type': 'application/json' }, ...(body !== undefined ? { body: JSON.stringify(body) } : {}) })
  return { status: res.status, body: await res.json().catch(() => null) }
}

async function shot (page: Page, name: string): Promise<void> {
  await page.screenshot({ path: `${SCREENS}/${name}.png` })
}

describe('the projector in Chromium', { skip: NO_CHROMIUM }, () => {
  const room = useE2eRoom({ roomName: 'Biology 7B', aiMode: 'approve', tokenDelayMs: 60, extraArgs: ['--admin-token', ADMIN] })

  test('shows the join QR code, then the approved question and its answer streaming in', { timeout: 120_000 }, async () => {
    const { url } = room.host
    // bypassCSP only lets the accessibility check inject axe-core.
    const context = await room.browser.newContext({ viewport: { width: 1920, height: 1080 }, colorScheme: 'light', locale: 'en-US', bypassCSP: true })
    const page = await context.newPage()
    const errors: string[] = []
    page.on('pageerror', err => errors.push(err.message))
    await page.goto(`${url}/projector/#token=${ADMIN}`)

    // While people join: a large QR code of the join address, the address and the room's name.
    const qr = page.locator('.join__code')
    await qr.waitFor()
    const box = await qr.boundingBox()
    assert.ok(box !== null && box.height >= 600, `the QR code is large (${box?.height ?? 0} px high)`)
    // The room's name arrives with the first status, after the QR code is drawn.
    await page.locator('.join__room', { hasText: 'Biology 7B' }).waitFor()
    assert.equal(await page.locator('.join__room').innerText(), 'Biology 7B')
    assert.match(await page.locator('.join__url').innerText(), /^\d+\.\d+\.\d+\.\d+:\d+$|^127\.0\.0\.1:\d+$|:\d+$/)
    assert.equal(await qr.getAttribute('role'), 'img')
    assert.ok(!page.url().includes('token='), 'the token left the address bar')

    const kim = await participant(url, 'Kim')
    const lee = await participant(url, 'Lee')
    await lee.waitType('hello')
    kim.send({ type: 'chat', content: '@ai how do plants make food? Please use a table.', client_msg_id: 'q1' })
    const [asked] = await kim.waitFor(f => f.type === 'user_message' && f.client_msg_id === 'q1')
    await page.locator('.join__meta', { hasText: '1 question waiting' }).waitFor()
    await shot(page, 'projector-qr-1920x1080')
    assert.deepEqual(await axeViolations(page), [], 'the join view passes WCAG 2 AA checks')

    // The host approves with an edit: the projector follows the answer by itself, in large type.
    const approved = await admin(url, 'POST', `/api/admin/questions/${(asked as { id: number }).id}/approve`, { content: 'How do plants make their food? Answer with a table.' })
    assert.equal(approved.status, 200, JSON.stringify(approved.body))
    await page.locator('.answer__q', { hasText: 'How do plants make their food?' }).waitFor({ timeout: 10_000 })
    assert.match(await page.locator('.answer__asker').innerText(), /Kim asked/)
    assert.match(await page.locator('.answer__edited').innerText(), /edited by the host/)
    await page.locator('.answer__body .md.is-streaming').waitFor({ timeout: 15_000 })
    const streamingText = await page.locator('.answer__body').innerText()
    await shot(page, 'projector-answer-streaming-1920x1080')
    await page.locator('.answer__body .md:not(.is-streaming) table').waitFor({ timeout: 30_000 })
    const finalText = await page.locator('.answer__body').innerText()
    assert.ok(finalText.length > streamingText.length, 'the answer grew while the projector watched')
    // Runs in the page (this project's Node typings carry no DOM).
    type Styles = { getComputedStyle: (el: unknown) => { fontSize: string } }
    const fontPx = await page.locator('.answer__body').evaluate(el => parseFloat((globalThis as unknown as Styles).getComputedStyle(el).fontSize))
    assert.ok(fontPx >= 36, `large type for the back row (${fontPx} px)`)
    await shot(page, 'projector-answer-1920x1080')
    assert.deepEqual(await axeViolations(page), [], 'the answer view passes WCAG 2 AA checks')

    // Q shows the join code again and back; the console's switch and "hide names" apply at once.
    await page.keyboard.press('q')
    await page.locator('.join__code').waitFor()
    await page.keyboard.press('q')
    await page.locator('.answer__q').waitFor()
    assert.equal((await admin(url, 'POST', '/api/admin/projector', { view: 'answer', hide_names: true })).status, 200)
    await page.locator('.answer__asker', { hasText: 'A question' }).waitFor()
    assert.equal(await page.locator('.answer__asker', { hasText: 'Kim' }).count(), 0)
    assert.equal((await admin(url, 'POST', '/api/admin/projector', { view: 'qr' })).status, 200)
    await page.locator('.join__code').waitFor()
    assert.equal((await admin(url, 'POST', '/api/admin/projector', { view: 'auto', hide_names: false })).status, 200)
    await page.locator('.answer__q').waitFor()

    // Dark, as a darkened classroom would have it.
    await page.emulateMedia({ colorScheme: 'dark' })
    await shot(page, 'projector-answer-dark-1920x1080')
    assert.deepEqual(errors, [])
    kim.terminate()
    lee.terminate()
    await context.close()
  })

  test('a long written answer fits the screen and pages on by itself; nothing to press on it', { timeout: 90_000 }, async () => {
    const { url } = room.host
    const context = await room.browser.newContext({ viewport: { width: 1280, height: 720 }, colorScheme: 'light', locale: 'en-US' })
    const kim = await participant(url, 'Kim')
    kim.send({ type: 'chat', content: '@ai explain photosynthesis step by step [[scenario:long]]', client_msg_id: 'long1' })
    const [asked] = await kim.waitFor(f => f.type === 'user_message' && f.client_msg_id === 'long1')
    assert.equal((await admin(url, 'POST', `/api/admin/questions/${(asked as { id: number }).id}/approve`, {})).status, 200)
    await kim.waitFor(f => f.type === 'ai_message_end', 1, 30_000)
    // Opened on an answer that has already finished.
    const page = await context.newPage()
    await page.goto(`${url}/projector/#token=${ADMIN}`)
    await page.locator('.answer__body .md:not(.is-streaming)', { hasText: 'Step 30' }).waitFor({ timeout: 15_000 })
    const box = await page.locator('.answer__body').boundingBox()
    assert.ok(box !== null && box.y + box.height <= 720, `the answer's box ends on the screen (${box?.y ?? 0} + ${box?.height ?? 0})`)
    const footer = await page.locator('.answer__footer').boundingBox()
    assert.ok(footer !== null && footer.y + footer.height <= 721, 'the join address stays on the screen')
    type Scroller = { scrollTop: number, scrollHeight: number, clientHeight: number }
    const before = await page.locator('.answer__body').evaluate(el => { const s = el as unknown as Scroller; return { top: s.scrollTop, height: s.scrollHeight, client: s.clientHeight } })
    assert.ok(before.height > before.client * 2, 'the answer is taller than the screen')
    assert.equal(before.top, 0, 'a written answer starts at its beginning')
    assert.equal(await page.locator('.code-block__copy:visible').count(), 0, 'no copy button on the classroom screen')
    await shot(page, 'projector-long-answer-1280x720')
    // The next page comes by itself.
    await page.waitForFunction(() => ((globalThis as unknown as { document: { querySelector: (s: string) => Scroller | null } }).document.querySelector('.answer__body')?.scrollTop ?? 0) > 100, undefined, { timeout: 20_000 })
    kim.terminate()
    await context.close()
  })

  test('speaks Chinese to a Chinese browser', { timeout: 30_000 }, async () => {
    const context = await room.browser.newContext({ viewport: { width: 1920, height: 1080 }, locale: 'zh-CN', colorScheme: 'dark' })
    const page = await context.newPage()
    await page.goto(`${room.host.url}/projector/#token=${ADMIN}`)
    await page.locator('.join__scan', { hasText: '扫码加入' }).waitFor()
    await page.keyboard.press('q')
    await shot(page, 'projector-qr-zh-CN-dark-1920x1080')
    await context.close()
  })

  test('without its key the projector says where to open it', { timeout: 30_000 }, async () => {
    const context = await room.browser.newContext({ viewport: { width: 1280, height: 720 } })
    const page = await context.newPage()
    await page.goto(`${room.host.url}/projector/`)
    await page.locator('.projector__notice', { hasText: 'host console' }).waitFor()
    await context.close()
  })
})
