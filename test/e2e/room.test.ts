import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { joinRoom, openParticipant, roomTranscript, sendMessage, waitForMessage, type Participant, NO_CHROMIUM } from '../helpers/browser.js'
import { useE2eRoom } from './support.js'

describe('in Chromium', { skip: NO_CHROMIUM }, () => {
  const room = useE2eRoom({ roomName: 'Biology 7B', tokenDelayMs: 50 })

  test('three participants chat and all watch one AI answer stream in', { timeout: 120_000 }, async () => {
    const people: Participant[] = []
    for (const [i, name] of ['Ann', 'Bo', 'Cy'].entries()) {
      const p = await openParticipant(room.browser, room.host.url)
      assert.equal(await p.page.locator('.join__room').textContent(), 'Biology 7B')
      await joinRoom(p.page, name, i)
      people.push(p)
    }
    const [ann, bo, cy] = people as [Participant, Participant, Participant]

    await sendMessage(ann.page, 'Hello from Ann\nsecond line')
    await sendMessage(bo.page, 'Hi Ann, Bo here')
    for (const p of people) {
      await waitForMessage(p.page, 'Hello from Ann')
      await waitForMessage(p.page, 'Hi Ann, Bo here')
    }
    // Mine on the right, the others' with their name; newlines kept.
    assert.equal(await ann.page.locator('.msg--own .msg-text', { hasText: 'Hello from Ann' }).count(), 1)
    assert.equal(await bo.page.locator('.msg:not(.msg--own) .msg-text', { hasText: 'Hello from Ann' }).count(), 1)
    assert.equal(await bo.page.locator('.msg .msg-text', { hasText: 'Hello from Ann' }).innerText(), 'Hello from Ann\nsecond line')
    assert.equal(await cy.page.locator('.msg', { hasText: 'Hi Ann, Bo here' }).locator('.msg__name').innerText(), 'Bo')

    // Cy asks the AI with the toggle; everyone sees the answer arrive while it streams.
    await cy.page.getByRole('button', { name: /Ask AI/ }).click()
    await sendMessage(cy.page, 'what is photosynthesis?')
    await Promise.all(people.map(async p => {
      await p.page.locator('.msg--ai.msg--streaming .md').first().waitFor({ timeout: 20_000 })
    }))
    assert.equal(await cy.page.locator('.msg--ai .chip-button--stop').count(), 1, 'the asker can stop the answer')
    assert.equal(await ann.page.locator('.msg--ai .chip-button--stop').count(), 0, 'others cannot')

    await Promise.all(people.map(async p => {
      await p.page.locator('.msg--ai.msg--complete').first().waitFor({ timeout: 30_000 })
    }))
    const answers = await Promise.all(people.map(async p => await p.page.locator('.msg--ai .ai-card .md').first().innerText()))
    assert.ok(answers[0]!.length > 50, 'a real answer arrived')
    assert.deepEqual(answers, [answers[0], answers[0], answers[0]], 'everyone has the same final answer')
    for (const p of people) {
      assert.equal(await p.page.locator('.msg--ai table').count(), 1, 'the Markdown table rendered')
      assert.ok(await p.page.locator('.msg--ai pre code').count() >= 1, 'the code block rendered')
      assert.match(await p.page.locator('.msg--ai .msg__reply-to').innerText(), /Replying to Cy/)
    }

    const transcripts = await Promise.all(people.map(async p => await roomTranscript(p.page)))
    assert.equal(transcripts[0]!.length, 4)
    assert.deepEqual(transcripts[1], transcripts[0])
    assert.deepEqual(transcripts[2], transcripts[0])

    for (const p of people) {
      assert.equal(await p.page.locator('.presence-button__count').innerText(), '3 online')
      assert.deepEqual(p.errors, [])
      assert.deepEqual(p.dialogs, [])
    }
  })

  test('the people list shows who is here', { timeout: 60_000 }, async () => {
    const dee = await openParticipant(room.browser, room.host.url)
    await joinRoom(dee.page, 'Dee', 4)
    await dee.page.locator('.presence-button').click()
    const names = await dee.page.locator('.people .person__name').allInnerTexts()
    assert.equal(names[0], 'Dee', 'me first')
    assert.deepEqual(names.slice(1).sort(), ['Ann', 'Bo', 'Cy'])
    await dee.page.keyboard.press('Escape')
    assert.equal(await dee.page.locator('.people').count(), 0)
  })

  test('the asker stops an answer mid-stream and everyone sees what it had said', { timeout: 60_000 }, async () => {
    const eve = await openParticipant(room.browser, room.host.url)
    await joinRoom(eve.page, 'Eve', 6)
    const watcher = await openParticipant(room.browser, room.host.url)
    await joinRoom(watcher.page, 'Watcher', 7)
    // An answer that streams a line and then waits: a button that moves with every token is not
    // "stable" to Playwright on a busy machine, and the click waited until the answer had ended.
    await sendMessage(eve.page, '@ai [[scenario:stall]] tell me a very long story')
    const mine = eve.page.locator('.msg--ai', { hasText: 'go silent' }).last()
    await mine.locator('.chip-button--stop').waitFor({ timeout: 20_000 })
    await mine.locator('.md').waitFor()
    await mine.getByRole('button', { name: 'Stop this answer' }).click()
    for (const p of [eve, watcher]) {
      const reply = p.page.locator('.msg--ai.msg--stopped').last()
      await reply.waitFor({ timeout: 15_000 })
      assert.match(await reply.innerText(), /Stopped before the end/)
      assert.ok((await reply.locator('.md').innerText()).length > 0, 'the partial answer stays')
    }
    assert.equal(await eve.page.locator('.chip-button--stop').count(), 0)
  })
})
