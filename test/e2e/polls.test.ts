/**
 * A poll from the console to the phones and back: the host writes a quiz question, three phones
 * answer it on the card on top of the room, the console counts them live and sees who answered
 * what, the results go to the class and the poll closes.
 */
import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { joinRoom, openParticipant, sendMessage, NO_CHROMIUM, PHONE } from '../helpers/browser.js'
import { ADMIN_TOKEN, axeViolations, goToSection, openConsole } from './console-support.js'
import { screensDir, useE2eRoom } from './support.js'

const SCREENS = screensDir('polls')

describe('polls in Chromium', { skip: NO_CHROMIUM }, () => {
  const room = useE2eRoom({ roomName: 'Biology 7B', extraArgs: ['--admin-token', ADMIN_TOKEN] })

  test('the console opens a quiz question, three phones answer, the counts and the results arrive live', { timeout: 150_000 }, async () => {
    const host = await openConsole(room.browser, room.host.url, { section: 'Polls', bypassCSP: true })
    const { page } = host
    await page.locator('.polls .empty').waitFor()

    const projector = await room.browser.newContext({ viewport: { width: 1280, height: 720 } })
    const screen = await projector.newPage()
    const screenErrors: string[] = []
    screen.on('pageerror', err => screenErrors.push(err.message))
    await screen.goto(`${room.host.url}/projector/#token=${ADMIN_TOKEN}`)
    await screen.locator('.join').waitFor()

    const phones = []
    for (const [i, name] of ['Ada', 'Ben', 'Chen'].entries()) {
      const phone = await openParticipant(room.browser, room.host.url, { ...PHONE, viewport: { width: 390, height: 844 } })
      await joinRoom(phone.page, name, i)
      phones.push(phone)
    }

    // The host writes the question, three options, and marks the correct one.
    await page.getByRole('textbox', { name: 'Question' }).fill('Which gas do plants take in for photosynthesis?')
    await page.getByRole('textbox', { name: 'Option 1', exact: true }).fill('Oxygen')
    await page.getByRole('textbox', { name: 'Option 2', exact: true }).fill('Carbon dioxide')
    await page.getByRole('button', { name: '+ Add an option' }).click()
    await page.getByRole('textbox', { name: 'Option 3', exact: true }).fill('Nitrogen')
    await page.locator('.poll-form__option').nth(1).getByLabel('Correct').check()
    await page.screenshot({ path: `${SCREENS}/console-new-poll.png` })
    await page.getByRole('button', { name: 'Open the poll' }).click()
    const result = page.locator('.poll-result').first()
    await result.locator('text=Which gas do plants take in').waitFor()
    assert.match(await result.innerText(), /Open/)
    assert.match(await result.locator('.is-correct').innerText(), /Carbon dioxide/, 'the correct option is marked')

    // The projector turns to the poll: the question and its options, no counts yet.
    await screen.locator('.pollview__q', { hasText: 'Which gas do plants take in' }).waitFor({ timeout: 10_000 })
    assert.match(await screen.locator('.pollview__waiting').innerText(), /Carbon dioxide[\s\S]*Answer on your phone/)

    // Every phone shows the card on top of the room; each answers.
    const picks = ['Carbon dioxide', 'Carbon dioxide', 'Oxygen']
    for (const [i, phone] of phones.entries()) {
      const card = phone.page.locator('.poll-card')
      await card.waitFor({ timeout: 10_000 })
      await card.getByText(picks[i]!, { exact: true }).click()
      await card.getByRole('button', { name: 'Send answer' }).click()
      await card.locator('.poll-card__saved').waitFor()
    }
    await phones[0]!.page.screenshot({ path: `${SCREENS}/phone-answered.png` })

    // The console counts them without a reload, and knows who answered what.
    await result.locator('text=3 answers').waitFor({ timeout: 10_000 })
    assert.match(await result.locator('.is-correct').innerText(), /2 votes · 67%/)
    await result.locator('summary', { hasText: 'Who answered what' }).click()
    assert.match(await result.locator('.poll-result__who').innerText(), /Chen Oxygen/)

    // A phone changes its answer while the poll is open: still three answers, new counts.
    const chen = phones[2]!.page.locator('.poll-card')
    await chen.getByRole('button', { name: 'Change answer' }).click()
    await chen.getByText('Carbon dioxide', { exact: true }).click()
    await chen.getByRole('button', { name: 'Send answer' }).click()
    await result.locator('.is-correct', { hasText: '3 votes · 100%' }).waitFor({ timeout: 10_000 })
    assert.match(await result.innerText(), /3 answers/)

    // The class sees the results only when the host shows them.
    assert.equal(await phones[1]!.page.locator('.poll-card__results').count(), 0, 'results are hidden until shown')
    await result.getByRole('button', { name: 'Show results to the class' }).click()
    await phones[1]!.page.locator('.poll-card__results').waitFor({ timeout: 10_000 })
    await screen.locator('.pollview__bars', { hasText: '100% · 3 votes' }).waitFor({ timeout: 10_000 })
    await screen.screenshot({ path: `${SCREENS}/projector-results.png` })
    assert.equal(await screen.locator('.pollview__bars li.is-correct').count(), 0, 'no correct mark while the poll is open')
    assert.match(await phones[1]!.page.locator('.poll-card__results').innerText(), /Carbon dioxide[\s\S]*3 votes · 100%/)

    await result.getByRole('button', { name: 'Close the poll' }).click()
    await result.locator('.badge', { hasText: 'Closed' }).waitFor()
    await phones[1]!.page.locator('.poll-card.is-closed').waitFor({ timeout: 10_000 })
    // Closed, with its results shown: the projector marks the correct option (never while open).
    await screen.locator('.pollview__bars li.is-correct', { hasText: 'Carbon dioxide' }).waitFor({ timeout: 10_000 })
    assert.equal(await screen.locator('.pollview__bars li.is-correct').count(), 1)
    await screen.screenshot({ path: `${SCREENS}/projector-closed-correct.png` })
    await page.screenshot({ path: `${SCREENS}/console-results.png`, fullPage: true })
    await phones[1]!.page.screenshot({ path: `${SCREENS}/phone-results.png` })

    assert.deepEqual(await axeViolations(page), [], 'the Polls section passes axe')
    // The log says it in words.
    await goToSection(page, 'Activity log')
    await page.locator('text=Opened the poll “Which gas do plants take in for photosynthesis?”').waitFor()
    await page.locator('text=Closed the poll “Which gas do plants take in for photosynthesis?” (3 answered)').waitFor()

    assert.deepEqual(host.errors, [])
    assert.deepEqual(screenErrors, [])
    await projector.close()
    for (const phone of phones) {
      assert.deepEqual(phone.errors, [])
      await phone.context.close()
    }
    await host.context.close()
  })

  test('the AI drafts a quiz from the lesson; one runs on a phone; the AI explains the most-missed answer', { timeout: 150_000 }, async () => {
    const phone = await openParticipant(room.browser, room.host.url, { ...PHONE, viewport: { width: 390, height: 844 } })
    await joinRoom(phone.page, 'Dana', 3)
    await sendMessage(phone.page, '@ai how do plants make sugar from light?')
    await phone.page.locator('.msg--ai.msg--complete').last().waitFor({ timeout: 30_000 })

    const host = await openConsole(room.browser, room.host.url, { section: 'Polls' })
    const { page } = host
    await page.getByRole('button', { name: 'Draft questions' }).click()
    const drafts = page.locator('.quiz-draft')
    await drafts.first().waitFor({ timeout: 30_000 })
    assert.equal(await drafts.count(), 3, 'three drafted questions')
    await page.screenshot({ path: `${SCREENS}/console-drafts.png`, fullPage: true })

    // Edit one in the form first: it arrives with its options and the correct mark.
    await drafts.nth(1).getByRole('button', { name: 'Edit first' }).click()
    assert.equal(await drafts.count(), 2)
    assert.match(await page.getByRole('textbox', { name: 'Question' }).inputValue(), /Where in the cell/)
    assert.equal(await page.getByRole('textbox', { name: 'Option 3', exact: true }).inputValue(), 'Chloroplasts')
    assert.ok(await page.locator('.poll-form__option').nth(2).getByLabel('Correct').isChecked())

    // Open the first draft as it is; the phone answers it wrong.
    await drafts.first().getByRole('button', { name: 'Open this question' }).click()
    const card = phone.page.locator('.poll-card')
    await card.locator('text=Which gas do plants take in for photosynthesis?').waitFor({ timeout: 10_000 })
    await card.getByText('Oxygen', { exact: true }).click()
    await card.getByRole('button', { name: 'Send answer' }).click()
    const result = page.locator('.poll-result').first()
    await result.locator('text=1 answer').waitFor({ timeout: 10_000 })
    await result.getByRole('button', { name: 'Close the poll' }).click()
    await result.getByRole('button', { name: /Explain the most-missed answer/ }).click()

    // The class sees the question put to the AI, and the AI's explanation streams in.
    await phone.page.locator('.msg:not(.msg--ai)', { hasText: 'The class answered our quiz question' }).waitFor({ timeout: 10_000 })
    await phone.page.locator('.msg--ai.msg--complete', { hasText: 'Oxygen' }).waitFor({ timeout: 30_000 })
    assert.deepEqual(host.errors, [])
    assert.deepEqual(phone.errors, [])
    await phone.context.close()
    await host.context.close()
  })

  test('an open poll: phones write a few words, the AI groups them, the projector shows the themes', { timeout: 120_000 }, async () => {
    const host = await openConsole(room.browser, room.host.url, { section: 'Polls' })
    const { page } = host
    const projector = await room.browser.newContext({ viewport: { width: 1280, height: 720 } })
    const screen = await projector.newPage()
    await screen.goto(`${room.host.url}/projector/#token=${ADMIN_TOKEN}`)
    await page.getByRole('textbox', { name: 'Question' }).fill('Where does a plant get its energy?')
    await page.getByRole('button', { name: 'A few words' }).click()
    await page.getByRole('button', { name: 'Open the poll' }).click()
    const phones = []
    for (const [i, [name, words]] of [['Eli', 'From sunlight'], ['Fay', 'from the soil']].entries()) {
      const phone = await openParticipant(room.browser, room.host.url, { ...PHONE, viewport: { width: 390, height: 844 } })
      await joinRoom(phone.page, name!, i)
      const card = phone.page.locator('.poll-card', { hasText: 'Where does a plant get its energy?' })
      await card.waitFor({ timeout: 10_000 })
      await card.getByLabel('Your answer').fill(words!)
      await card.getByRole('button', { name: 'Send answer' }).click()
      await card.locator('.poll-card__saved').waitFor()
      phones.push(phone)
    }
    const result = page.locator('.poll-result', { hasText: 'Where does a plant get its energy?' })
    await result.locator('text=2 answers').waitFor({ timeout: 10_000 })
    await result.getByRole('button', { name: /Group the answers with the AI/ }).click()
    await result.locator('.answer-group', { hasText: 'Light gives the energy' }).waitFor({ timeout: 30_000 })
    assert.match(await result.locator('.answer-group.is-misconception').innerText(), /Plants eat soil[\s\S]*misconception[\s\S]*from the soil/)
    await result.getByRole('button', { name: 'Show the groups on the projector' }).click()
    await screen.locator('.pollview__groups', { hasText: 'Light gives the energy' }).waitFor({ timeout: 10_000 })
    assert.match(await screen.locator('.pollview__groups').innerText(), /Plants eat soil · a common misconception/)
    await screen.screenshot({ path: `${SCREENS}/projector-groups.png` })
    assert.deepEqual(host.errors, [])
    for (const p of phones) await p.context.close()
    await projector.close()
    await host.context.close()
  })
})
