/**
 * The teacher's gate in Chromium against the real host and the fake Dify: participants on phones
 * see their question wait, vote for a classmate's, and see the host's decision; the host approves
 * (the answer streams to everyone) and rejects with a reason from the console's queue.
 */
import assert from 'node:assert/strict'
import { readFile } from 'node:fs/promises'
import { describe, test } from 'node:test'
import { joinRoom, NO_CHROMIUM, openParticipant, PHONE, sendMessage, waitForMessage } from '../helpers/browser.js'
import { ADMIN_TOKEN, axeViolations, openConsole, goToSection } from './console-support.js'
import { screensDir, useE2eRoom } from './support.js'

const SCREENS = screensDir('gate')

describe('the teacher\'s gate in Chromium', { skip: NO_CHROMIUM }, () => {
  const room = useE2eRoom({ roomName: 'History 8C', aiMode: 'approve', tokenDelayMs: 30, extraArgs: ['--admin-token', ADMIN_TOKEN] })

  test('participants see their question wait and vote; the console approves and rejects', { timeout: 120_000 }, async () => {
    const ana = await openParticipant(room.browser, room.host.url, PHONE)
    const ben = await openParticipant(room.browser, room.host.url, PHONE)
    await joinRoom(ana.page, 'Ana', 0)
    await joinRoom(ben.page, 'Ben', 1)

    await sendMessage(ana.page, '@ai why did the Roman empire fall?')
    await sendMessage(ana.page, '@ai what is the answer to question 3 of the homework?')
    const own = ana.page.locator('.msg--own', { hasText: 'Roman empire' }).locator('.question-status')
    await own.locator('.question-status__state', { hasText: 'Waiting for the host' }).waitFor({ timeout: 10_000 })
    assert.equal(await own.locator('.question-status__vote').count(), 0, 'no vote for your own question')
    await ben.page.locator('.question-waiting', { hasText: '2 questions waiting for the host' }).waitFor()

    // Ben votes for Ana's question; the count is shown to Ana too, and Ben can take it back.
    const vote = ben.page.locator('.msg', { hasText: 'Roman empire' }).locator('.question-status__vote')
    await vote.click()
    await ben.page.locator('.msg', { hasText: 'Roman empire' }).locator('.question-status__vote[aria-pressed="true"]', { hasText: '1' }).waitFor()
    await own.locator('.question-status__votes', { hasText: '1 vote' }).waitFor()
    const box = await vote.boundingBox()
    assert.ok(box !== null && box.height >= 44, `the vote button is thumb-sized (${box?.height ?? 0} px)`)
    await ana.page.screenshot({ path: `${SCREENS}/phone-waiting-question.png` })
    await ben.page.screenshot({ path: `${SCREENS}/phone-vote.png` })

    // The host's queue: most wanted first.
    const host = await openConsole(room.browser, room.host.url, { viewport: { width: 1366, height: 768 }, bypassCSP: true })
    // Wherever the host is in the console, the navigation shows how many questions wait.
    await host.page.locator('.nav-item__count--waiting', { hasText: '2' }).waitFor()
    await goToSection(host.page, 'Questions')
    const cards = host.page.locator('.gate__list .question')
    await cards.first().waitFor()
    assert.match(await cards.first().innerText(), /Roman empire/)
    assert.match(await cards.nth(1).innerText(), /homework/)
    await host.page.screenshot({ path: `${SCREENS}/console-queue-1366x768.png` })
    assert.deepEqual(await axeViolations(host.page), [], 'the queue passes WCAG 2 AA checks')

    // Reject the homework question with a quick reason; Ana's phone shows it.
    const homework = cards.filter({ hasText: 'homework' })
    await homework.getByRole('button', { name: 'Reject…' }).click()
    await homework.getByRole('button', { name: 'Let’s discuss it together' }).click()
    await homework.getByRole('button', { name: 'Reject', exact: true }).click()
    const rejected = ana.page.locator('.msg--own', { hasText: 'homework' }).locator('.question-status--rejected')
    await rejected.waitFor({ timeout: 10_000 })
    assert.match(await rejected.innerText(), /did not take your question[\s\S]*Let’s discuss it together/)

    // Approve the Roman question: it becomes approved and the answer streams to both phones.
    await cards.filter({ hasText: 'Roman empire' }).getByRole('button', { name: 'Approve', exact: true }).click()
    await own.locator('.question-status__state', { hasText: 'Approved' }).waitFor({ timeout: 10_000 })
    for (const p of [ana, ben]) await p.page.locator('.msg--ai.msg--complete').first().waitFor({ timeout: 30_000 })
    await host.page.locator('.gate__empty').waitFor()
    await host.page.locator('.gate__decided summary', { hasText: 'Decided (2)' }).waitFor()
    assert.equal(await ben.page.locator('.question-waiting').count(), 0, 'nothing waits any more')

    // A reload keeps the states (read from the host, not only from frames).
    await ana.page.reload()
    await ana.page.locator('.msg--own', { hasText: 'homework' }).locator('.question-status--rejected').waitFor({ timeout: 15_000 })
    await waitForMessage(ana.page, 'Roman empire')
    await ana.page.screenshot({ path: `${SCREENS}/phone-decided.png` })

    // The word list holds a message for the host: it shows in the queue, and "Let it through" posts it.
    const put = await fetch(`${room.host.url}/api/admin/word-filter`, { method: 'PUT', headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' }, body: JSON.stringify({ enabled: true, action: 'hold', words: ['stupid'] }) })
    assert.equal(put.status, 200)
    await sendMessage(ben.page, 'this quiz is stupid')
    const held = host.page.locator('.question--held', { hasText: 'this quiz is stupid' })
    await held.waitFor({ timeout: 10_000 })
    assert.equal(await ana.page.locator('.msg', { hasText: 'this quiz is stupid' }).count(), 0, 'the room does not see a held message')
    await host.page.screenshot({ path: `${SCREENS}/console-held-and-cards-1366x768.png`, fullPage: true })
    await held.getByRole('button', { name: 'Let it through' }).click()
    await waitForMessage(ana.page, 'this quiz is stupid')

    // Review answers first: the answer waits in the console until the host shows it to the class.
    const review = await fetch(`${room.host.url}/api/admin/settings`, { method: 'PUT', headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' }, body: JSON.stringify({ review_answers: true }) })
    assert.equal(review.status, 200)
    await sendMessage(ben.page, '@ai when was Rome founded?')
    await cards.filter({ hasText: 'when was Rome founded' }).getByRole('button', { name: 'Approve', exact: true }).click()
    const check = host.page.locator('.question--review', { hasText: 'when was Rome founded' })
    await check.locator('.md:not(.md--plain)').waitFor({ timeout: 20_000 })
    assert.equal(await ana.page.locator('.msg--ai.msg--complete').count(), 1, 'the class does not see it yet')
    await ana.page.locator('.question-review', { hasText: 'The host is checking this answer' }).waitFor()
    await ana.page.screenshot({ path: `${SCREENS}/phone-answer-in-review.png` })
    await host.page.screenshot({ path: `${SCREENS}/console-review-1366x768.png` })
    // The host shortens it before showing it: the class sees the edit, marked as the host's.
    await check.getByRole('button', { name: 'Edit, then show' }).click()
    await check.locator('textarea').fill('Rome was founded in **753 BC**, according to legend.')
    await check.getByRole('button', { name: 'Show edited answer' }).click()
    const released = ana.page.locator('.msg--ai.msg--complete', { hasText: '753 BC' })
    await released.waitFor({ timeout: 10_000 })
    await ana.page.locator('.question-review', { hasText: 'Edited by the host' }).waitFor()
    assert.equal(await ana.page.locator('.question-review', { hasText: 'checking' }).count(), 0)

    // Save lesson: a Markdown file of this lesson.
    const [download] = await Promise.all([host.page.waitForEvent('download'), host.page.getByRole('button', { name: 'Save lesson (Markdown)' }).click()])
    assert.match(download.suggestedFilename(), /^History-8C-\d{4}-\d\d-\d\d\.md$/)
    const saved = await readFile(await download.path(), 'utf8')
    assert.match(saved, /^# History 8C — lesson record/)
    assert.match(saved, /question not taken: Let’s discuss it together/)

    for (const p of [ana, ben]) assert.deepEqual(p.errors, [])
    assert.deepEqual(host.errors, [])
    await Promise.all([ana.context.close(), ben.context.close(), host.context.close()])
  })
})
