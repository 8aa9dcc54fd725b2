import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { joinRoom, openParticipant, sendMessage, NO_CHROMIUM } from '../helpers/browser.js'
import { useE2eRoom } from './support.js'

describe('in Chromium', { skip: NO_CHROMIUM }, () => {
  const room = useE2eRoom({ tokenDelayMs: 20 })

  test('a 3.5 MB answer is cut at the limit, says so, and leaves the page responsive', { timeout: 120_000 }, async (t) => {
    const asker = await openParticipant(room.browser, room.host.url)
    await joinRoom(asker.page, 'Ann', 0)
    const watcher = await openParticipant(room.browser, room.host.url)
    await joinRoom(watcher.page, 'Bo', 1)
    const startedAt = Date.now()
    await sendMessage(asker.page, '@ai [[scenario:huge]] tell me everything')
    for (const p of [asker, watcher]) {
      const reply = p.page.locator('.msg--ai.msg--stopped').last()
      await reply.waitFor({ timeout: 15_000 })
      assert.match(await reply.locator('.ai-note').innerText(), /^The answer was cut at 100,000 characters\.$/)
    }
    const shownMs = Date.now() - startedAt
    // A page that froze on the answer would not answer this quickly.
    const pingAt = Date.now()
    await watcher.page.evaluate(() => 1)
    const pingMs = Date.now() - pingAt
    assert.ok(pingMs < 2000, `the page answered in ${pingMs} ms`)

    // A newcomer gets it from the replay, cut the same way.
    const late = await openParticipant(room.browser, room.host.url)
    await joinRoom(late.page, 'Cy', 2)
    await late.page.locator('.msg--ai.msg--stopped .ai-note', { hasText: 'The answer was cut at 100,000 characters.' }).waitFor({ timeout: 15_000 })
    for (const p of [asker, watcher, late]) assert.deepEqual(p.errors, [])
    t.diagnostic(`cut answer shown to both in ${shownMs} ms; page ping ${pingMs} ms`)
  })
})
