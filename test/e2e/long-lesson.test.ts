/**
 * A long lesson on a cheap phone: a room with 5,000 messages (history, then more arriving live)
 * opens in under 2 s with Chromium's CPU throttled 6× (on a busy machine: within 2.5× the time
 * a one-message room takes), every message can be loaded and scrolled
 * smoothly (only rows near the viewport exist), and the page stays under 150 MB of JS heap.
 * Prints its figures. Set MINDWEB_SCREENS to a folder to keep a screenshot.
 */
import assert from 'node:assert/strict'
import { mkdirSync } from 'node:fs'
import { join } from 'node:path'
import { describe, test } from 'node:test'
import type { CDPSession, Page } from 'playwright-core'
import WebSocket from 'ws'
import { joinRoom, NO_CHROMIUM, openParticipant } from '../helpers/browser.js'
import { useE2eRoom } from './support.js'

const HISTORY = 5000
const LIVE = 400
const THROTTLE = 6
const SCREENS = process.env.MINDWEB_SCREENS

/** Joins over HTTP and opens a room socket for a scripted participant. */
async function scriptedParticipant (baseUrl: string, username: string): Promise<WebSocket> {
  const joined = await fetch(`${baseUrl}/api/users/join`, {
    method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, emoji: '🐝' })
  }).then(async r => await r.json() as { token: string })
  const ws = new WebSocket(`${baseUrl.replace('http', 'ws')}/api/broadcast/ws?token=${joined.token}`)
  await new Promise<void>((resolve, reject) => {
    ws.once('error', reject)
    ws.on('message', function onHello (data) {
      if ((JSON.parse(data.toString()) as { type: string }).type !== 'hello') return
      ws.off('message', onHello)
      resolve()
    })
  })
  return ws
}

/** Posts `count` chats (a lesson's mix: short, long, several lines, emoji) and waits for their echoes. */
async function post (ws: WebSocket, count: number, prefix: string, firstNumber = 1): Promise<void> {
  await new Promise<void>((resolve, reject) => {
    let echoed = 0
    const onMessage = (data: WebSocket.RawData): void => {
      const frame = JSON.parse(data.toString()) as { type: string, client_msg_id?: string }
      if (frame.type === 'user_message' && frame.client_msg_id?.startsWith(prefix) === true && ++echoed === count) {
        ws.off('message', onMessage)
        resolve()
      }
    }
    ws.on('message', onMessage)
    ws.once('error', reject)
    for (let i = 0; i < count; i++) {
      const n = firstNumber + i
      ws.send(JSON.stringify({ type: 'chat', content: lessonLine(n), client_msg_id: `${prefix}${n}` }))
    }
  })
}

function lessonLine (n: number): string {
  if (n % 97 === 0) return `message ${n}: ${'a long thought that goes on and on, '.repeat(40)}`
  if (n % 13 === 0) return `message ${n}:\nfirst line\nsecond line 🙂\nthird line`
  return `message ${n}`
}

async function heapMb (cdp: CDPSession): Promise<number> {
  const { metrics } = await cdp.send('Performance.getMetrics')
  const used = metrics.find(m => m.name === 'JSHeapUsedSize')?.value ?? 0
  return Math.round(used / 1024 / 1024 * 10) / 10
}

async function renderedRows (page: Page): Promise<number> {
  return await page.evaluate<number>("document.querySelectorAll('.messages [data-key]').length")
}

describe('in Chromium', { skip: NO_CHROMIUM }, () => {
  const room = useE2eRoom({ tokenDelayMs: 5 })

  test(`a room of ${HISTORY} messages opens in under 2 s on a 6× throttled phone and scrolls smoothly`, { timeout: 600_000 }, async () => {
    const teacher = await scriptedParticipant(room.host.url, 'Teacher')
    const phone = await openParticipant(room.browser, room.host.url, { viewport: { width: 390, height: 844 }, isMobile: true })
    await joinRoom(phone.page, 'Late Student', 2)
    const cdp = await phone.context.newCDPSession(phone.page)
    await cdp.send('Performance.enable')

    /** A refresh of the room on the throttled phone; ms until `text` shows in the list. */
    async function openRoom (text: string): Promise<number> {
      await cdp.send('Emulation.setCPUThrottlingRate', { rate: THROTTLE })
      const start = Date.now()
      await phone.page.reload()
      await phone.page.locator('.messages [data-key] .msg-text', { hasText: text }).waitFor({ timeout: 30_000 })
      return Date.now() - start
    }

    // The same phone opening a room with one message: what this machine needs for a page at all.
    teacher.send(JSON.stringify({ type: 'chat', content: 'message 0', client_msg_id: 's-0' }))
    await phone.page.locator('.messages [data-key] .msg-text', { hasText: 'message 0' }).waitFor()
    const smallMs = await openRoom('message 0')
    await cdp.send('Emulation.setCPUThrottlingRate', { rate: 1 })

    const seedStart = Date.now()
    for (let start = 1; start <= HISTORY; start += 1000) await post(teacher, Math.min(1000, HISTORY - start + 1), 'h-', start)
    console.log(`seeded ${HISTORY} messages in ${Date.now() - seedStart} ms`)

    // Opening: the room again on the throttled phone, until the newest message shows. Under 2 s
    // here; on a machine too busy for that, the history may cost at most 2.5× what a
    // page with one message costs (timings are noisy, the ratio is what the long history changes).
    const openMs = await openRoom(`message ${HISTORY}`)
    console.log(`open (to newest message shown, CPU ${THROTTLE}×): ${openMs} ms with ${HISTORY} messages, ${smallMs} ms with one`)
    assert.ok(openMs < Math.max(2000, 2.5 * smallMs), `the room opens in under 2 s, or within 2.5× a one-message room's time (${openMs} ms, ${smallMs} ms)`)

    // Everything earlier, a page at a time, as a reader scrolling up would ask for it: reaching
    // the top loads the page before it by itself.
    const loadStart = Date.now()
    let loads = 0
    phone.page.on('request', request => { if (request.url().includes('/api/messages?since=')) loads++ })
    for (let i = 0; i < 2000; i++) {
      await phone.page.locator('.messages').evaluate(el => { el.scrollTop = 0 })
      await new Promise(resolve => setTimeout(resolve, 50))
      // The top row is "show earlier" while more exists, the welcome once everything is loaded.
      if (await phone.page.locator('.messages .welcome, .messages .messages__start').count() > 0) break
    }
    await phone.page.locator('.messages').evaluate(el => { el.scrollTop = el.scrollHeight })
    await new Promise(resolve => setTimeout(resolve, 500))
    // Row 0 is the list's top; row n is the n-th message.
    const inMemory = await phone.page.evaluate<number>("Math.max(...Array.from(document.querySelectorAll('.messages [data-index]'), el => Number(el.dataset.index)))")
    console.log(`loaded all history by reading up to the top in ${Date.now() - loadStart} ms (${loads} loads; last row index ${inMemory})`)
    assert.ok(inMemory >= HISTORY, `all ${HISTORY} messages are in the list (${inMemory})`)

    // More arrives live while the reader is at the bottom (the virtual list measures rows as they
    // render, so the bottom moves a few times before it stays put).
    for (let settled = 0, i = 0; settled < 3 && i < 100; i++) {
      const atBottom = await phone.page.locator('.messages').evaluate(el => { el.scrollTop = el.scrollHeight; return el.scrollTop + el.clientHeight >= el.scrollHeight - 2 })
      settled = atBottom ? settled + 1 : 0
      await new Promise(resolve => setTimeout(resolve, 100))
    }
    const liveStart = Date.now()
    await post(teacher, LIVE, 'l-', HISTORY + 1)
    await phone.page.locator('.messages [data-key] .msg-text', { hasText: `message ${HISTORY + LIVE}` }).waitFor({ timeout: 60_000 })
    console.log(`${LIVE} live messages shown within ${Date.now() - liveStart} ms of being sent`)

    const rows = await renderedRows(phone.page)
    console.log(`rows in the DOM with ${HISTORY + LIVE} messages: ${rows}`)
    assert.ok(rows < 80, `only rows near the viewport are rendered (${rows})`)

    // Scroll up in steps, one per frame (a brisk finger: 60 px a frame, 3,600 px/s), and time the frames.
    await phone.page.evaluate(`(() => {
      window.__longTasks = []
      new PerformanceObserver(list => { for (const e of list.getEntries()) window.__longTasks.push(e.duration) }).observe({ type: 'longtask' })
    })()`)
    const scrollBy = async (px: number, frames: number): Promise<{ frames: number, p50: number, p95: number, worst: number }> => await phone.page.evaluate(`new Promise(resolve => {
      const list = document.querySelector('.messages')
      const gaps = []
      let last = 0
      let steps = 0
      const step = now => {
        if (last) gaps.push(now - last)
        last = now
        list.scrollTop = Math.max(0, list.scrollTop - ${px})
        if (++steps < ${frames} && list.scrollTop > 0) requestAnimationFrame(step)
        else {
          const sorted = gaps.slice().sort((a, b) => a - b)
          const at = q => Math.round(sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * q))] ?? 0)
          resolve({ frames: gaps.length, p50: at(0.5), p95: at(0.95), worst: Math.round(sorted.at(-1) ?? 0) })
        }
      }
      requestAnimationFrame(step)
    })`)
    const brisk = await scrollBy(60, 240)
    const briskTasks = await phone.page.evaluate<number[]>('window.__longTasks.splice(0)')
    console.log(`scroll 60 px/frame, CPU ${THROTTLE}×: ${brisk.frames} frames, p50 ${brisk.p50} ms, p95 ${brisk.p95} ms, worst ${brisk.worst} ms; long tasks ${briskTasks.length} (longest ${Math.round(Math.max(0, ...briskTasks))} ms)`)
    const fling = await scrollBy(1200, 120)
    console.log(`fling 1,200 px/frame (every frame all new rows), CPU ${THROTTLE}×: ${fling.frames} frames, p50 ${fling.p50} ms, p95 ${fling.p95} ms, worst ${fling.worst} ms`)
    assert.ok(brisk.p95 < 100, `scrolling keeps frames short (p95 ${brisk.p95} ms)`)

    const heap = await heapMb(cdp)
    console.log(`JS heap used with ${HISTORY + LIVE} messages: ${heap} MB`)
    assert.ok(heap < 150, `the page stays under 150 MB of JS heap (${heap} MB)`)

    if (SCREENS) {
      mkdirSync(SCREENS, { recursive: true })
      await cdp.send('Emulation.setCPUThrottlingRate', { rate: 1 })
      await phone.page.locator('.messages').evaluate(el => { el.scrollTop = el.scrollHeight / 2 })
      await new Promise(resolve => setTimeout(resolve, 300))
      await phone.page.screenshot({ path: join(SCREENS, 'long-lesson-middle.png') })
      await phone.page.locator('.messages').evaluate(el => { el.scrollTop = el.scrollHeight })
      await new Promise(resolve => setTimeout(resolve, 300))
      await phone.page.screenshot({ path: join(SCREENS, 'long-lesson-bottom.png') })
    }
    assert.deepEqual(phone.errors, [])
    teacher.close()
    await phone.context.close()
  })
})
