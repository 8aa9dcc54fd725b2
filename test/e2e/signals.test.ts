/** "I'm lost", "got it" and raised hands, from phones to the console's room view and back. */
import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { joinRoom, openParticipant, sendMessage, NO_CHROMIUM, PHONE } from '../helpers/browser.js'
import { ADMIN_TOKEN, axeViolations, openConsole } from './console-support.js'
import { screensDir, useE2eRoom } from './support.js'

const SCREENS = screensDir('signals')

describe('signals in Chromium', { skip: NO_CHROMIUM }, () => {
  const room = useE2eRoom({ roomName: 'Biology 7B', extraArgs: ['--admin-token', ADMIN_TOKEN] })

  test('phones say they are lost or got it and raise hands; the console counts them and lowers a hand', { timeout: 120_000 }, async () => {
    const host = await openConsole(room.browser, room.host.url, { bypassCSP: true })
    const card = host.page.locator('.signals-card')
    await card.waitFor()
    assert.match(await card.innerText(), /0 are lost[\s\S]*0 got it[\s\S]*No hands raised/)

    const phones = []
    for (const [i, name] of ['Ada', 'Ben', 'Chen'].entries()) {
      const phone = await openParticipant(room.browser, room.host.url, { ...PHONE, viewport: { width: 390, height: 844 } })
      await joinRoom(phone.page, name, i)
      phones.push(phone)
    }
    const [ada, ben, chen] = phones as [typeof phones[number], typeof phones[number], typeof phones[number]]
    await ada.page.getByRole('button', { name: /I'm lost/ }).click()
    await ben.page.getByRole('button', { name: /I'm lost/ }).click()
    await chen.page.getByRole('button', { name: /Got it/ }).click()
    await ben.page.getByRole('button', { name: /Raise hand/ }).click()
    assert.equal(await ben.page.getByRole('button', { name: /Hand raised/ }).getAttribute('aria-pressed'), 'true')
    await card.locator('text=2 are lost').waitFor({ timeout: 10_000 })
    await card.locator('text=1 got it').waitFor()
    await card.locator('text=1 hand raised').waitFor()
    assert.match(await card.locator('.signals-card__hands li').innerText(), /Ben/)
    // A reload keeps Ben's hand raised on his phone (the host still has it in the queue).
    await ben.page.reload()
    await ben.page.getByRole('button', { name: /Hand raised/ }).waitFor({ timeout: 10_000 })
    await ben.page.screenshot({ path: `${SCREENS}/phone-signals.png` })
    await host.page.screenshot({ path: `${SCREENS}/console-signals.png` })

    // Ada understood after all: "got it" replaces "lost".
    await ada.page.getByRole('button', { name: /Got it/ }).click()
    await card.locator('text=1 is lost').waitFor({ timeout: 10_000 })
    await card.locator('text=2 got it').waitFor()
    assert.equal(await ada.page.getByRole('button', { name: /I'm lost/ }).getAttribute('aria-pressed'), 'false')

    // The host takes Ben's question: his hand comes down on his phone too.
    await card.getByRole('button', { name: 'Lower Ben’s hand' }).click()
    await card.locator('text=No hands raised').waitFor({ timeout: 10_000 })
    await ben.page.getByRole('button', { name: /Raise hand/ }).waitFor({ timeout: 10_000 })
    assert.equal(await ben.page.getByRole('button', { name: /Raise hand/ }).getAttribute('aria-pressed'), 'false')

    assert.deepEqual(await axeViolations(host.page), [], 'the room view with its signals passes axe')
    assert.deepEqual(host.errors, [])
    for (const p of phones) {
      assert.deepEqual(p.errors, [])
      await p.context.close()
    }
    await host.context.close()
  })

  test('reactions: a tap adds one, everyone sees the count, a reload keeps mine', { timeout: 120_000 }, async () => {
    const ana = await openParticipant(room.browser, room.host.url, { ...PHONE, viewport: { width: 390, height: 844 } })
    await joinRoom(ana.page, 'Ana', 0)
    const bo = await openParticipant(room.browser, room.host.url, { ...PHONE, viewport: { width: 390, height: 844 } })
    await joinRoom(bo.page, 'Bo', 1)
    await sendMessage(ana.page, 'Plants breathe in carbon dioxide')
    const onBo = bo.page.locator('.msg', { hasText: 'Plants breathe in carbon dioxide' })
    await onBo.waitFor()
    await onBo.getByRole('button', { name: 'Add a reaction' }).click()
    await onBo.getByRole('button', { name: 'React with 🎉' }).click()
    const onAna = ana.page.locator('.msg', { hasText: 'Plants breathe in carbon dioxide' })
    await onAna.locator('.reaction', { hasText: '🎉 1' }).waitFor({ timeout: 10_000 })
    // Ana adds the same one from the chip: two.
    await onAna.locator('.reaction', { hasText: '🎉 1' }).click()
    await onBo.locator('.reaction', { hasText: '🎉 2' }).waitFor({ timeout: 10_000 })
    await bo.page.screenshot({ path: `${SCREENS}/phone-reactions.png` })
    await bo.page.reload()
    const again = bo.page.locator('.msg', { hasText: 'Plants breathe in carbon dioxide' }).locator('.reaction', { hasText: '🎉 2' })
    await again.waitFor({ timeout: 10_000 })
    assert.equal(await again.getAttribute('aria-pressed'), 'true', 'my reaction is still mine after a reload')
    // Taking it back.
    await again.click()
    await onAna.locator('.reaction', { hasText: '🎉 1' }).waitFor({ timeout: 10_000 })
    assert.deepEqual(ana.errors, [])
    assert.deepEqual(bo.errors, [])
    await ana.context.close()
    await bo.context.close()
  })
})
