/** Read-aloud on three projectors and a phone, and an answer the teacher teaches the AI app, in Chromium. */
import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import type { Page } from 'playwright-core'
import { joinRoom, openParticipant, sendMessage, NO_CHROMIUM, PHONE } from '../helpers/browser.js'
import { ADMIN_TOKEN, openConsole } from './console-support.js'
import { screensDir, useE2eRoom } from './support.js'

const SCREENS = screensDir('teach-read-aloud')

describe('read-aloud and teaching in Chromium', { skip: NO_CHROMIUM }, () => {
  const room = useE2eRoom({ roomName: 'Physics 9A', tokenDelayMs: 10, extraArgs: ['--admin-token', ADMIN_TOKEN], dify: { textToSpeech: true, annotationReply: true } })
  const ttsRequests = (): number => room.host.dify.requests.filter(r => r.path === '/v1/text-to-audio').length

  test('three projectors read the answer aloud with one request to Dify; a phone plays it from the host’s copy', { timeout: 120_000 }, async () => {
    const set = await fetch(`${room.host.url}/api/admin/projector`, { method: 'POST', headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' }, body: JSON.stringify({ view: 'answer', read_aloud: true }) })
    assert.equal(set.status, 200)
    const screens: Array<{ page: Page, audio: number[], close: () => Promise<void> }> = []
    for (let i = 0; i < 3; i++) {
      const context = await room.browser.newContext({ viewport: { width: 1280, height: 720 }, locale: 'en-US' })
      const page = await context.newPage()
      const audio: number[] = []
      page.on('response', res => { if (res.url().includes('/audio')) audio.push(res.status()) })
      await page.goto(`${room.host.url}/projector/#token=${ADMIN_TOKEN}`)
      await page.locator('.answer__empty').waitFor({ timeout: 15_000 })
      // Someone clicked the projector once (a browser plays sound only after that).
      await page.mouse.click(10, 10)
      screens.push({ page, audio, close: async () => await context.close() })
    }

    const phone = await openParticipant(room.browser, room.host.url, { ...PHONE, viewport: { width: 390, height: 844 } })
    await joinRoom(phone.page, 'Ada', 0)
    await sendMessage(phone.page, '@ai Why is the sky blue?')
    const answer = phone.page.locator('.msg--ai.msg--complete')
    await answer.waitFor({ timeout: 30_000 })
    for (const s of screens) {
      for (let waited = 0; s.audio.length === 0 && waited < 15_000; waited += 100) await s.page.waitForTimeout(100)
      assert.deepEqual(s.audio, [200], 'each projector fetched the answer’s audio once, from the host')
      assert.equal(await s.page.locator('.projector__sound').count(), 0, 'no “allow sound” prompt: it played')
    }
    assert.equal(ttsRequests(), 1, 'three screens, one request to Dify')

    // The phone's Listen button plays the host's copy: no new request to Dify.
    await answer.focus()
    const listen = answer.getByRole('button', { name: 'Listen' })
    await listen.click()
    await answer.getByRole('button', { name: 'Stop reading' }).waitFor({ timeout: 10_000 })
    await phone.page.screenshot({ path: `${SCREENS}/phone-listening.png` })
    await answer.getByRole('button', { name: 'Listen' }).waitFor({ timeout: 10_000 })
    assert.equal(ttsRequests(), 1)
    assert.deepEqual(phone.errors, [])
    for (const s of screens) await s.close()
    await phone.context.close()
  })

  test('the teacher teaches an answer; the next time the class asks, the app answers with it, marked so', { timeout: 120_000 }, async () => {
    const host = await openConsole(room.browser, room.host.url)
    const phone = await openParticipant(room.browser, room.host.url, { ...PHONE, viewport: { width: 390, height: 844 } })
    await joinRoom(phone.page, 'Ben', 1)
    await sendMessage(phone.page, '@ai What is inertia?')
    await phone.page.locator('.msg--ai.msg--complete', { hasText: 'inertia' }).waitFor({ timeout: 30_000 })

    const onHost = host.page.locator('.messages__row', { has: host.page.locator('.msg--ai.msg--complete') }).filter({ hasText: 'inertia' }).last()
    await onHost.waitFor({ timeout: 10_000 })
    await onHost.locator('.msg--ai').focus()
    // The host's own rating goes to the AI app's feedback.
    const good = onHost.getByRole('button', { name: 'Tell the AI app this answer is good' })
    await good.click()
    await host.page.locator('.toast', { hasText: 'Your rating was passed to the AI app.' }).waitFor({ timeout: 10_000 })
    assert.equal(await good.getAttribute('aria-pressed'), 'true')
    assert.deepEqual([...room.host.dify.feedbacks.values()], ['like'])
    await onHost.locator('.msg--ai').focus()
    await onHost.getByRole('button', { name: 'Teach the AI app this answer' }).click()
    const dialog = host.page.getByRole('dialog', { name: 'Teach the AI app this answer' })
    await dialog.waitFor()
    assert.equal(await dialog.getByLabel('Question', { exact: true }).inputValue(), 'What is inertia?')
    await dialog.getByLabel('Your answer').fill('Inertia is an object’s resistance to a change in its motion: Newton’s first law.')
    await host.page.screenshot({ path: `${SCREENS}/console-teach.png` })
    await dialog.getByRole('button', { name: 'Save as the teacher’s answer' }).click()
    await host.page.locator('.toast', { hasText: 'Saved. The AI app will answer this question with your words.' }).waitFor({ timeout: 10_000 })
    assert.equal(room.host.dify.annotations.at(-1)?.question, 'What is inertia?')

    await sendMessage(phone.page, '@ai what is inertia')
    const taught = phone.page.locator('.msg--ai.msg--complete', { hasText: 'resistance to a change in its motion' })
    await taught.waitFor({ timeout: 30_000 })
    await taught.locator('.msg__teacher', { hasText: 'The teacher’s answer' }).waitFor()
    await phone.page.screenshot({ path: `${SCREENS}/phone-teachers-answer.png` })
    assert.deepEqual([host.errors, phone.errors], [[], []])
    await phone.context.close()
    await host.context.close()
  })
})
