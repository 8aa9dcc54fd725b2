import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import type { Page } from 'playwright-core'
import { joinRoom, openParticipant, PHONE, sendMessage, waitForMessage, NO_CHROMIUM } from '../helpers/browser.js'
import { useE2eRoom } from './support.js'

describe('in Chromium', { skip: NO_CHROMIUM }, () => {
  const room = useE2eRoom({ tokenDelayMs: 10 })

  async function assertFitsWidth (page: Page): Promise<void> {
    const { scrollWidth, width } = await page.evaluate<{ scrollWidth: number, width: number }>('({ scrollWidth: document.documentElement.scrollWidth, width: window.innerWidth })')
    assert.ok(scrollWidth <= width, `no sideways scrolling (${scrollWidth} > ${width})`)
  }

  /** Asserts the element ends up fully on screen (retrying while an entry animation settles). */
  async function assertInViewport (page: Page, selector: string): Promise<void> {
    const size = page.viewportSize()
    assert.ok(size)
    let box = null
    for (let i = 0; i < 20; i++) {
      box = await page.locator(selector).boundingBox()
      if (box && box.x >= 0 && box.y >= 0 && box.x + box.width <= size.width + 0.5 && box.y + box.height <= size.height + 0.5) return
      await new Promise(resolve => setTimeout(resolve, 100))
    }
    assert.fail(`${selector} fits the ${size.width}×${size.height} screen: ${JSON.stringify(box)}`)
  }

  test('the room works on a 375 px phone', { timeout: 90_000 }, async () => {
    const phone = await openParticipant(room.browser, room.host.url, PHONE)
    await assertFitsWidth(phone.page)
    await assertInViewport(phone.page, '.join-form button[type=submit]')
    await joinRoom(phone.page, 'Pocket Pat', 3)
    await assertInViewport(phone.page, '.composer__box')
    await assertInViewport(phone.page, '.room-header')

    await sendMessage(phone.page, 'hello from my phone')
    await waitForMessage(phone.page, 'hello from my phone')
    await phone.page.getByRole('button', { name: /Ask AI/ }).tap()
    await sendMessage(phone.page, 'show me a wide table and some code please')
    await phone.page.locator('.msg--ai.msg--complete').waitFor({ timeout: 30_000 })
    await assertFitsWidth(phone.page)
    const list = await phone.page.locator('.messages').evaluate(el => ({ scrollWidth: el.scrollWidth, clientWidth: el.clientWidth }))
    assert.ok(list.scrollWidth <= list.clientWidth, 'long answers wrap or scroll inside their blocks')
    await assertInViewport(phone.page, '.composer__box')

    await phone.page.locator('.presence-button').tap()
    await assertInViewport(phone.page, '.people')
    await phone.page.getByRole('button', { name: 'Close the list of people' }).tap()
    assert.deepEqual(phone.errors, [])
  })

  test('dark mode follows the system setting', { timeout: 60_000 }, async () => {
    const night = await openParticipant(room.browser, room.host.url, { ...PHONE, colorScheme: 'dark' })
    await joinRoom(night.page, 'Night Owl', 2)
    await waitForMessage(night.page, 'hello from my phone')
    const background = await night.page.evaluate<string>('getComputedStyle(document.body).backgroundColor')
    const [r, g, b] = (background.match(/\d+/g) ?? []).map(Number)
    assert.ok((r ?? 255) + (g ?? 255) + (b ?? 255) < 120, `a dark page: ${background}`)
  })
})
