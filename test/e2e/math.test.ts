/** Formulas in an answer, drawn by KaTeX on a phone, the console and the projector, in Chromium. */
import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { joinRoom, openParticipant, sendMessage, NO_CHROMIUM, PHONE } from '../helpers/browser.js'
import { ADMIN_TOKEN, openConsole } from './console-support.js'
import { screensDir, useE2eRoom } from './support.js'

const SCREENS = screensDir('math')

describe('math in Chromium', { skip: NO_CHROMIUM }, () => {
  const room = useE2eRoom({ roomName: 'Maths 10C', tokenDelayMs: 10, extraArgs: ['--admin-token', ADMIN_TOKEN] })

  test('an answer with formulas is drawn on the phone, the console and the projector; money stays prose', { timeout: 120_000 }, async () => {
    const projector = await room.browser.newContext({ viewport: { width: 1280, height: 720 }, locale: 'en-US' })
    const screen = await projector.newPage()
    const katexLoads: string[] = []
    screen.on('request', req => { if (/katex|KaTeX/.test(req.url())) katexLoads.push(req.url()) })
    await screen.goto(`${room.host.url}/projector/#token=${ADMIN_TOKEN}`)
    await fetch(`${room.host.url}/api/admin/projector`, { method: 'POST', headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' }, body: JSON.stringify({ view: 'answer' }) })
    const host = await openConsole(room.browser, room.host.url)
    const phone = await openParticipant(room.browser, room.host.url, { ...PHONE, viewport: { width: 390, height: 844 } })
    await joinRoom(phone.page, 'Noor', 2)
    assert.equal(katexLoads.length, 0, 'no math code before an answer has math')

    await sendMessage(phone.page, '@ai how do I solve a quadratic? [[scenario:math]]')
    const answer = phone.page.locator('.msg--ai.msg--complete')
    await answer.locator('.katex-display').first().waitFor({ timeout: 30_000 })
    assert.equal(await answer.locator('.katex').count(), 4, 'two inline formulas and two displayed ones')
    assert.equal(await answer.locator('.katex-display').count(), 2)
    assert.match(await answer.innerText(), /costs \$5 and a book \$10/, 'dollars are money, not math')
    const fraction = await answer.locator('.katex-display .mfrac').first().boundingBox()
    assert.ok(fraction !== null && fraction.height > 20, 'the fraction is drawn in two lines')
    await phone.page.screenshot({ path: `${SCREENS}/phone-math.png` })

    await host.page.locator('.msg--ai.msg--complete .katex-display').first().waitFor({ timeout: 15_000 })
    await screen.locator('.answer__body .katex-display').first().waitFor({ timeout: 15_000 })
    await screen.waitForTimeout(300)
    await screen.screenshot({ path: `${SCREENS}/projector-math.png` })
    assert.ok(katexLoads.length > 0, 'the projector loaded the math chunk once an answer had math')
    assert.deepEqual([host.errors, phone.errors], [[], []])
    await phone.context.close()
    await host.context.close()
    await projector.close()
  })
})
