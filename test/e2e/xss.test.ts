import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import type { Page } from 'playwright-core'
import { joinRoom, openParticipant, sendMessage, waitForMessage, NO_CHROMIUM } from '../helpers/browser.js'
import { useE2eRoom } from './support.js'

describe('in Chromium', { skip: NO_CHROMIUM }, () => {
  const room = useE2eRoom({ tokenDelayMs: 10 })

  const EVIL_NAME = '<img src=x onerror=alert(1)>'
  const EVIL_MESSAGE = '<script>alert(2)</script><img src=x onerror=alert(3)>'
  const EVIL_QUESTION = '@ai <img src=x onerror=alert(4)> <script>alert(5)</script> [click](javascript:alert(6))'

  async function assertInert (page: Page): Promise<void> {
    const injected = await page.evaluate<Record<string, number>>(`({
    images: document.querySelectorAll('.messages img, .people img').length,
    scripts: document.querySelectorAll('body script').length,
    handlers: document.querySelectorAll('[onerror], [onload], [onclick]').length,
    jsLinks: document.querySelectorAll('a[href^="javascript:" i]').length
  })`)
    assert.deepEqual(injected, { images: 0, scripts: 0, handlers: 0, jsLinks: 0 })
  }

  test('HTML in a name, a message and an AI answer renders as inert text', { timeout: 90_000 }, async () => {
    const mallory = await openParticipant(room.browser, room.host.url)
    await joinRoom(mallory.page, EVIL_NAME, 0)
    const ann = await openParticipant(room.browser, room.host.url)
    await joinRoom(ann.page, 'Ann', 1)

    await sendMessage(mallory.page, EVIL_MESSAGE)
    await sendMessage(mallory.page, EVIL_QUESTION)
    await waitForMessage(ann.page, '<script>alert(2)</script>')
    await ann.page.locator('.msg--ai.msg--complete').waitFor({ timeout: 30_000 })
    await mallory.page.locator('.msg--ai.msg--complete').waitFor({ timeout: 30_000 })
    await ann.page.locator('.presence-button').click()

    for (const p of [ann, mallory]) {
      await assertInert(p.page)
      assert.deepEqual(p.dialogs, [], 'no dialog fired')
    }
    // Visible as text, exactly as typed.
    assert.equal(await ann.page.locator('.msg__name', { hasText: EVIL_NAME }).first().innerText(), EVIL_NAME)
    assert.equal(await ann.page.locator('.msg-text', { hasText: 'alert(2)' }).innerText(), EVIL_MESSAGE)
    assert.ok(await ann.page.locator('.people .person__name', { hasText: EVIL_NAME }).count() === 1)
    const answer = await ann.page.locator('.msg--ai .md').innerText()
    assert.ok(answer.includes('<img src=x onerror=alert(4)>'), `the answer shows the HTML as text: ${answer}`)
    assert.equal(await ann.page.locator('.msg--ai .md a').count(), 0, 'the javascript: link is not a link')
    await new Promise(resolve => setTimeout(resolve, 500))
    assert.deepEqual(ann.dialogs, [])
    assert.deepEqual(ann.errors, [])
  })
})
