import assert from 'node:assert/strict'
import { join } from 'node:path'
import { describe, test } from 'node:test'
import { joinRoom, openParticipant, sendMessage, NO_CHROMIUM } from '../helpers/browser.js'
import { ADMIN_TOKEN } from './console-support.js'
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
    }, undefined, { timeout: 15_000 })
    await ben.page.screenshot({ path: join(screensDir('follow-ups'), 'answer-with-follow-ups-phone.png') })
    await first.click()
    // Asked by the room's rules (mention mode adds @ai), answered, and the chips move to that answer.
    await ann.page.locator('.msg-text', { hasText: question }).first().waitFor({ timeout: 10_000 })
    await ann.page.locator('.msg--ai.msg--complete').nth(1).waitFor({ timeout: 15_000 })
    assert.equal(await ann.page.getByRole('group', { name: 'Ask next' }).count(), 1, 'one set of follow-ups: the newest answer\'s')
    assert.deepEqual([...ann.errors, ...ben.errors], [])
  })
})

describe('follow-up questions in approve mode in Chromium', { skip: NO_CHROMIUM }, () => {
  const room = useE2eRoom({ tokenDelayMs: 10, aiMode: 'approve', extraArgs: ['--admin-token', ADMIN_TOKEN], dify: { suggestedAfterAnswer: true } })
  const admin = async (method: string, path: string): Promise<any> => {
    const res = await fetch(`${room.host.url}${path}`, { method, headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' }, ...(method === 'POST' ? { body: '{}' } : {}) })
    return await res.json()
  }

  test('a follow-up tapped on two phones is one question: the second tap is a vote for it', { timeout: 90_000 }, async () => {
    const ann = await openParticipant(room.browser, room.host.url)
    await joinRoom(ann.page, 'Ann', 0)
    const ben = await openParticipant(room.browser, room.host.url)
    await joinRoom(ben.page, 'Ben', 1)
    await sendMessage(ann.page, '@ai what is diffusion?')
    const first = (await admin('GET', '/api/admin/questions')).questions[0]
    await admin('POST', `/api/admin/questions/${first.message_id}/approve`)

    const chipsOf = (page: typeof ann.page) => page.getByRole('group', { name: 'Ask next' })
    await chipsOf(ann.page).waitFor({ timeout: 15_000 })
    await chipsOf(ben.page).waitFor({ timeout: 15_000 })
    const suggestion = (await chipsOf(ann.page).getByRole('button').first().innerText()).replace(/^✨\s*/, '')
    await chipsOf(ann.page).getByRole('button').first().click()
    await ben.page.locator('.msg-text', { hasText: suggestion }).first().waitFor({ timeout: 10_000 })
    await chipsOf(ben.page).getByRole('button', { name: suggestion }).click()
    // Ann's question now has Ben's vote; nobody asked it twice.
    for (let waited = 0; waited < 10_000; waited += 100) {
      const questions = (await admin('GET', '/api/admin/questions')).questions.filter((q: { content: string }) => q.content.includes(suggestion))
      if (questions.length === 1 && questions[0].votes === 1) break
      await ben.page.waitForTimeout(100)
    }
    const asked = (await admin('GET', '/api/admin/questions')).questions.filter((q: { content: string }) => q.content.includes(suggestion))
    assert.equal(asked.length, 1, 'one question')
    assert.equal(asked[0].votes, 1, 'the second tap voted for it')
    assert.equal(await ben.page.locator('.msg-text', { hasText: suggestion }).count(), 1, 'Ben did not post it again')
    assert.deepEqual([...ann.errors, ...ben.errors], [])
  })
})
