/**
 * Accessibility of the participant page in Chromium: axe-core finds no serious or critical problem
 * on the join screen, the room, the people panel and the error states, in light and dark; the
 * keyboard path (join, type, send) works without a mouse; answers are announced once.
 * Set MINDWEB_SCREENS to a folder to keep screenshots of what was checked.
 */
import assert from 'node:assert/strict'
import { mkdirSync, readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { join } from 'node:path'
import { describe, test } from 'node:test'
import type { Page } from 'playwright-core'
import { joinRoom, NO_CHROMIUM, openParticipant, PHONE, sendMessage, waitForMessage } from '../helpers/browser.js'
import { useE2eRoom } from './support.js'

const AXE_SOURCE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8')
const SCREENS = process.env.MINDWEB_SCREENS

interface AxeViolation { id: string, impact: string | null, help: string, nodes: Array<{ target: unknown, failureSummary?: string }> }

/** Runs axe-core in the page (evaluated over the DevTools protocol: the page's CSP allows no inline script). */
async function axe (page: Page, label: string): Promise<AxeViolation[]> {
  await page.evaluate(`${AXE_SOURCE}\n;void 0`)
  const violations = await page.evaluate<AxeViolation[]>(`axe.run(document, { resultTypes: ['violations'] }).then(r => r.violations.map(v => ({
    id: v.id, impact: v.impact, help: v.help,
    nodes: v.nodes.slice(0, 5).map(n => ({ target: n.target, failureSummary: n.failureSummary }))
  })))`)
  const serious = violations.filter(v => v.impact === 'serious' || v.impact === 'critical')
  console.log(`axe ${label}: ${violations.length} violation(s), ${serious.length} serious or critical${violations.length ? ` (${violations.map(v => `${v.id}:${v.impact}`).join(', ')})` : ''}`)
  if (SCREENS) {
    mkdirSync(SCREENS, { recursive: true })
    await page.screenshot({ path: join(SCREENS, `a11y-${label}.png`) })
  }
  return serious
}

function assertClean (violations: AxeViolation[], where: string): void {
  assert.deepEqual(violations.map(v => `${v.id} (${v.impact}): ${v.help} at ${JSON.stringify(v.nodes)}`), [], `no serious or critical axe violation on ${where}`)
}

async function activeDescription (page: Page): Promise<string> {
  return await page.evaluate<string>(`(() => {
    const el = document.activeElement
    if (!el || el === document.body) return 'body'
    return el.tagName.toLowerCase() + (el.className ? '.' + String(el.className).split(' ')[0] : '') + (el.id ? '#' + el.id : '')
  })()`)
}

describe('in Chromium', { skip: NO_CHROMIUM }, () => {
  const room = useE2eRoom({ tokenDelayMs: 8 })

  for (const colorScheme of ['light', 'dark'] as const) {
    test(`join screen, room, people panel and error states pass axe (${colorScheme})`, { timeout: 120_000 }, async () => {
      const p = await openParticipant(room.browser, room.host.url, { ...PHONE, viewport: { width: 390, height: 844 }, colorScheme })
      await p.page.locator('.join-form').waitFor()
      assertClean(await axe(p.page, `join-${colorScheme}`), `the join screen (${colorScheme})`)

      // A refused name: the error sits next to the field.
      await p.page.getByLabel('Your name').fill('Host')
      await p.page.getByRole('button', { name: /Join the room/ }).click()
      await p.page.locator('.field__error').waitFor()
      assertClean(await axe(p.page, `join-error-${colorScheme}`), `the join error (${colorScheme})`)

      await joinRoom(p.page, `Axe ${colorScheme}`, 4)
      await sendMessage(p.page, 'a plain question from me, with an emoji 🙂')
      await sendMessage(p.page, `@ai show me some code ${colorScheme}`)
      await p.page.locator('.msg--ai.msg--complete').last().waitFor({ timeout: 30_000 })
      await sendMessage(p.page, 'word '.repeat(700))
      await p.page.getByRole('button', { name: 'Show more' }).last().waitFor()
      assertClean(await axe(p.page, `room-${colorScheme}`), `the room (${colorScheme})`)

      await p.page.locator('.presence-button').click()
      await p.page.locator('.people').waitFor()
      await new Promise(resolve => setTimeout(resolve, 400)) // the sheet's entry animation
      assertClean(await axe(p.page, `people-${colorScheme}`), `the people panel (${colorScheme})`)
      await p.page.keyboard.press('Escape')

      // Offline: the banner, the header and a message that waits to be sent.
      await p.context.setOffline(true)
      await p.page.locator('.banner--offline').waitFor({ timeout: 10_000 })
      assert.match(await p.page.locator('.presence-button__count').innerText(), /Offline/, 'offline shows offline, not a count')
      await sendMessage(p.page, 'written in the tunnel')
      await p.page.locator('.msg--pending').waitFor()
      assertClean(await axe(p.page, `offline-${colorScheme}`), `the offline state (${colorScheme})`)
      await p.context.setOffline(false)
      await waitForMessage(p.page, 'written in the tunnel', 20_000)

      // An ended session: back at the join screen with a note.
      await p.page.evaluate(`for (const key of Object.keys(localStorage)) {
        if (key.startsWith('mindweb:session:')) localStorage.setItem(key, JSON.stringify({ ...JSON.parse(localStorage.getItem(key)), token: 'gone' }))
      }`)
      await p.page.reload()
      await p.page.locator('.join__note').waitFor({ timeout: 20_000 })
      assertClean(await axe(p.page, `session-ended-${colorScheme}`), `the ended session (${colorScheme})`)
      assert.deepEqual(p.errors, [])
      await p.context.close()
    })
  }

  test('the room in Simplified Chinese passes axe too', { timeout: 90_000 }, async () => {
    const p = await openParticipant(room.browser, room.host.url, { ...PHONE, viewport: { width: 390, height: 844 }, locale: 'zh-CN' })
    await p.page.locator('.join-form').waitFor()
    assert.equal(await p.page.evaluate<string>('document.documentElement.lang'), 'zh-CN')
    assertClean(await axe(p.page, 'join-zh-CN'), 'the join screen in zh-CN')
    await p.page.locator('.join-form input').first().fill('小明')
    await p.page.locator('.join-form button[type=submit]').click()
    await p.page.locator('.composer__input').waitFor()
    await p.page.locator('.composer__input').fill('@ai 光合作用是什么？')
    await p.page.locator('.composer__input').press('Enter')
    await p.page.locator('.msg--ai.msg--complete', { hasText: '光合作用' }).waitFor({ timeout: 30_000 })
    assert.match(await p.page.locator('.presence-button__count').innerText(), /人在线/)
    assertClean(await axe(p.page, 'room-zh-CN'), 'the room in zh-CN')
    assert.deepEqual(p.errors, [])
    await p.context.close()
  })

  test('the keyboard alone joins, lands in the message box, and skips the list to reach it', { timeout: 120_000 }, async () => {
    const p = await openParticipant(room.browser, room.host.url)
    await p.page.getByLabel('Your name').focus()
    await p.page.keyboard.press('Control+A')
    await p.page.keyboard.type('Keyboard Kim')
    await p.page.keyboard.press('Enter')
    await p.page.locator('.composer__input').waitFor()
    assert.equal(await activeDescription(p.page), 'textarea.composer__input#composer-input', 'focus is in the message box after joining')
    await p.page.keyboard.type('typed without a mouse')
    await p.page.keyboard.press('Enter')
    await waitForMessage(p.page, 'typed without a mouse')

    // A room with answers (each has Copy buttons and a code block's own Copy).
    for (let i = 0; i < 3; i++) {
      await sendMessage(p.page, `@ai code please ${i}`)
      await p.page.locator('.msg--ai.msg--complete').nth(i).waitFor({ timeout: 30_000 })
    }
    // From the top of a freshly opened room page, Tab by Tab to the message box.
    await p.page.reload()
    await p.page.locator('.msg--ai.msg--complete').last().waitFor()
    const stops: string[] = []
    for (let i = 0; i < 40; i++) {
      await p.page.keyboard.press('Tab')
      const here = await activeDescription(p.page)
      stops.push(here)
      if (here.startsWith('textarea')) break
    }
    console.log(`tab stops from the top of the room to the message box: ${stops.length} (${stops.join(' → ')})`)
    assert.ok(stops.at(-1)?.startsWith('textarea'), `Tab reaches the message box: ${stops.join(' → ')}`)
    assert.ok(stops.length <= 8, `the message box is not behind dozens of Tab stops (${stops.length})`)
    assert.ok(!stops.some(s => s.includes('code-block__copy') || s.includes('link-button')), 'no Copy button on the way')

    // The list is one stop; arrows walk the messages, and Tab then reaches that message's Copy.
    await p.page.locator('.messages').focus()
    await p.page.keyboard.press('ArrowUp')
    const onMessage = await activeDescription(p.page)
    assert.match(onMessage, /^article\.msg/, 'ArrowUp focuses the last message')
    await p.page.keyboard.press('Home')
    await p.page.keyboard.press('End')
    assert.match(await activeDescription(p.page), /^article\.msg/)

    // "/" from anywhere outside a text field, and the skip link, both land in the message box.
    await p.page.locator('.messages').focus()
    await p.page.keyboard.press('/')
    assert.equal(await activeDescription(p.page), 'textarea.composer__input#composer-input', '"/" jumps to the message box')
    await p.page.reload()
    await p.page.locator('.composer__input').waitFor()
    await p.page.keyboard.press('Tab')
    assert.equal(await activeDescription(p.page), 'a.skip-link', 'the first Tab stop is the skip link')
    assert.ok(await p.page.locator('.skip-link').isVisible())
    await p.page.keyboard.press('Enter')
    assert.equal(await activeDescription(p.page), 'textarea.composer__input#composer-input', 'the skip link lands in the message box')
    assert.deepEqual(p.errors, [])
    await p.context.close()
  })

  test('a streamed answer is announced politely once, not token by token', { timeout: 90_000 }, async () => {
    const asker = await openParticipant(room.browser, room.host.url)
    await joinRoom(asker.page, 'Asker Ada', 1)
    const listener = await openParticipant(room.browser, room.host.url)
    await joinRoom(listener.page, 'Listener Lu', 2)
    // Count every change of the polite live region while the answer streams.
    await listener.page.evaluate(`(() => {
      const region = document.querySelector('[aria-live="polite"][aria-atomic="true"].visually-hidden')
      window.__announced = []
      new MutationObserver(() => window.__announced.push(region.textContent)).observe(region, { childList: true, characterData: true, subtree: true })
    })()`)
    await sendMessage(asker.page, '@ai please explain photosynthesis at length')
    await listener.page.locator('.msg--ai.msg--complete', { hasText: 'photosynthesis' }).waitFor({ timeout: 30_000 })
    await new Promise(resolve => setTimeout(resolve, 500))
    const announced = await listener.page.evaluate<string[]>('window.__announced')
    const chunks = await listener.page.locator('.msg--ai.msg--complete', { hasText: 'photosynthesis' }).locator('.md').innerText()
    console.log(`live region changes for one streamed answer (${chunks.length} characters): ${announced.length}`)
    const aboutAnswer = announced.filter(text => text.includes('The AI answered'))
    assert.equal(aboutAnswer.length, 1, `the answer is announced once: ${JSON.stringify(announced)}`)
    assert.ok(announced.length <= 2, 'the question and the answer, nothing per token')
    assert.equal(await listener.page.locator('.messages[aria-live]').count(), 0, 'the list itself is not a live region')
  })
})
