/** The anonymous room from the console's switch to two phones: the class sees no names, the host does. */
import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { joinRoom, openParticipant, sendMessage, waitForMessage, NO_CHROMIUM, PHONE } from '../helpers/browser.js'
import { ADMIN_TOKEN, axeViolations, goToSection, openConsole } from './console-support.js'
import { screensDir, useE2eRoom } from './support.js'

const SCREENS = screensDir('anonymous')

describe('the anonymous room in Chromium', { skip: NO_CHROMIUM }, () => {
  const room = useE2eRoom({ roomName: 'Biology 7B', extraArgs: ['--admin-token', ADMIN_TOKEN] })

  test('the host hides names: phones show "Anonymous" and list nobody, the console still shows who wrote it', { timeout: 120_000 }, async () => {
    const host = await openConsole(room.browser, room.host.url, { section: 'Room controls', bypassCSP: true })
    await host.page.getByRole('switch', { name: 'Anonymous room' }).click()
    await host.page.locator('.badge', { hasText: 'Anonymous' }).waitFor({ timeout: 10_000 })

    const ada = await openParticipant(room.browser, room.host.url, { ...PHONE, viewport: { width: 390, height: 844 } })
    await joinRoom(ada.page, 'Ada', 0)
    const ben = await openParticipant(room.browser, room.host.url, { ...PHONE, viewport: { width: 390, height: 844 } })
    await joinRoom(ben.page, 'Ben', 1)
    await ben.page.locator('.anonymous-note', { hasText: 'Names are hidden' }).waitFor({ timeout: 10_000 })

    await sendMessage(ada.page, 'Is a tomato a fruit?')
    await waitForMessage(ben.page, 'Is a tomato a fruit?')
    const onBen = ben.page.locator('.msg', { hasText: 'Is a tomato a fruit?' })
    assert.equal(await onBen.locator('.msg__name').innerText(), 'Anonymous')
    assert.ok(!(await ben.page.locator('.room').innerText()).includes('Ada'), 'Ada’s name is nowhere on Ben’s page')
    const onAda = ada.page.locator('.msg', { hasText: 'Is a tomato a fruit?' })
    await onAda.locator('.msg__anon', { hasText: 'anonymous to the room' }).waitFor({ timeout: 10_000 })

    // People on Ben's phone: only Ben, and why.
    await ben.page.getByRole('button', { name: /^People:/ }).click()
    await ben.page.locator('.people__note', { hasText: 'Names are hidden in this room.' }).waitFor()
    assert.deepEqual(await ben.page.locator('.person__name').allInnerTexts(), ['Ben'])
    // The sheet slides up: the picture is taken once it is still.
    await ben.page.evaluate('Promise.all(document.getAnimations().map(a => a.finished)).then(() => undefined)')
    await ben.page.screenshot({ path: `${SCREENS}/phone-anonymous-people.png` })
    assert.deepEqual(await axeViolations(ben.page), [], 'the phone with the anonymous note and People passes axe')
    await ben.page.getByRole('button', { name: 'Close the list of people' }).click()
    await ben.page.screenshot({ path: `${SCREENS}/phone-anonymous.png` })

    // The host sees Ada's name, marked as anonymous to the room.
    await goToSection(host.page, 'Room')
    const onHost = host.page.locator('.msg', { hasText: 'Is a tomato a fruit?' })
    await onHost.waitFor({ timeout: 10_000 })
    assert.equal(await onHost.locator('.msg__name').innerText(), 'Ada')
    await onHost.locator('.msg__anon', { hasText: 'anonymous to the room' }).waitFor()
    await host.page.screenshot({ path: `${SCREENS}/console-anonymous.png` })

    // A reload keeps it anonymous for Ben.
    await ben.page.reload()
    await waitForMessage(ben.page, 'Is a tomato a fruit?')
    assert.equal(await ben.page.locator('.msg', { hasText: 'Is a tomato a fruit?' }).locator('.msg__name').innerText(), 'Anonymous')

    assert.deepEqual([host.errors, ada.errors, ben.errors], [[], [], []])
    for (const p of [ada, ben, host]) await p.context.close()
  })
})
