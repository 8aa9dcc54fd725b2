import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import type { ErrorFrame } from '../../server/protocol/index.js'
import type { RoomFrame } from '../../renderer/shared/chat/frames.js'
import {
  AuthFailedError, createChatConnection, PING_INTERVAL_MS, roomSocketUrl, STALE_AFTER_MS, type ChatConnectionOptions, type SocketLike
} from '../../renderer/participant/state/chat-connection.js'
import { userMessage } from './frames.js'

class FakeSocket implements SocketLike {
  readyState = 0
  sent: unknown[] = []
  onopen: SocketLike['onopen'] = null
  onmessage: SocketLike['onmessage'] = null
  onclose: SocketLike['onclose'] = null
  onerror: SocketLike['onerror'] = null
  readonly url: string
  constructor (url: string) { this.url = url }
  send (data: string): void { this.sent.push(JSON.parse(data)) }
  close (): void { this.readyState = 3 }
  open (): void { this.readyState = 1; this.onopen?.({}) }
  receive (frame: object): void { this.onmessage?.({ data: JSON.stringify(frame) }) }
  drop (): void { this.readyState = 3; this.onclose?.({ code: 1006 }) }
  hello (): void {
    this.open()
    this.receive({ type: 'hello', protocol: 1, room: { id: 'r', name: 'Room' }, user_id: 7, last_seq: 0, online_count: 1, ai_mode: 'mention' })
  }
}

function setup (overrides: Partial<ChatConnectionOptions> = {}) {
  const sockets: FakeSocket[] = []
  const frames: RoomFrame[] = []
  const refused: Array<[string, ErrorFrame]> = []
  const notices: ErrorFrame[] = []
  const phases: string[] = []
  const opened = vi.fn()
  const authFailed = vi.fn()
  const connection = createChatConnection({
    url: since => `ws://host/api/broadcast/ws?since=${since}`,
    prepare: async () => {},
    onFrame: f => frames.push(f),
    onStatus: s => phases.push(s.phase),
    onOpen: opened,
    onChatRefused: (id, e) => refused.push([id, e]),
    onNotice: e => notices.push(e),
    onAuthFailed: authFailed,
    env: {
      createSocket: url => { const s = new FakeSocket(url); sockets.push(s); return s },
      random: () => 0.5,
      isOnline: () => true
    },
    ...overrides
  })
  const last = (): FakeSocket => {
    const s = sockets.at(-1)
    if (!s) throw new Error('no socket yet')
    return s
  }
  return { connection, sockets, last, frames, refused, notices, phases, opened, authFailed }
}

beforeEach(() => { vi.useFakeTimers() })
afterEach(() => { vi.useRealTimers() })

describe('chat connection', () => {
  it('connects from the seq history ended at, and resumes from the last seq it saw', async () => {
    const t = setup()
    t.connection.noteSeq(12)
    t.connection.start()
    await vi.advanceTimersByTimeAsync(0)
    expect(t.last().url).toContain('since=12')
    t.last().hello()
    t.last().receive(userMessage(13, 13))
    t.last().receive({ type: 'ai_message_chunk', id: 14, reply_to: 13, content: 'x', conversation_id: 'c', timestamp: 0 })
    t.last().drop()
    expect(t.phases.at(-1)).toBe('reconnecting')
    await vi.advanceTimersByTimeAsync(1000)
    expect(t.sockets).toHaveLength(2)
    expect(t.last().url).toContain('since=13')
    t.connection.stop()
  })

  it('backs off between failed attempts and resets after a hello', async () => {
    const t = setup()
    t.connection.start()
    await vi.advanceTimersByTimeAsync(0)
    t.last().drop() // attempt 0 → ~375 ms
    await vi.advanceTimersByTimeAsync(400)
    expect(t.sockets).toHaveLength(2)
    t.last().drop() // attempt 1 → ~750 ms
    await vi.advanceTimersByTimeAsync(400)
    expect(t.sockets).toHaveLength(2)
    await vi.advanceTimersByTimeAsync(400)
    expect(t.sockets).toHaveLength(3)
    t.last().hello()
    expect(t.opened).toHaveBeenCalledTimes(1)
    t.last().drop()
    await vi.advanceTimersByTimeAsync(400)
    expect(t.sockets).toHaveLength(4)
    t.connection.stop()
  })

  it('pings while open and reconnects when the socket goes silent', async () => {
    const t = setup()
    t.connection.start()
    await vi.advanceTimersByTimeAsync(0)
    t.last().hello()
    await vi.advanceTimersByTimeAsync(PING_INTERVAL_MS + 5000)
    expect(t.last().sent).toContainEqual({ type: 'ping' })
    await vi.advanceTimersByTimeAsync(STALE_AFTER_MS)
    expect(t.sockets.length).toBeGreaterThan(1)
    t.connection.stop()
  })

  it('sends chats only when open and ties an error frame to the oldest unanswered chat', async () => {
    const t = setup()
    t.connection.start()
    await vi.advanceTimersByTimeAsync(0)
    expect(t.connection.sendChat('c-1', 'too early')).toBe(false)
    t.last().hello()
    expect(t.connection.sendChat('c-1', 'one')).toBe(true)
    expect(t.connection.sendChat('c-2', 'two')).toBe(true)
    t.last().receive(userMessage(1, 1, 'one', { client_msg_id: 'c-1' }))
    t.last().receive({ type: 'error', code: 'ERR_RATE_LIMITED', message: 'Slow down', retry_after_ms: 3000 })
    expect(t.refused).toEqual([['c-2', expect.objectContaining({ code: 'ERR_RATE_LIMITED', retry_after_ms: 3000 })]])
    t.last().receive({ type: 'error', code: 'ERR_BAD_FRAME', message: 'What?' })
    expect(t.notices).toHaveLength(1)
    t.connection.stop()
  })

  it('treats an AI refusal after a posted chat as a notice, not a failed message', async () => {
    const t = setup()
    t.connection.start()
    await vi.advanceTimersByTimeAsync(0)
    t.last().hello()
    t.connection.sendChat('c-1', '@ai one')
    t.connection.sendChat('c-2', 'two')
    t.last().receive(userMessage(1, 1, '@ai one', { client_msg_id: 'c-1' }))
    t.last().receive({ type: 'error', code: 'ERR_AI_QUEUE_FULL', message: 'The AI is busy' })
    expect(t.refused).toEqual([])
    expect(t.notices.map(n => n.code)).toEqual(['ERR_AI_QUEUE_FULL'])
    t.connection.stop()
  })

  it('prefers an echoed client_msg_id on error frames', async () => {
    const t = setup()
    t.connection.start()
    await vi.advanceTimersByTimeAsync(0)
    t.last().hello()
    t.connection.sendChat('c-1', 'one')
    t.connection.sendChat('c-2', 'two')
    t.last().receive({ type: 'error', code: 'ERR_RATE_LIMITED', message: 'Slow down', client_msg_id: 'c-2' })
    expect(t.refused.map(([id]) => id)).toEqual(['c-2'])
    t.connection.stop()
  })

  it('stops for good when the token is refused', async () => {
    let calls = 0
    const t = setup({
      prepare: async ({ failedBeforeHello }) => {
        calls++
        if (failedBeforeHello) throw new AuthFailedError('unknown token')
      }
    })
    t.connection.start()
    await vi.advanceTimersByTimeAsync(0)
    t.last().drop() // upgrade refused: no hello
    await vi.advanceTimersByTimeAsync(1000)
    expect(calls).toBe(2)
    expect(t.authFailed).toHaveBeenCalledTimes(1)
    expect(t.sockets).toHaveLength(1)
    expect(t.phases.at(-1)).toBe('stopped')
  })

  it('reconnects at once when nudged while waiting', async () => {
    const t = setup()
    t.connection.start()
    await vi.advanceTimersByTimeAsync(0)
    t.last().hello()
    t.last().drop()
    t.last().drop()
    t.connection.nudge()
    await vi.advanceTimersByTimeAsync(0)
    expect(t.sockets).toHaveLength(2)
    t.connection.stop()
  })

  it('drops a socket that looks open but does not answer a wake-up ping', async () => {
    const t = setup()
    t.connection.start()
    await vi.advanceTimersByTimeAsync(0)
    t.last().hello()
    await vi.advanceTimersByTimeAsync(10)
    t.connection.nudge()
    expect(t.last().sent).toContainEqual({ type: 'ping' })
    await vi.advanceTimersByTimeAsync(6000)
    expect(t.sockets.length).toBeGreaterThan(1)
    t.connection.stop()
  })

  it('drops the socket at once when the device goes offline, and reconnects when it is back', async () => {
    let isOnline = true
    const t = setup()
    const connection = createChatConnection({
      url: since => `ws://host/ws?since=${since}`,
      prepare: async () => {},
      onFrame: () => {},
      onStatus: s => t.phases.push(s.phase),
      onOpen: () => {},
      onChatRefused: () => {},
      onNotice: () => {},
      onAuthFailed: () => {},
      env: { createSocket: url => { const s = new FakeSocket(url); t.sockets.push(s); return s }, random: () => 0.5, isOnline: () => isOnline }
    })
    connection.start()
    await vi.advanceTimersByTimeAsync(0)
    t.last().hello()
    t.last().receive(userMessage(5, 5))
    isOnline = false
    connection.nudge()
    expect(t.phases.at(-1)).toBe('offline')
    expect(connection.sendChat('c-1', 'queued')).toBe(false)
    connection.nudge() // still offline: keep waiting
    await vi.advanceTimersByTimeAsync(0)
    expect(t.sockets).toHaveLength(1)
    isOnline = true
    connection.nudge()
    await vi.advanceTimersByTimeAsync(0)
    expect(t.sockets).toHaveLength(2)
    expect(t.last().url).toContain('since=5')
    connection.stop()
  })

  it('stops for good when the host removes this participant (error frame, then close 4001)', async () => {
    const onRemoved = vi.fn()
    const t = setup({ onRemoved })
    t.connection.start()
    await vi.advanceTimersByTimeAsync(0)
    t.last().hello()
    t.last().receive({ type: 'error', code: 'ERR_REMOVED', message: 'The host removed you from the room.' })
    expect(onRemoved).toHaveBeenCalledWith('The host removed you from the room.')
    expect(t.phases.at(-1)).toBe('stopped')
    await vi.advanceTimersByTimeAsync(60_000)
    expect(t.sockets).toHaveLength(1)
  })

  it('treats a bare close 4001 as a removal too (no reconnect)', async () => {
    const onRemoved = vi.fn()
    const t = setup({ onRemoved })
    t.connection.start()
    await vi.advanceTimersByTimeAsync(0)
    t.last().hello()
    t.last().readyState = 3
    t.last().onclose?.({ code: 4001 })
    expect(onRemoved).toHaveBeenCalledTimes(1)
    await vi.advanceTimersByTimeAsync(60_000)
    expect(t.sockets).toHaveLength(1)
    expect(t.refused).toHaveLength(0)
  })

  it('builds the socket URL for the page origin', () => {
    expect(roomSocketUrl({ protocol: 'http:', host: '192.168.1.5:8000' }, 'a b', 4)).toBe('ws://192.168.1.5:8000/api/broadcast/ws?token=a+b&since=4')
    expect(roomSocketUrl({ protocol: 'https:', host: 'x' }, 't', 0)).toBe('wss://x/api/broadcast/ws?token=t&since=0')
  })
})
