/**
 * What the participant page says in each state, against the real host with its limits on: the
 * host's own reason for a refusal with a live countdown, "Ask again" on a failed answer, folded
 * long messages, the welcome line, a rename by the host, the pinned announcement, a hidden
 * message, and being removed by the host. Set MINDWEB_SCREENS to keep screenshots.
 */
import assert from 'node:assert/strict'
import { mkdirSync, readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { join } from 'node:path'
import { describe, test } from 'node:test'
import type { Page } from 'playwright-core'
import { joinRoom, NO_CHROMIUM, openParticipant, sendMessage, waitForMessage } from '../helpers/browser.js'
import { useE2eRoom } from './support.js'

const ADMIN_TOKEN = 'states-test-admin-token-0123456789'
const SCREENS = process.env.MINDWEB_SCREENS
const AXE_SOURCE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8')

/** axe-core's serious and critical findings on the page as it is (evaluated over the DevTools protocol). */
async function seriousAxeFindings (page: Page): Promise<string[]> {
  await page.evaluate(`${AXE_SOURCE}\n;void 0`)
  return await page.evaluate<string[]>(`axe.run(document).then(r => r.violations
    .filter(v => v.impact === 'serious' || v.impact === 'critical')
    .map(v => v.id + ': ' + v.nodes.map(n => n.target.join(' ')).join(', ')))`)
}

async function shoot (page: Page, name: string): Promise<void> {
  if (!SCREENS) return
  mkdirSync(SCREENS, { recursive: true })
  await page.screenshot({ path: join(SCREENS, `states-${name}.png`) })
}

describe('in Chromium', { skip: NO_CHROMIUM }, () => {
  const room = useE2eRoom({
    roomName: 'States Room',
    tokenDelayMs: 5,
    // Limits on, with an AI budget small enough to meet: two questions per 40 s per device (long
    // enough that a slow machine does not earn a question back before the third is asked).
    extraArgs: ['--limits', 'on', '--ai-rate', '2/40', '--admin-token', ADMIN_TOKEN]
  })

  async function admin (method: string, path: string, body?: unknown): Promise<Response> {
    const response = await fetch(`${room.host.url}${path}`, {
      method,
      headers: { authorization: `Bearer ${ADMIN_TOKEN}`, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {})
    })
    assert.ok(response.ok, `${method} ${path}: ${response.status} ${await response.clone().text()}`)
    return response
  }

  test('every state says what is going on, in the host\'s words', { timeout: 180_000 }, async () => {
    // Someone already holds the name this participant will ask for.
    await fetch(`${room.host.url}/api/users/join`, {
      method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'Stella', emoji: '🦊' })
    })
    const p = await openParticipant(room.browser, room.host.url, { viewport: { width: 390, height: 844 }, isMobile: true })
    await joinRoom(p.page, 'Stella', 1)

    assert.equal(await p.page.locator('.welcome__title').innerText(), '👋 Welcome to States Room!')
    const renamed = await p.page.locator('.rename-note').innerText()
    assert.match(renamed, /"Stella" is taken .* calls you "Stella.+"/, `the page says the host renamed them: ${renamed}`)
    await shoot(p.page, 'renamed')

    // A long message folds behind "Show more".
    const long = 'A long paragraph about the lesson. '.repeat(90)
    await sendMessage(p.page, long)
    const bubble = p.page.locator('.msg--own .bubble', { hasText: 'A long paragraph' }).last()
    await bubble.locator('.show-more').waitFor()
    assert.ok((await bubble.innerText()).length < 500, 'folded to a screenful')
    await bubble.locator('.show-more').click()
    assert.ok((await bubble.innerText()).length >= long.trim().length, 'Show more shows it all')
    // Its key now: the list renders only rows near the screen, and later messages scroll it away.
    const longKey = await bubble.evaluate(el => el.closest('[data-key]')?.getAttribute('data-key') ?? '')

    // A failed answer offers "Ask again": a new question with the same words.
    await sendMessage(p.page, '@ai [[scenario:error-mid]] why is the sky blue?')
    const failed = p.page.locator('.msg--ai.msg--failed')
    await failed.first().waitFor({ timeout: 30_000 })
    await failed.first().getByRole('button', { name: 'Ask again' }).click()
    await failed.nth(1).waitFor({ timeout: 30_000 })
    assert.equal(await p.page.locator('.msg--own .msg-text', { hasText: 'why is the sky blue?' }).count(), 2, 'asked again as a new message')
    await shoot(p.page, 'ask-again')

    // A third question within 40 s: refused by the per-device AI budget, in the host's words.
    await sendMessage(p.page, '@ai one more question')
    const reason = p.page.locator('.msg--unsent .msg__reason')
    await reason.waitFor({ timeout: 10_000 })
    const reasonText = await reason.innerText()
    console.log(`refusal shown: "${reasonText}" / "${await p.page.locator('.msg--unsent .msg__wait').innerText()}"`)
    assert.match(reasonText, /You can ask the AI at most 2 questions per 40 s/, 'the host\'s own reason')
    assert.doesNotMatch(reasonText, /Too fast|Please wait/, 'no generic text, no frozen wait')
    assert.match(await p.page.locator('.msg--unsent .msg__wait').innerText(), /^You can resend in \d+ s\.$/)
    assert.ok(await p.page.getByRole('button', { name: 'Resend' }).isDisabled())
    await shoot(p.page, 'refused')
    assert.deepEqual(await seriousAxeFindings(p.page), [], 'the refusal passes axe')
    await p.page.locator('.msg--unsent .msg__wait', { hasText: 'You can resend it now.' }).waitFor({ timeout: 40_000 })
    assert.match(await reason.innerText(), /at most 2 questions/, 'the reason stays after the countdown')
    await p.page.getByRole('button', { name: 'Resend' }).click()
    await waitForMessage(p.page, 'one more question')
    assert.equal(await p.page.locator('.msg--unsent').count(), 0)

    // The host pins an announcement and hides a message.
    await admin('PUT', '/api/admin/room', { announcement: 'Quiz at 10:15 — bring a pencil ✏️' })
    await p.page.locator('.announcement__text', { hasText: 'Quiz at 10:15' }).waitFor({ timeout: 10_000 })
    await admin('POST', `/api/admin/messages/${longKey.slice(2)}/hide`)
    await p.page.locator(`[data-key="${longKey}"]`).waitFor({ state: 'detached', timeout: 10_000 })
    await shoot(p.page, 'announcement')

    // Removed by the host: the page says so, stops reconnecting, and offers to join again.
    const userId = await p.page.evaluate<number>(`(() => {
      for (const key of Object.keys(localStorage)) if (key.startsWith('mindweb:session:')) return JSON.parse(localStorage.getItem(key)).userId
      return 0
    })()`)
    let sockets = 0
    p.page.on('websocket', () => { sockets++ })
    await admin('POST', `/api/admin/participants/${userId}/kick`)
    await p.page.locator('.join__note', { hasText: 'The host removed you from the room' }).waitFor({ timeout: 10_000 })
    await new Promise(resolve => setTimeout(resolve, 3000))
    assert.equal(sockets, 0, 'no reconnect attempt after being removed')
    assert.ok(await p.page.getByRole('button', { name: /Join the room/ }).isVisible(), 'the join form is offered again')
    await shoot(p.page, 'removed')
    assert.deepEqual(await seriousAxeFindings(p.page), [], 'the removed note passes axe')
    assert.deepEqual(p.errors, [])
    await p.context.close()
  })
})
