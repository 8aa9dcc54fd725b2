/** The console's socket on the pages' one socket client: phases, batches, resume, refusal and a dead link. */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { createAdminConnection, RefusedError, type AdminSocketPhase } from '../../renderer/admin/state/admin-connection.js'
import { PING_INTERVAL_MS, STALE_AFTER_MS } from '../../renderer/shared/socket/socket-client.js'
import type { SocketLike } from '../../renderer/shared/socket/socket-env.js'
import { CLIENT_PING_MS, CLIENT_STALE_MS } from '../../server/protocol/index.js'
import type { ConsoleFrame } from '../../renderer/admin/types.js'

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
  receive (frame: object): void { this.onmessage?.({ data: JSON.stringify(frame) }) }
  hello (): void {
    this.readyState = 1
    this.receive({ type: 'hello', protocol: 1, room: { id: 'r', name: 'Room' }, user_id: 0, last_seq: 0, online_count: 1, ai_mode: 'mention' })
  }
}

function setup (prepare: (isReconnect: boolean) => Promise<void> = async () => {}) {
  const sockets: FakeSocket[] = []
  const batches: ConsoleFrame[][] = []
  const phases: AdminSocketPhase[] = []
  let lastSeq = 7
  const connection = createAdminConnection({
    url: since => `ws://host/api/admin/ws?since=${since}`,
    lastSeq: () => lastSeq,
    prepare,
    onFrames: frames => batches.push(frames),
    onPhase: p => phases.push(p),
    env: { createSocket: url => { const s = new FakeSocket(url); sockets.push(s); return s }, random: () => 0.5, isOnline: () => true }
  })
  const last = (): FakeSocket => sockets.at(-1) ?? (() => { throw new Error('no socket yet') })()
  return { connection, sockets, last, batches, phases, setSeq: (s: number) => { lastSeq = s } }
}

beforeEach(() => { vi.useFakeTimers() })
afterEach(() => { vi.useRealTimers() })

describe('admin connection', () => {
  it('uses the protocol\'s one ping and stale timing', () => {
    expect(PING_INTERVAL_MS).toBe(CLIENT_PING_MS)
    expect(STALE_AFTER_MS).toBe(CLIENT_STALE_MS)
  })

  it('opens at hello, hands frames over in batches and resumes from the caller\'s seq', async () => {
    const t = setup()
    t.connection.start()
    await vi.advanceTimersByTimeAsync(0)
    expect(t.phases).toEqual(['connecting'])
    expect(t.last().url).toContain('since=7')
    t.last().hello()
    expect(t.phases.at(-1)).toBe('open')
    t.last().receive({ type: 'presence', online_count: 3 })
    t.last().receive({ type: 'pong' })
    await vi.advanceTimersByTimeAsync(200)
    expect(t.batches.flat().map(f => f.type)).toEqual(['hello', 'presence', 'pong'])
    t.setSeq(42)
    t.last().onclose?.({ code: 1006 })
    expect(t.phases.at(-1)).toBe('reconnecting')
    await vi.advanceTimersByTimeAsync(1000)
    expect(t.last().url).toContain('since=42')
    t.connection.stop()
  })

  it('pings while open and drops a socket that has gone silent', async () => {
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

  it('stops for good when the token is refused or the host closes with 4001', async () => {
    const refused = setup(async () => { throw new RefusedError('bad token') })
    refused.connection.start()
    await vi.advanceTimersByTimeAsync(0)
    expect(refused.phases.at(-1)).toBe('refused')
    await vi.advanceTimersByTimeAsync(60_000)
    expect(refused.sockets).toHaveLength(0)

    const closed = setup()
    closed.connection.start()
    await vi.advanceTimersByTimeAsync(0)
    closed.last().hello()
    closed.last().onclose?.({ code: 4001 })
    expect(closed.phases.at(-1)).toBe('refused')
    await vi.advanceTimersByTimeAsync(60_000)
    expect(closed.sockets).toHaveLength(1)
  })

  it('retries a prepare that failed for another reason', async () => {
    let calls = 0
    const t = setup(async () => { if (++calls === 1) throw new Error('network') })
    t.connection.start()
    await vi.advanceTimersByTimeAsync(0)
    expect(t.sockets).toHaveLength(0)
    await vi.advanceTimersByTimeAsync(1000)
    expect(t.sockets).toHaveLength(1)
    t.connection.stop()
  })
})
