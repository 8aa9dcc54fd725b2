import assert from 'node:assert/strict'
import { join } from 'node:path'
import { describe, test } from 'node:test'
import { joinRoom, openParticipant, sendMessage, NO_CHROMIUM } from '../helpers/browser.js'
import { screensDir, useE2eRoom } from './support.js'

describe('follow-up questions in Chromium', { skip: NO_CHROMIUM }, () => {
  const room = useE2eRoom({ tokenDelayMs: 10, dify: { suggestedAfterAnswer: true } })

  test('the newest answer offers the app\'s follow-ups; a tap asks one', { timeout: 60_000 }, async () => {
    const ann = await openParticipant(room.browser, room.host.url)
    await joinRoom(ann.page, 'Ann', 0)
    const ben = await openParticipant(room.browser, room.host.url)
    await joinRoom(ben.page, 'Ben', 1)
    await sendMessage(ann.page, '@ai what is osmosis?')
    const chips = ben.page.getByRole('group', { name: 'Ask next' })
    await chips.waitFor({ timeout: 15_000 })
    const first = chips.getByRole('button').first()
    const question = (await first.innerText()).replace(/^✨\s*/, '')
    assert.match(question, /osmosis/)
    // A reader at the bottom of the room sees them come in.
    await ben.page.waitForFunction(() => {
      const g = (globalThis as unknown as { document: { querySelector: (s: string) => { getBoundingClientRect: () => { bottom: number } } | null } }).document.querySelector('.follow-ups')
      return g !== null && g.getBoundingClientRect().bottom <= (globalThis as unknown as { innerHeight: number }).innerHeight
    }, undefined, { timeout: 5000 })
    await ben.page.screenshot({ path: join(screensDir('follow-ups'), 'answer-with-follow-ups-phone.png') })
    await first.click()
    // Asked by the room's rules (mention mode adds @ai), answered, and the chips move to that answer.
    await ann.page.locator('.msg-text', { hasText: question }).first().waitFor({ timeout: 10_000 })
    await ann.page.locator('.msg--ai.msg--complete').nth(1).waitFor({ timeout: 15_000 })
    assert.equal(await ann.page.getByRole('group', { name: 'Ask next' }).count(), 1, 'one set of follow-ups: the newest answer\'s')
    assert.deepEqual([...ann.errors, ...ben.errors], [])
  })
})
