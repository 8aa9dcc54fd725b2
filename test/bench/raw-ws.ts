/**
 * A minimal WebSocket client for the generator: one net.Socket, a hand-written upgrade and a frame
 * parser that hands each text payload (a Buffer view, no copy when a frame sits in one read) to a
 * callback. Far cheaper per frame than a full client, which matters because the generator shares
 * the machine with the host. Answers pings; sends masked text frames (RFC 6455 §5.3).
 */
import { connect, type Socket } from 'node:net'
import { randomBytes } from 'node:crypto'

export interface RawWsOptions {
  port: number
  path: string
  localAddress: string
  timeoutMs: number
  onMessage: (payload: Buffer) => void
  onClose: () => void
}

/** Where every socket of this process reads into (see the constructor). */
const READ_BUFFER = Buffer.allocUnsafe(256 * 1024)

export class RawWs {
  readonly socket: Socket
  private rest: Buffer | null = null
  private isUpgraded = false
  private isClosed = false
  private readonly options: RawWsOptions

  /** Resolves when the upgrade succeeded (frames may already have been delivered). */
  readonly opened: Promise<void>

  constructor (options: RawWsOptions) {
    this.options = options
    const key = randomBytes(16).toString('base64')
    // onread: the kernel's bytes land in one buffer shared by every socket of the process (read
    // callbacks run one at a time), with no Buffer or 'data' event per read; parse() copies only
    // an incomplete frame's tail.
    this.socket = connect({ host: '127.0.0.1', port: options.port, localAddress: options.localAddress, onread: { buffer: READ_BUFFER, callback: (n) => { this.onRead(READ_BUFFER.subarray(0, n)); return true } } })
    this.socket.setNoDelay(true)
    this.opened = new Promise((resolve, reject) => {
      const timer = setTimeout(() => { reject(new Error('upgrade timeout')); this.socket.destroy() }, options.timeoutMs)
      this.socket.once('connect', () => {
        this.socket.write(`GET ${options.path} HTTP/1.1\r\nHost: 127.0.0.1:${options.port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: ${key}\r\nSec-WebSocket-Version: 13\r\n\r\n`)
      })
      let head = Buffer.alloc(0)
      this.onRead = (chunk: Buffer): void => {
        if (this.isUpgraded) { this.parse(chunk); return }
        head = Buffer.concat([head, chunk])
        const end = head.indexOf('\r\n\r\n')
        if (end < 0) return
        clearTimeout(timer)
        const status = head.subarray(0, head.indexOf('\r\n')).toString('latin1')
        if (!/^HTTP\/1\.1 101/.test(status)) { reject(new Error(`upgrade refused: ${status}`)); this.socket.destroy(); return }
        this.isUpgraded = true
        resolve()
        if (head.length > end + 4) this.parse(head.subarray(end + 4))
      }
      this.socket.on('error', (err) => { clearTimeout(timer); reject(err) })
      this.socket.on('close', () => {
        clearTimeout(timer)
        reject(new Error('closed'))
        if (!this.isClosed) { this.isClosed = true; options.onClose() }
      })
    })
  }

  private onRead: (chunk: Buffer) => void = () => {}

  private parse (chunk: Buffer): void {
    const b = this.rest === null ? chunk : Buffer.concat([this.rest, chunk])
    let p = 0
    const n = b.length
    for (;;) {
      if (n - p < 2) break
      const b0 = b[p]!
      let len = b[p + 1]! & 127
      let h = 2
      if (len === 126) {
        if (n - p < 4) break
        len = b.readUInt16BE(p + 2); h = 4
      } else if (len === 127) {
        if (n - p < 10) break
        len = b.readUInt32BE(p + 2) * 2 ** 32 + b.readUInt32BE(p + 6); h = 10
      }
      if (n - p < h + len) break
      const opcode = b0 & 15
      const payload = b.subarray(p + h, p + h + len)
      p += h + len
      if (opcode === 1 || opcode === 2) this.options.onMessage(payload)
      else if (opcode === 9) this.sendFrame(0x8a, payload)
      else if (opcode === 8) { this.socket.end(); break }
    }
    this.rest = p < n ? Buffer.from(b.subarray(p)) : null
  }

  private sendFrame (first: number, payload: Buffer): void {
    if (this.socket.destroyed) return
    const len = payload.length
    // A zero masking key: valid framing, and the payload needs no transformation.
    const head = len < 126 ? Buffer.from([first, 0x80 | len, 0, 0, 0, 0]) : Buffer.from([first, 0x80 | 126, len >> 8, len & 255, 0, 0, 0, 0])
    this.socket.write(Buffer.concat([head, payload]))
  }

  send (text: string): void { this.sendFrame(0x81, Buffer.from(text, 'utf8')) }
  pause (): void { this.socket.pause() }
  resume (): void { this.socket.resume() }
  terminate (): void { this.isClosed = true; this.socket.destroy() }
}
