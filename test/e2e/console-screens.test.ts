/**
 * The console as a teacher sees it, at 1366×768 and 1920×1080: an empty room, a busy room (30
 * students, questions to the AI), removing someone, and the AI settings with an app that has an
 * input form. Screenshots go to `screensDir('console')` (test-results/screens/console, or $MINDWEB_SCREENS/console) for a person to look
 * at; the test checks what must be visible and runs axe-core (WCAG 2 AA) on each scene.
 */
import assert from 'node:assert/strict'
import { join } from 'node:path'
import { after, before, describe, test } from 'node:test'
import type { Browser, Page } from 'playwright-core'
import { launchBrowser, NO_CHROMIUM, openParticipant, joinRoom, PHONE } from '../helpers/browser.js'
import { CLASS_INPUT_FORM, startFakeDify, type FakeDify } from '../helpers/fake-dify.js'
import { TestClient } from '../helpers/ws-client.js'
import { ADMIN_TOKEN, axeViolations, goToSection, openConsole, startBareHost, type BareHost } from './console-support.js'
import { screensDir, useE2eRoom } from './support.js'

const DIR = screensDir('console')
const SIZES = [{ width: 1366, height: 768 }, { width: 1920, height: 1080 }] as const
const NAMES = [
  'Amelia', 'Ben', 'Chen Wei', 'Diego', 'Fatima', 'Grace', 'Hiro', 'Isla', 'Jonas', 'Kemi', 'Liam', 'Mei', 'Noah', 'Olga',
  'Priya', 'Quinn', 'Rosa', 'Sami', 'Tariq', 'Uma', 'Victor', 'Wen', 'Xavier', 'Yara', 'Zoe', 'Aaron', 'Bea', 'Carlos', 'Dana', 'Eli'
]
const CHAT = [
  'Good morning!', 'Is the homework due Friday?', 'I think photosynthesis happens in the chloroplasts',
  '@ai why are leaves green?', 'Can we work in pairs?', 'page 42 question 3 is confusing',
  '@ai what does chlorophyll absorb?', 'Thanks!', 'I finished the worksheet', 'Where do plants get their carbon from?'
]

async function shot (page: Page, name: string): Promise<void> {
  await page.waitForTimeout(300)
  await page.screenshot({ path: join(DIR, `${name}.png`) })
}

async function assertAccessible (page: Page, scene: string): Promise<void> {
  const violations = await axeViolations(page)
  assert.deepEqual(violations, [], `${scene}: ${violations.join('\n')}`)
}

describe('console screenshots', { skip: NO_CHROMIUM }, () => {
  const room = useE2eRoom({ roomName: 'Biology 8C', tokenDelayMs: 15, extraArgs: ['--admin-token', ADMIN_TOKEN] })
  const clients: TestClient[] = []
  after(async () => { for (const c of clients) c.terminate() })

  test('an empty room', { timeout: 60_000 }, async () => {
    for (const viewport of SIZES) {
      const { page, context } = await openConsole(room.browser, room.host.url, { viewport, bypassCSP: true })
      await page.getByTestId('join-url').first().waitFor()
      await shot(page, `empty-room-${viewport.width}`)
      await assertAccessible(page, 'empty room')
      await context.close()
    }
  })

  test('a busy room: thirty students, questions to the AI, one muted', { timeout: 120_000 }, async () => {
    const wsBase = room.host.url.replace(/^http/, 'ws')
    const joined: Array<{ user_id: number, client: TestClient }> = []
    for (const [i, username] of NAMES.entries()) {
      const res = await fetch(`${room.host.url}/api/users/join`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, emoji: ['🦊', '🐼', '🦉', '🐙', '🐢', '🦋'][i % 6] }) })
      const body = await res.json() as { user_id: number, token: string }
      assert.equal(res.status, 200)
      // Five have left already: they stay in this session's list, offline.
      if (i >= 25) continue
      const client = new TestClient(`${wsBase}/api/broadcast/ws?token=${body.token}`)
      await client.opened()
      clients.push(client)
      joined.push({ user_id: body.user_id, client })
    }
    for (const [i, text] of CHAT.entries()) {
      joined[(i * 7) % joined.length]!.client.send({ type: 'chat', content: text, client_msg_id: `m${i}` })
      await new Promise(resolve => setTimeout(resolve, 150))
    }
    const admin = { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' }
    await fetch(`${room.host.url}/api/admin/participants/${joined[3]!.user_id}/mute`, { method: 'POST', headers: admin, body: JSON.stringify({ minutes: 15 }) })
    await fetch(`${room.host.url}/api/admin/messages`, { method: 'POST', headers: admin, body: JSON.stringify({ content: 'Welcome! Today: photosynthesis, chapter 4.' }) })
    await fetch(`${room.host.url}/api/admin/room`, { method: 'PUT', headers: admin, body: JSON.stringify({ announcement: 'Worksheet 4, questions 1–5. Due Friday.' }) })
    // Both answers are written before the pictures are taken. The list renders only rows near the
    // screen, so the host's record says when, not the number of answers in the page.
    await waitForCompleteAnswers(room.host.url, 2)

    for (const viewport of SIZES) {
      const { page, context } = await openConsole(room.browser, room.host.url, { viewport, bypassCSP: true })
      await page.locator('.msg--ai.msg--complete').last().waitFor({ timeout: 30_000 })
      await page.getByText('Worksheet 4, questions 1–5').waitFor()
      await shot(page, `busy-room-${viewport.width}`)
      await assertAccessible(page, 'busy room')

      await goToSection(page, 'People')
      await page.locator('.person').first().waitFor()
      assert.ok(await page.locator('.person', { hasText: 'muted until' }).count() === 1)
      await shot(page, `busy-people-${viewport.width}`)
      await assertAccessible(page, 'people')

      await goToSection(page, 'Live stats')
      await page.waitForTimeout(2500)
      await shot(page, `busy-stats-${viewport.width}`)
      await assertAccessible(page, 'stats')

      await goToSection(page, 'Room controls')
      await shot(page, `controls-${viewport.width}`)
      await assertAccessible(page, 'controls')
      if (viewport.width === 1366) {
        // A choice shows at once and says it was saved; the room then reports it.
        await page.getByRole('radio', { name: 'Every message' }).check()
        await page.getByText('Saved: Every message.').waitFor()
        assert.ok(await page.getByRole('radio', { name: 'Every message' }).isChecked())
        await page.getByRole('radio', { name: 'Messages that mention @ai' }).check()
        await page.getByText('Saved: Messages that mention @ai.').waitFor()
      }

      await goToSection(page, 'Activity log')
      await page.locator('.table tbody tr').first().waitFor()
      // Sentences, not raw details.
      await page.getByText('Muted Diego for 15 minutes').waitFor()
      await page.getByText('Wrote to the room as Host').first().waitFor()
      assert.equal(await page.getByText(/participant\.mute|minutes: 15/).count(), 0)
      await shot(page, `audit-${viewport.width}`)
      await context.close()
    }

    const dark = await openConsole(room.browser, room.host.url, { colorScheme: 'dark', bypassCSP: true })
    await dark.page.locator('.msg--ai.msg--complete').last().waitFor({ timeout: 30_000 })
    await shot(dark.page, 'busy-room-dark-1366')
    await assertAccessible(dark.page, 'busy room, dark')
    await goToSection(dark.page, 'People')
    await shot(dark.page, 'busy-people-dark-1366')
    await assertAccessible(dark.page, 'people, dark')
    await dark.context.close()

    const zh = await openConsole(room.browser, room.host.url, { locale: 'zh-CN', section: '成员' })
    await zh.page.locator('.person').first().waitFor()
    await shot(zh.page, 'busy-people-zh-1366')
    await zh.context.close()
  })

  test('removing a student: the confirm, and what the student sees', { timeout: 60_000 }, async () => {
    const student = await openParticipant(room.browser, room.host.url, PHONE)
    await joinRoom(student.page, 'Rowdy Ray')
    for (const viewport of SIZES) {
      const { page, context } = await openConsole(room.browser, room.host.url, { viewport, section: 'People', bypassCSP: true })
      await page.getByPlaceholder('Search by name').fill('ray')
      const row = page.locator('.person', { hasText: 'Rowdy Ray' })
      await row.getByText('online').waitFor()
      await row.getByRole('button', { name: 'Remove' }).click()
      await page.getByRole('dialog').waitFor()
      await shot(page, `kick-confirm-${viewport.width}`)
      await assertAccessible(page, 'kick confirm')
      if (viewport.width === 1920) {
        await page.getByRole('dialog').getByRole('button', { name: 'Remove' }).click()
        await page.getByText('Rowdy Ray was removed').waitFor()
        await shot(page, `kick-done-${viewport.width}`)
      } else {
        await page.getByRole('dialog').getByRole('button', { name: 'Cancel' }).click()
      }
      await context.close()
    }
    await student.page.getByText('The host removed you from the room').waitFor({ timeout: 10_000 })
    await student.page.screenshot({ path: join(DIR, 'kick-student-phone.png') })
    await student.context.close()
  })
})

describe('AI settings and join code screenshots', { skip: NO_CHROMIUM }, () => {
  let host: BareHost
  let dify: FakeDify
  let browser: Browser
  before(async () => {
    dify = await startFakeDify({ inputForm: CLASS_INPUT_FORM, app: { name: 'Biology helper', mode: 'advanced-chat' } })
    host = await startBareHost(['--pin', '4821'])
    browser = await launchBrowser()
  })
  after(async () => {
    await browser?.close()
    await host?.close()
    await dify?.close()
  })

  test('the join code with a PIN', { timeout: 60_000 }, async () => {
    for (const viewport of SIZES) {
      const { page, context } = await openConsole(browser, host.url, { viewport, section: 'Join code', bypassCSP: true })
      await page.locator('.invite--large .invite__pin', { hasText: '4821' }).waitFor()
      await page.locator('svg.qr--large').waitFor()
      await shot(page, `join-code-${viewport.width}`)
      await assertAccessible(page, 'join code')
      await context.close()
    }
  })

  test('the AI settings with an app that asks for inputs', { timeout: 60_000 }, async () => {
    for (const viewport of SIZES) {
      const { page, context } = await openConsole(browser, host.url, { viewport, section: 'AI settings', bypassCSP: true })
      await page.getByLabel('Dify API address').fill(dify.url)
      await page.getByLabel('App API key').fill(dify.apiKey)
      await page.getByRole('button', { name: 'Test connection' }).click()
      await page.getByTestId('test-result').getByText('Connected.').waitFor({ timeout: 15_000 })
      await page.getByLabel(/Subject/).waitFor()
      await shot(page, `ai-settings-${viewport.width}`)
      await assertAccessible(page, 'AI settings')
      await context.close()
    }
  })
})

/** Waits until the room holds `count` complete AI answers (the admin history, polled). */
async function waitForCompleteAnswers (baseUrl: string, count: number): Promise<void> {
  const deadline = Date.now() + 30_000
  for (;;) {
    const res = await fetch(`${baseUrl}/api/admin/messages?limit=200`, { headers: { authorization: `Bearer ${ADMIN_TOKEN}` } })
    const body = await res.json() as { messages: Array<{ role: string, status: string }> }
    const done = body.messages.filter(m => m.role === 'assistant' && m.status === 'complete').length
    if (done >= count) return
    if (Date.now() > deadline) assert.fail(`only ${done} of ${count} AI answers completed within 30 s`)
    await new Promise(resolve => setTimeout(resolve, 200))
  }
}
