/**
 * The host console in Chromium against the real host and the fake Dify: getting people in, a
 * participant appearing live, the host posting, hiding and showing a message, stopping a reply,
 * and removing a participant whose open page then says so.
 */
import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { joinRoom, NO_CHROMIUM, openParticipant, sendMessage, waitForMessage } from '../helpers/browser.js'
import { ADMIN_TOKEN, goToSection, openConsole } from './console-support.js'
import { useE2eRoom } from './support.js'

describe('host console in Chromium', { skip: NO_CHROMIUM }, () => {
  const room = useE2eRoom({ roomName: 'Physics 9A', tokenDelayMs: 120, extraArgs: ['--admin-token', ADMIN_TOKEN] })

  test('shows the join URL and its QR code, the port, and no token in the address bar', { timeout: 60_000 }, async () => {
    const { page, errors, context } = await openConsole(room.browser, room.host.url)
    try {
      const port = new URL(room.host.url).port
      assert.equal(await page.getByTestId('join-url').first().textContent(), `${room.host.url}/`)
      await page.getByRole('img', { name: `QR code for ${room.host.url}/` }).first().waitFor()
      assert.ok((await page.locator('.invite__facts').first().textContent())?.includes(port))
      assert.ok(!page.url().includes(ADMIN_TOKEN), 'the token is removed from the address bar')
      assert.equal(await page.locator('.console__room').textContent(), 'Physics 9A')

      await goToSection(page, 'Join code')
      const qr = page.locator('svg.qr--large')
      const box = await qr.boundingBox()
      assert.ok(box && box.width >= 300, `the large code is large (${box?.width}px)`)
      assert.deepEqual(errors, [])
    } finally {
      await context.close()
    }
  })

  test('without its token, or with an old one, the console says what to open instead', { timeout: 30_000 }, async () => {
    const context = await room.browser.newContext({ baseURL: room.host.url })
    try {
      const page = await context.newPage()
      await page.goto('/admin/')
      await page.getByRole('alert').getByText(/needs its admin link/).waitFor()
      await page.goto('/admin/#token=an-old-token-from-yesterday-0000')
      await page.getByRole('alert').getByText(/did not accept this console's token/).waitFor({ timeout: 15_000 })
    } finally {
      await context.close()
    }
  })

  test('a participant appears live; the host posts, hides and shows a message, and stops a reply', { timeout: 120_000 }, async () => {
    const host = await openConsole(room.browser, room.host.url, { section: 'People' })
    const kim = await openParticipant(room.browser, room.host.url)
    try {
      await joinRoom(kim.page, 'Kim')
      const row = host.page.locator('.person', { hasText: 'Kim' })
      await row.waitFor({ timeout: 10_000 })
      await row.getByText('online').waitFor()
      await host.page.locator('.console__online-n', { hasText: '1' }).waitFor()

      await goToSection(host.page, 'Room')
      const composer = host.page.getByLabel('Message the room as Host')
      await composer.fill('Good morning, open chapter 3')
      await composer.press('Enter')
      await waitForMessage(kim.page, 'Good morning, open chapter 3')
      assert.equal(await kim.page.locator('.msg', { hasText: 'Good morning, open chapter 3' }).locator('.msg__name').innerText(), 'Host')
      assert.equal(await composer.inputValue(), '')

      await sendMessage(kim.page, 'this one is off-topic')
      const message = host.page.locator('.messages__row', { hasText: 'this one is off-topic' })
      await message.waitFor()
      await message.getByRole('button', { name: 'Hide this message from Kim' }).click()
      await kim.page.locator('.msg-text', { hasText: 'this one is off-topic' }).waitFor({ state: 'detached', timeout: 10_000 })
      const tombstone = host.page.locator('.msg--hidden')
      await tombstone.waitFor()
      await tombstone.getByRole('button', { name: 'Read' }).click()
      await tombstone.getByText('this one is off-topic').waitFor()
      await tombstone.getByRole('button', { name: 'Show this message to participants again' }).click()
      await waitForMessage(kim.page, 'this one is off-topic')
      await host.page.locator('.msg--hidden').waitFor({ state: 'detached' })

      // An answer starts and stalls; the host stops it for everyone.
      room.host.dify.setScenario('stall')
      await sendMessage(kim.page, '@ai explain everything about light')
      const reply = host.page.locator('.messages__row', { has: host.page.locator('.msg--ai') }).last()
      await reply.getByRole('button', { name: 'Stop this AI reply' }).click({ timeout: 20_000 })
      await kim.page.locator('.msg--ai.msg--stopped').waitFor({ timeout: 15_000 })
      await host.page.locator('.msg--ai.msg--stopped').waitFor()
      assert.deepEqual(host.errors, [])
    } finally {
      room.host.dify.setScenario(null)
      await kim.context.close()
      await host.context.close()
    }
  })

  test('room controls: a pinned announcement, the lock, and a new lesson that clears everyone\'s page', { timeout: 60_000 }, async () => {
    const host = await openConsole(room.browser, room.host.url, { section: 'Room controls' })
    const ana = await openParticipant(room.browser, room.host.url)
    try {
      await joinRoom(ana.page, 'Ana')
      await sendMessage(ana.page, 'before the new lesson')
      await waitForMessage(ana.page, 'before the new lesson')

      await host.page.getByLabel('Pinned announcement').fill('Quiz at 10:30')
      await host.page.getByRole('button', { name: 'Pin', exact: true }).click()
      await ana.page.locator('.announcement__text', { hasText: 'Quiz at 10:30' }).waitFor({ timeout: 10_000 })

      await host.page.getByRole('switch', { name: 'Lock the room' }).click()
      await host.page.locator('.badge', { hasText: 'Room locked' }).waitFor()
      const refused = await fetch(`${room.host.url}/api/users/join`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'Late Larry' }) })
      assert.equal(refused.status, 403)
      await host.page.getByRole('switch', { name: 'Lock the room' }).click()
      await host.page.locator('.badge', { hasText: 'Room locked' }).waitFor({ state: 'detached' })

      await host.page.getByRole('button', { name: 'Start a new lesson' }).click()
      const dialog = host.page.getByRole('dialog', { name: 'Start a new lesson?' })
      await dialog.getByText(/previous lesson is kept/).waitFor()
      await dialog.getByRole('button', { name: 'Start the new lesson' }).click()
      await ana.page.locator('.msg-text', { hasText: 'before the new lesson' }).waitFor({ state: 'detached', timeout: 10_000 })
      await goToSection(host.page, 'Room')
      await host.page.locator('.messages__row', { hasText: 'before the new lesson' }).waitFor({ state: 'detached' })
      await goToSection(host.page, 'Activity log')
      await host.page.locator('.table', { hasText: 'Started a new lesson' }).waitFor()
    } finally {
      await ana.context.close()
      await host.context.close()
    }
  })

  test('People stays a short, searchable list with hundreds of participants', { timeout: 90_000 }, async () => {
    const names = Array.from({ length: 400 }, (_, i) => `Student ${String(i + 1).padStart(3, '0')}`)
    for (let i = 0; i < names.length; i += 50) {
      await Promise.all(names.slice(i, i + 50).map(async username => {
        const res = await fetch(`${room.host.url}/api/users/join`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username }) })
        assert.equal(res.status, 200)
      }))
    }
    const host = await openConsole(room.browser, room.host.url, { section: 'People' })
    try {
      await host.page.locator('.person', { hasText: 'Student 001' }).waitFor({ timeout: 10_000 })
      const rendered = await host.page.locator('.person').count()
      assert.ok(rendered < 60, `only the rows near the viewport are in the page (${rendered})`)
      await host.page.locator('.people .panel__head', { hasText: /of 4\d\d/ }).waitFor({ timeout: 10_000 })
      assert.match(await host.page.locator('.people .panel__head').innerText(), /of 4\d\d/)
      await host.page.getByPlaceholder('Search by name').fill('student 377')
      await host.page.locator('.person', { hasText: 'Student 377' }).waitFor()
      assert.equal(await host.page.locator('.person').count(), 1)
    } finally {
      await host.context.close()
    }
  })

  test('removing a participant closes their open page with a clear message', { timeout: 60_000 }, async () => {
    const host = await openConsole(room.browser, room.host.url, { section: 'People' })
    const lee = await openParticipant(room.browser, room.host.url)
    try {
      await joinRoom(lee.page, 'Lee')
      const row = host.page.locator('.person', { hasText: 'Lee' })
      await row.getByText('online').waitFor({ timeout: 10_000 })
      await row.getByRole('button', { name: 'Remove' }).click()
      const dialog = host.page.getByRole('dialog', { name: 'Remove Lee?' })
      await dialog.waitFor()
      await dialog.getByRole('button', { name: 'Remove' }).click()
      await lee.page.getByText('The host removed you from the room').waitFor({ timeout: 10_000 })
      await host.page.getByText('Lee was removed').waitFor()
      // Folded away from the live list, not a second row of the same name beside a new Lee.
      const removed = host.page.locator('.people__removed')
      await removed.locator('summary', { hasText: 'Removed this lesson (1)' }).click()
      const gone = removed.locator('.person', { hasText: 'Lee' })
      await gone.getByText('removed').waitFor({ timeout: 10_000 })
      assert.equal(await gone.getByRole('button', { name: 'Remove' }).count(), 0, 'a removed participant cannot be removed again')
      assert.equal(await host.page.locator('.people__list .person', { hasText: 'Lee' }).count(), 0)
      // Their page offers to join again as someone new: the old name is not filled in.
      assert.equal(await lee.page.getByLabel(/name/i).first().inputValue(), '')
    } finally {
      await lee.context.close()
      await host.context.close()
    }
  })
  test('mute for 5 minutes with undo, and a ban with a confirm that can be taken back', { timeout: 60_000 }, async () => {
    const host = await openConsole(room.browser, room.host.url, { section: 'People' })
    const max = await openParticipant(room.browser, room.host.url)
    try {
      await joinRoom(max.page, 'Max')
      const row = host.page.locator('.person', { hasText: 'Max' })
      await row.getByText('online').waitFor({ timeout: 10_000 })

      await row.getByRole('button', { name: 'Mute Max for…' }).click()
      await row.getByRole('button', { name: '5 min', exact: true }).click()
      await row.getByText(/muted until/).waitFor()
      await sendMessage(max.page, 'can I still talk?')
      await max.page.getByText(/muted/i).first().waitFor({ timeout: 10_000 })
      await host.page.locator('.toast').getByRole('button', { name: 'Undo' }).click()
      await row.getByText(/muted until/).waitFor({ state: 'detached', timeout: 10_000 })

      await row.getByRole('button', { name: 'Ban', exact: true }).click()
      const dialog = host.page.getByRole('dialog', { name: 'Ban Max?' })
      await dialog.getByText(/network address/).waitFor()
      await dialog.getByRole('button', { name: 'Ban', exact: true }).click()
      await max.page.getByText('The host removed you from the room').waitFor({ timeout: 10_000 })
      await host.page.locator('.people__removed summary').click()
      const banned = host.page.locator('.people__removed .person', { hasText: 'Max' })
      await banned.getByText('banned').waitFor()
      const refused = await fetch(`${room.host.url}/api/users/join`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'Max again' }) })
      assert.equal(refused.status, 403, 'a join from the banned address is refused')
      // Taken back from the folded row (the toast's Undo does the same while it shows).
      await banned.getByRole('button', { name: 'Unban' }).click()
      await banned.getByText('banned').waitFor({ state: 'detached', timeout: 10_000 })
      const back = await fetch(`${room.host.url}/api/users/join`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'Max again' }) })
      assert.equal(back.status, 200, 'after the undo the address may join again')
    } finally {
      await max.context.close()
      await host.context.close()
    }
  })
})
