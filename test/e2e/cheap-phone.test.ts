/**
 * A cheap phone in a busy room: Chromium's CPU throttled 6×, ten AI answers streaming at once and
 * 200 other participants chatting (scripted sockets against the real host and the fake Dify). The
 * page is measured for long tasks (goal: none over 100 ms) and typing responsiveness (each input to
 * the next frame; Event Timing for key presses). Prints its figures.
 */
import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import WebSocket from 'ws'
import { joinRoom, NO_CHROMIUM, openParticipant } from '../helpers/browser.js'
import { useE2eRoom } from './support.js'

const OTHERS = 200
const ASKERS = 10
const THROTTLE = 6
const BUSY_MS = 20_000

interface Scripted { ws: WebSocket, name: string }

/** A participant driven over the protocol; frames it receives are counted, not parsed. */
async function scripted (baseUrl: string, name: string): Promise<Scripted> {
  const joined = await fetch(`${baseUrl}/api/users/join`, {
    method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: name, emoji: '🐧' })
  }).then(async r => await r.json() as { token: string })
  const ws = new WebSocket(`${baseUrl.replace('http', 'ws')}/api/broadcast/ws?token=${joined.token}`)
  await new Promise<void>((resolve, reject) => {
    ws.once('error', reject)
    ws.once('message', () => resolve()) // hello
  })
  return { ws, name }
}

function percentile (values: number[], q: number): number {
  const sorted = values.slice().sort((a, b) => a - b)
  return Math.round(sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * q))] ?? 0)
}

describe('in Chromium', { skip: NO_CHROMIUM }, () => {
  // Long answers (the fake streams its reply token by token), ten at once.
  const room = useE2eRoom({ tokenDelayMs: 25, extraArgs: ['--ai-concurrency', String(ASKERS)] })

  test('ten answers stream while 200 chat: long tasks and typing on a throttled phone', { timeout: 300_000 }, async () => {
    const crowd: Scripted[] = []
    for (let i = 0; i < OTHERS; i++) crowd.push(await scripted(room.host.url, `Student ${i + 1}`))

    const phone = await openParticipant(room.browser, room.host.url, { viewport: { width: 390, height: 844 }, isMobile: true })
    await joinRoom(phone.page, 'Budget Phone', 6)
    // One answer first, unthrottled: the Markdown and highlighting chunks load once per visit, and
    // this test is about the busy room, not about that first download.
    crowd[0]!.ws.send(JSON.stringify({ type: 'chat', content: '@ai warm up with some code', client_msg_id: 'warm-up' }))
    await phone.page.locator('.msg--ai.msg--complete').first().waitFor({ timeout: 30_000 })
    const cdp = await phone.context.newCDPSession(phone.page)
    await cdp.send('Emulation.setCPUThrottlingRate', { rate: THROTTLE })
    await phone.page.evaluate(`(() => {
      window.__longTasks = []
      window.__keys = []
      window.__inputToFrame = []
      new PerformanceObserver(list => { for (const e of list.getEntries()) window.__longTasks.push(Math.round(e.duration)) }).observe({ type: 'longtask' })
      // Event Timing: from the key press to the next paint after its handlers (entries of 16 ms and more).
      new PerformanceObserver(list => {
        for (const e of list.getEntries()) if (e.name === 'keydown' || e.name === 'keypress' || e.name === 'keyup') window.__keys.push(Math.round(e.duration))
      }).observe({ type: 'event', durationThreshold: 16, buffered: true })
      // And by hand: from each input event to the frame that follows it.
      document.querySelector('.composer__input').addEventListener('input', e => {
        const at = e.timeStamp
        requestAnimationFrame(() => setTimeout(() => window.__inputToFrame.push(Math.round(performance.now() - at)), 0))
      })
    })()`)

    // The busy room: 200 chat at random moments, and ten ask the AI together.
    let sent = 0
    const timers = crowd.map(({ ws, name }) => setInterval(() => {
      if (Math.random() < 0.5 && ws.readyState === WebSocket.OPEN) {
        ws.send(JSON.stringify({ type: 'chat', content: `${name}: a quick thought ${++sent}`, client_msg_id: `${name}-${sent}` }))
      }
    }, 8000 + Math.random() * 4000))
    for (const { ws } of crowd.slice(0, ASKERS)) {
      ws.send(JSON.stringify({ type: 'chat', content: '@ai explain photosynthesis with an example and a table', client_msg_id: `ask-${Math.random()}` }))
    }
    await phone.page.locator('.msg--ai.msg--streaming').first().waitFor({ timeout: 30_000 })
    const streamingAtStart = await phone.page.evaluate<number>(`(() => {
      const ids = new Set(); for (const el of document.querySelectorAll('.msg--ai.msg--streaming')) ids.add(el.dataset.key); return ids.size
    })()`)

    // Typing on the phone while all that arrives.
    const started = Date.now()
    let typed = 0
    const input = phone.page.locator('.composer__input')
    await input.focus()
    while (Date.now() - started < BUSY_MS) {
      const text = 'typing on a cheap phone '
      await phone.page.keyboard.type(text, { delay: 90 })
      typed += text.length
      if (typed % 72 === 0) await phone.page.keyboard.press('Enter')
    }
    for (const t of timers) clearInterval(t)
    await phone.page.locator('.msg--ai.msg--streaming').first().waitFor({ state: 'detached', timeout: 120_000 }).catch(() => {})

    const longTasks = await phone.page.evaluate<number[]>('window.__longTasks')
    const slowKeys = await phone.page.evaluate<number[]>('window.__keys')
    const inputToFrame = await phone.page.evaluate<number[]>('window.__inputToFrame')
    const shown = await phone.page.evaluate<number>("document.querySelectorAll('.messages [data-key]').length")
    const keyEvents = typed * 3 // keydown, keypress, keyup per character
    console.log(`busy room: ${OTHERS} chatting (${sent} messages in ${Math.round(BUSY_MS / 1000)} s), ${ASKERS} answers asked, ${streamingAtStart} streaming in view at the start; CPU ${THROTTLE}×`)
    console.log(`long tasks: ${longTasks.length}, longest ${Math.max(0, ...longTasks)} ms, over 100 ms: ${longTasks.filter(d => d > 100).length} (${longTasks.slice(0, 20).join(', ')})`)
    console.log(`typing: ${typed} characters; key events over 16 ms to the next paint: ${slowKeys.length} of ${keyEvents}, worst ${Math.max(0, ...slowKeys)} ms`)
    console.log(`input to next frame: p50 ${percentile(inputToFrame, 0.5)} ms, p95 ${percentile(inputToFrame, 0.95)} ms, worst ${Math.max(0, ...inputToFrame)} ms (${inputToFrame.length} inputs); rows in the DOM ${shown}`)

    // The goal is no long task over 100 ms. Not met yet: layouts and paints of several streaming
    // answers at once still take up to about 200 ms at 6×. The figures also move with the load of
    // the machine running the test (a shared runner doubles them), so these bounds only catch a
    // regression; read the printed figures.
    assert.ok(Math.max(0, ...longTasks) < 600, `no long task over 600 ms (${Math.max(0, ...longTasks)} ms)`)
    assert.ok(percentile(inputToFrame, 0.95) < 400, `typing shows within 400 ms (p95 ${percentile(inputToFrame, 0.95)} ms)`)
    assert.deepEqual(phone.errors, [])
    for (const { ws } of crowd) ws.close()
    await phone.context.close()
  })
})
