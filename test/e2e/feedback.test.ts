import assert from 'node:assert/strict'
import { join } from 'node:path'
import { describe, test } from 'node:test'
import { joinRoom, openParticipant, sendMessage, NO_CHROMIUM, PHONE } from '../helpers/browser.js'
import { ADMIN_TOKEN, openConsole } from './console-support.js'
import { screensDir, useE2eRoom } from './support.js'

describe('feedback on answers in Chromium', { skip: NO_CHROMIUM }, () => {
  const room = useE2eRoom({ tokenDelayMs: 10, extraArgs: ['--admin-token', ADMIN_TOKEN] })

  test('a phone rates an answer; the console sees the counts live; a reload keeps the rating', { timeout: 60_000 }, async () => {
    const host = await openConsole(room.browser, room.host.url)
    const kim = await openParticipant(room.browser, room.host.url, PHONE)
    await joinRoom(kim.page, 'Kim', 0)
    await sendMessage(kim.page, '@ai why is the sky blue?')
    const rating = kim.page.getByRole('group', { name: 'Was this answer helpful?' })
    await rating.waitFor({ timeout: 15_000 })
    await rating.getByRole('button', { name: 'Still confused' }).click()
    assert.equal(await rating.getByRole('button', { name: 'Still confused' }).getAttribute('aria-pressed'), 'true')
    await kim.page.screenshot({ path: join(screensDir('feedback'), 'phone-rated.png') })
    await host.page.locator('.feedback-counts', { hasText: '😕 1' }).waitFor({ timeout: 10_000 })
    await host.page.screenshot({ path: join(screensDir('feedback'), 'console-counts-1366.png') })
    // Changing one's mind moves the count.
    await rating.getByRole('button', { name: 'Helpful' }).click()
    await host.page.locator('.feedback-counts', { hasText: '👍 1 · 😕 0' }).waitFor({ timeout: 10_000 })
    await kim.page.reload()
    await kim.page.getByRole('group', { name: 'Was this answer helpful?' }).getByRole('button', { name: 'Helpful' }).and(kim.page.locator('[aria-pressed="true"]')).waitFor({ timeout: 10_000 })
    assert.deepEqual(kim.errors, [])
    await host.context.close()
  })
})
