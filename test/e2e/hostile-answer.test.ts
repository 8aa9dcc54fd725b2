/**
 * One hostile answer must never blank the room: 3,000 nested quotes (and as deep lists, emphasis
 * and links) once overflowed the stack of every page that showed them, live and on every reload.
 */
import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import type { Page } from 'playwright-core'
import { joinRoom, openParticipant, sendMessage, NO_CHROMIUM } from '../helpers/browser.js'
import { ADMIN_TOKEN, openConsole } from './console-support.js'
import { useE2eRoom } from './support.js'

describe('a hostile answer in Chromium', { skip: NO_CHROMIUM }, () => {
  const room = useE2eRoom({ tokenDelayMs: 10, extraArgs: ['--admin-token', ADMIN_TOKEN] })

  async function showsTheAnswer (page: Page, where: string): Promise<void> {
    const answer = page.locator('.msg--ai.msg--complete', { hasText: 'the deepest quote' })
    await answer.waitFor({ timeout: 30_000 })
    const text = await answer.innerText()
    for (const part of ['the deepest quote', 'the deepest item', 'the deepest emphasis', 'the deepest link']) {
      assert.ok(text.includes(part), `${where} shows "${part}"`)
    }
    // Drawn as Markdown (quotes and lists to the cap), not by the plain-text fallback of a failed render.
    // (The Markdown chunk may still be loading after a reload: plain text shows until it arrives.)
    await answer.locator('.md blockquote').first().waitFor({ timeout: 15_000 })
    assert.equal(await answer.locator('.md--fallback').count(), 0, `${where} did not fall back to plain text`)
  }

  test('3,000 nested quotes leave the room, the console and the projector working, live and after a reload', { timeout: 150_000 }, async () => {
    const asker = await openParticipant(room.browser, room.host.url)
    await joinRoom(asker.page, 'Mallory', 0)
    const console_ = await openConsole(room.browser, room.host.url)
    const projector = await room.browser.newContext({ viewport: { width: 1280, height: 720 } })
    const screen = await projector.newPage()
    const projectorErrors: string[] = []
    screen.on('pageerror', err => projectorErrors.push(err.message))
    await screen.goto(`${room.host.url}/projector/#token=${ADMIN_TOKEN}`)

    await sendMessage(asker.page, '@ai quote yourself [[scenario:nested:3000]]')
    await showsTheAnswer(asker.page, 'the asker')
    await showsTheAnswer(console_.page, 'the console')
    await screen.locator('text=the deepest quote').first().waitFor({ timeout: 30_000 })

    // Still a room: the asker can write, the console can act on the answer.
    await sendMessage(asker.page, 'still here')
    await asker.page.locator('.msg', { hasText: 'still here' }).waitFor()
    await console_.page.locator('.msg', { hasText: 'still here' }).waitFor()

    // Every reload replays the answer from the snapshot: nothing blanks.
    await asker.page.reload()
    await asker.page.locator('.composer__input').waitFor()
    await showsTheAnswer(asker.page, 'the asker after a reload')
    await console_.page.reload()
    await console_.page.locator('.phase--open').waitFor({ timeout: 15_000 })
    await showsTheAnswer(console_.page, 'the console after a reload')
    await screen.reload()
    await screen.locator('text=the deepest quote').first().waitFor({ timeout: 30_000 })

    for (const [where, errors] of [['the participant page', asker.errors], ['the console', console_.errors], ['the projector', projectorErrors]] as const) {
      assert.deepEqual(errors, [], `${where} threw nothing`)
    }
    await asker.context.close()
    await console_.context.close()
    await projector.close()
  })
})
