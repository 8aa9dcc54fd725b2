import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { joinRoom, openParticipant, roomTranscript, sendMessage, waitForMessage, type Participant, NO_CHROMIUM } from '../helpers/browser.js'
import { useE2eRoom } from './support.js'

describe('in Chromium', { skip: NO_CHROMIUM }, () => {
  const room = useE2eRoom({ tokenDelayMs: 20 })

  function assertNoDoubles (transcript: string[]): void {
    const keys = transcript.map(line => line.split('|')[0])
    assert.equal(new Set(keys).size, keys.length, `nothing shows twice: ${keys.join(', ')}`)
  }

  test('a participant who drops off sees exactly what it missed, nothing twice', { timeout: 120_000 }, async () => {
    const ann = await openParticipant(room.browser, room.host.url)
    await joinRoom(ann.page, 'Ann', 0)
    const cy = await openParticipant(room.browser, room.host.url)
    await joinRoom(cy.page, 'Cy', 2)

    await sendMessage(cy.page, 'before the tunnel')
    await waitForMessage(ann.page, 'before the tunnel')

    await cy.context.setOffline(true)
    await cy.page.locator('.banner--offline').waitFor({ timeout: 10_000 })

    await sendMessage(ann.page, 'missed one')
    await sendMessage(ann.page, 'missed two')
    await sendMessage(ann.page, '@ai summarise what we said')
    await ann.page.locator('.msg--ai.msg--complete').waitFor({ timeout: 30_000 })
    await sendMessage(ann.page, 'missed three')
    await waitForMessage(ann.page, 'missed three')

    // Written in the tunnel: kept as pending, sent once the connection is back.
    await sendMessage(cy.page, 'typed offline')
    await cy.page.locator('.msg--pending', { hasText: 'typed offline' }).waitFor()
    assert.equal(await cy.page.locator('[data-key] .msg-text', { hasText: 'missed one' }).count(), 0)

    await cy.context.setOffline(false)
    await waitForMessage(cy.page, 'typed offline', 20_000)
    await waitForMessage(ann.page, 'typed offline')
    await waitForMessage(cy.page, 'missed three')
    await cy.page.locator('.msg--ai.msg--complete').waitFor()
    assert.equal(await cy.page.locator('.msg--pending, .msg--unsent').count(), 0)

    const annSees = await roomTranscript(ann.page)
    const cySees = await roomTranscript(cy.page)
    assertNoDoubles(cySees)
    assertNoDoubles(annSees)
    assert.deepEqual(cySees, annSees, 'both see the same room, in the same order')
    assert.deepEqual(cySees.map(l => l.split('|')[1] ?? '').filter(t => !t.includes('summarise') && t.length < 40), [
      'before the tunnel', 'missed one', 'missed two', 'missed three', 'typed offline'
    ])
  })

  test('a refresh keeps the identity, and a refused token goes back to joining', { timeout: 90_000 }, async () => {
    const dee: Participant = await openParticipant(room.browser, room.host.url)
    await joinRoom(dee.page, 'Dee', 5)
    await sendMessage(dee.page, 'said before the refresh')
    await waitForMessage(dee.page, 'said before the refresh')

    await dee.page.reload()
    await waitForMessage(dee.page, 'said before the refresh')
    assert.equal(await dee.page.locator('.join-form').count(), 0, 'no join form after a refresh')
    assert.equal(await dee.page.locator('.msg--own .msg-text', { hasText: 'said before the refresh' }).count(), 1, 'still mine')
    await sendMessage(dee.page, 'said after the refresh')

    const ann = await openParticipant(room.browser, room.host.url)
    await joinRoom(ann.page, 'Ann watching', 1)
    await waitForMessage(ann.page, 'said after the refresh')
    const senders = await ann.page.locator('.msg', { hasText: /said (before|after) the refresh/ }).locator('.msg__name').allInnerTexts()
    assert.deepEqual(senders, ['Dee', 'Dee'], 'the same person before and after')
    assertNoDoubles(await roomTranscript(dee.page))

    // A token the host no longer knows: the page says so and offers the join form again.
    await dee.page.evaluate(`for (const key of Object.keys(localStorage)) {
    if (key.startsWith('mindweb:session:')) {
      localStorage.setItem(key, JSON.stringify({ ...JSON.parse(localStorage.getItem(key)), token: 'no-longer-valid' }))
    }
  }`)
    await dee.page.reload()
    await dee.page.locator('.join-form').waitFor({ timeout: 20_000 })
    assert.match(await dee.page.locator('.join__note').innerText(), /session has ended/)
  })

  test('a newcomer sees the latest messages and can load everything earlier, in order', { timeout: 90_000 }, async () => {
  // A busy past, posted straight over the protocol to keep the test quick.
    const joined = await fetch(`${room.host.url}/api/users/join`, {
      method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'Chatty', emoji: '🐝' })
    }).then(async r => await r.json() as { token: string })
    const ws = new WebSocket(`${room.host.url.replace('http', 'ws')}/api/broadcast/ws?token=${joined.token}`)
    const total = 130
    await new Promise<void>((resolve, reject) => {
      let echoed = 0
      ws.onerror = () => reject(new Error('socket failed'))
      ws.onmessage = (ev) => {
        const frame = JSON.parse(String(ev.data)) as { type: string, client_msg_id?: string }
        if (frame.type === 'hello') {
          for (let i = 1; i <= total; i++) ws.send(JSON.stringify({ type: 'chat', content: `history ${i}`, client_msg_id: `h-${i}` }))
        }
        if (frame.type === 'user_message' && frame.client_msg_id?.startsWith('h-') === true && ++echoed === total) resolve()
      }
    })
    ws.close()

    const late = await openParticipant(room.browser, room.host.url)
    await joinRoom(late.page, 'Late Larry', 3)
    await waitForMessage(late.page, `history ${total}`)
    assert.equal(await late.page.locator('[data-key] .msg-text', { hasText: /^history 1$/ }).count(), 0, 'only the newest were loaded')
    // Reading up to the top loads the earlier page by itself (the button is there for keyboards).
    // Only rows near the viewport exist: read the whole list until the oldest one is in it.
    for (let tries = 0; !(await roomTranscript(late.page)).some(line => line.endsWith('|history 1')); tries++) {
      assert.ok(tries < 30, 'the oldest message is loaded within a few seconds')
      await new Promise(resolve => setTimeout(resolve, 200))
    }
    const texts = (await roomTranscript(late.page)).map(l => l.split('|')[1] ?? '').filter(t => t.startsWith('history '))
    assert.deepEqual(texts, Array.from({ length: total }, (_, i) => `history ${i + 1}`))
    assertNoDoubles(await roomTranscript(late.page))
  })
})
