/**
 * Page weight as a phone on the room's Wi-Fi sees it: the bytes on the wire (Chromium's own count,
 * DevTools protocol `Network.loadingFinished.encodedDataLength`: headers plus compressed body) from
 * opening `/` to sitting in the joined room, against the 150 KB budget; and what an answer with code
 * pulls in later (the Markdown renderer, lowlight and only the grammar it names).
 */
import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import type { BrowserContext, CDPSession, Page } from 'playwright-core'
import { joinRoom, NO_CHROMIUM, PHONE, sendMessage } from '../helpers/browser.js'
import { useE2eRoom } from './support.js'

const BUDGET_BYTES = 150 * 1000

interface Transfer { url: string, status: number, encoding: string, bytes: number }

/** Records every finished response and WebSocket frame of one page over the DevTools protocol. */
class WireLog {
  readonly transfers: Transfer[] = []
  wsBytes = 0
  lastActivity = Date.now()
  private readonly open = new Map<string, Omit<Transfer, 'bytes'>>()

  constructor (cdp: CDPSession) {
    cdp.on('Network.requestWillBeSent', () => { this.lastActivity = Date.now() })
    cdp.on('Network.responseReceived', event => {
      const headers = Object.fromEntries(Object.entries(event.response.headers).map(([k, v]) => [k.toLowerCase(), String(v)]))
      this.open.set(event.requestId, { url: event.response.url, status: event.response.status, encoding: headers['content-encoding'] ?? '-' })
    })
    cdp.on('Network.loadingFinished', event => {
      this.lastActivity = Date.now()
      const response = this.open.get(event.requestId)
      if (response !== undefined) this.transfers.push({ ...response, bytes: event.encodedDataLength })
    })
    // Frame payloads as sent (the socket has no per-message compression: perMessageDeflate is off).
    cdp.on('Network.webSocketFrameReceived', event => { this.lastActivity = Date.now(); this.wsBytes += Buffer.byteLength(event.response.payloadData) })
    cdp.on('Network.webSocketFrameSent', event => { this.wsBytes += Buffer.byteLength(event.response.payloadData) })
  }

  get httpBytes (): number { return this.transfers.reduce((sum, t) => sum + t.bytes, 0) }

  /** Waits until nothing has moved for `quietMs` (bounded). */
  async settle (quietMs = 1000, maxMs = 15_000): Promise<void> {
    const until = Date.now() + maxMs
    while (Date.now() - this.lastActivity < quietMs && Date.now() < until) await new Promise(resolve => setTimeout(resolve, 100))
  }

  table (origin: string): string {
    return this.transfers.map(t => `  ${String(t.bytes).padStart(7)} B  ${t.encoding.padEnd(4)}  ${t.status}  ${t.url.replace(origin, '')}`).join('\n')
  }
}

async function openPhone (context: BrowserContext): Promise<{ page: Page, log: WireLog }> {
  const page = await context.newPage()
  const cdp = await context.newCDPSession(page)
  await cdp.send('Network.enable')
  // A first visit: nothing in the HTTP cache.
  await cdp.send('Network.setCacheDisabled', { cacheDisabled: true })
  return { page, log: new WireLog(cdp) }
}

function chunkNames (log: WireLog): string[] {
  return log.transfers.flatMap(t => /\/assets\/(.+)-[\w-]{8}\.js$/.exec(t.url)?.slice(1) ?? [])
}

describe('page weight', { skip: NO_CHROMIUM }, () => {
  const room = useE2eRoom({ tokenDelayMs: 5 })

  test('a first visit up to a joined room transfers at most 150 KB', { timeout: 60_000 }, async () => {
    const context = await room.browser.newContext({ baseURL: room.host.url, ...PHONE, hasTouch: true, deviceScaleFactor: 2, locale: 'en-US' })
    try {
      const { page, log } = await openPhone(context)
      await page.goto('/')
      await joinRoom(page, 'Light Packer')
      await log.settle()
      const total = log.httpBytes + log.wsBytes
      console.log(`first visit to a joined room: ${log.transfers.length} responses, ${log.httpBytes} B over HTTP + ${log.wsBytes} B of WebSocket frames = ${(total / 1000).toFixed(1)} KB (budget ${BUDGET_BYTES / 1000} KB)\n${log.table(room.host.url)}`)
      for (const t of log.transfers) {
        assert.ok(t.status < 400, `${t.url} answered ${t.status}`)
        if (/\.(?:js|css)$|\/$/.test(t.url)) assert.equal(t.encoding, 'br', `${t.url} goes out as brotli`)
      }
      const chunks = chunkNames(log)
      // The room's welcome text is plain: neither the Markdown renderer nor the highlighter is needed.
      assert.ok(!chunks.includes('markdown-view') && !chunks.includes('grammars'), `no Markdown or highlighter chunk on a first visit (loaded: ${chunks.join(', ')})`)
      assert.ok(total <= BUDGET_BYTES, `${total} B transferred, budget ${BUDGET_BYTES} B`)
    } finally {
      await context.close()
    }
  })

  test('an answer with a TypeScript block loads lowlight with that grammar only', { timeout: 60_000 }, async () => {
    const context = await room.browser.newContext({ baseURL: room.host.url, ...PHONE, hasTouch: true, locale: 'en-US' })
    try {
      const { page, log } = await openPhone(context)
      await page.goto('/')
      await joinRoom(page, 'Code Reader')
      await log.settle()
      const before = chunkNames(log)
      const atJoin = log.httpBytes
      // The fake AI's demo answer holds a ```ts block, a list and a table.
      await sendMessage(page, '@AI show me some code please')
      await page.locator('pre code.hljs .hljs-keyword').first().waitFor({ timeout: 30_000 })
      await log.settle()
      const after = chunkNames(log).filter(name => !before.includes(name))
      console.log(`an answer with code loaded ${log.httpBytes - atJoin} B more: ${after.join(', ')}`)
      assert.ok(after.includes('grammars'), `lowlight and the grammar table loaded (${after.join(', ')})`)
      assert.ok(after.includes('typescript'), `the TypeScript grammar loaded (${after.join(', ')})`)
      for (const other of ['javascript', 'python', 'bash', 'xml', 'css', 'json', 'cpp', 'java']) {
        assert.ok(!after.includes(other), `${other} grammar not loaded`)
      }
    } finally {
      await context.close()
    }
  })
})
