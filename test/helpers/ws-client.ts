/** A real WebSocket client for tests: collects every frame and waits for the ones asked for. */
import WebSocket from 'ws'
import type { ServerFrame } from '../../server/protocol/index.js'

type Predicate = (f: ServerFrame) => boolean

export class TestClient {
  readonly ws: WebSocket
  readonly frames: ServerFrame[] = []
  closeCode: number | null = null
  closeReason = ''
  private readonly waiters = new Set<() => void>()
  private readonly openPromise: Promise<void>

  constructor (url: string, options: { origin?: string, localAddress?: string } = {}) {
    this.ws = new WebSocket(url, {
      ...(options.origin !== undefined ? { origin: options.origin } : {}),
      ...(options.localAddress !== undefined ? { localAddress: options.localAddress } : {})
    })
    this.openPromise = new Promise((resolve, reject) => {
      this.ws.once('open', () => resolve())
      this.ws.once('unexpected-response', (_req, res) => reject(Object.assign(new Error(`upgrade refused: ${res.statusCode}`), { statusCode: res.statusCode })))
      this.ws.once('error', reject)
    })
    this.ws.on('message', (data) => {
      this.frames.push(JSON.parse(data.toString()) as ServerFrame)
      for (const w of this.waiters) w()
    })
    this.ws.on('close', (code, reason) => {
      this.closeCode = code
      this.closeReason = reason.toString()
      for (const w of this.waiters) w()
    })
  }

  async opened (): Promise<void> { await this.openPromise }

  send (frame: unknown): void {
    this.ws.send(typeof frame === 'string' ? frame : JSON.stringify(frame))
  }

  chat (content: string, clientMsgId?: string): void {
    this.send(clientMsgId === undefined ? { type: 'chat', content } : { type: 'chat', content, client_msg_id: clientMsgId })
  }

  /** Frames of one type, in order. */
  ofType<T extends ServerFrame['type']> (type: T): Array<Extract<ServerFrame, { type: T }>> {
    return this.frames.filter(f => f.type === type) as Array<Extract<ServerFrame, { type: T }>>
  }

  /** Waits until `count` frames match (counting all received so far). */
  async waitFor (predicate: Predicate, count = 1, timeoutMs = 5000): Promise<ServerFrame[]> {
    const check = (): ServerFrame[] | null => {
      const found = this.frames.filter(predicate)
      return found.length >= count ? found : null
    }
    const now = check()
    if (now !== null) return now
    return await new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiters.delete(waiter)
        reject(new Error(`timed out waiting for ${count} frame(s); got ${this.frames.length}: ${JSON.stringify(this.frames.slice(-5))}`))
      }, timeoutMs)
      const waiter = (): void => {
        const found = check()
        if (found !== null) { clearTimeout(timer); this.waiters.delete(waiter); resolve(found) } else if (this.closeCode !== null) { clearTimeout(timer); this.waiters.delete(waiter); reject(new Error(`socket closed (${this.closeCode}) while waiting`)) }
      }
      this.waiters.add(waiter)
    })
  }

  async waitType<T extends ServerFrame['type']> (type: T, count = 1, timeoutMs = 5000): Promise<Array<Extract<ServerFrame, { type: T }>>> {
    return await this.waitFor(f => f.type === type, count, timeoutMs) as Array<Extract<ServerFrame, { type: T }>>
  }

  async waitClose (timeoutMs = 5000): Promise<number> {
    if (this.closeCode !== null) return this.closeCode
    return await new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('socket did not close')), timeoutMs)
      this.ws.once('close', (code) => { clearTimeout(timer); resolve(code) })
    })
  }

  /** Highest seq received. */
  lastSeq (): number {
    let max = 0
    for (const f of this.frames) if ('seq' in f && typeof f.seq === 'number' && f.seq > max) max = f.seq
    return max
  }

  async close (): Promise<void> {
    if (this.ws.readyState === WebSocket.CLOSED) return
    const closed = new Promise<void>(resolve => this.ws.once('close', () => resolve()))
    this.ws.close()
    await closed
  }

  terminate (): void { this.ws.terminate() }
}
