import { act, renderHook, waitFor } from '@testing-library/react'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { useChatSocket } from '../../renderer/participant/hooks/use-chat-socket.js'
import { history, userMessage } from './frames.js'

class FakeWebSocket {
  static instances: FakeWebSocket[] = []
  readyState = 0
  sent: Array<Record<string, unknown>> = []
  onmessage: ((ev: { data: string }) => void) | null = null
  onclose: ((ev: { code: number }) => void) | null = null
  onerror: (() => void) | null = null
  onopen: (() => void) | null = null
  readonly url: string
  constructor (url: string) {
    this.url = url
    FakeWebSocket.instances.push(this)
  }

  send (data: string): void { this.sent.push(JSON.parse(data) as Record<string, unknown>) }
  close (): void { this.readyState = 3 }
  receive (frame: object): void { this.onmessage?.({ data: JSON.stringify(frame) }) }
  hello (): void {
    this.readyState = 1
    this.receive({ type: 'hello', protocol: 1, room: { id: 'r1', name: 'Room' }, user_id: 7, last_seq: 3, online_count: 2, ai_mode: 'all' })
  }
}

const session = { token: 'tok', userId: 7, username: 'Curious Otter', emoji: '🦦' }

function json (status: number, body: unknown): Response {
  return new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } })
}

function mockHost (messagesStatus = 200) {
  return vi.spyOn(globalThis, 'fetch').mockImplementation(async (input) => {
    const url = String(input)
    if (url.startsWith('/api/messages')) {
      return messagesStatus === 200
        ? json(200, { messages: [history(1, 1), history(2, 2), history(3, 3)] })
        : json(messagesStatus, { error: { code: 'ERR_UNAUTHORIZED', message: 'Unknown token' } })
    }
    if (url.startsWith('/api/users')) return json(200, { users: [{ user_id: 7, username: 'Curious Otter', emoji: '🦦', online: true }] })
    return json(404, { error: { code: 'ERR_NOT_FOUND', message: 'nope' } })
  })
}

const socket = (): FakeWebSocket => {
  const s = FakeWebSocket.instances.at(-1)
  if (!s) throw new Error('no socket')
  return s
}

beforeEach(() => {
  FakeWebSocket.instances = []
  vi.stubGlobal('WebSocket', FakeWebSocket)
})
afterEach(() => { vi.unstubAllGlobals() })

describe('useChatSocket', () => {
  it('loads recent history, then resumes the socket after it', async () => {
    mockHost()
    const { result, unmount } = renderHook(() => useChatSocket('r1', session, () => {}))
    await waitFor(() => expect(FakeWebSocket.instances).toHaveLength(1))
    expect(socket().url).toMatch(/\/api\/broadcast\/ws\?token=tok&since=3$/)
    act(() => {
      socket().hello()
      socket().receive(userMessage(4, 4, 'live'))
    })
    await waitFor(() => expect(result.current.chat.entries.map(e => e.key)).toEqual(['u:1', 'u:2', 'u:3', 'u:4']))
    expect(result.current.status.phase).toBe('open')
    expect(result.current.live).toEqual({ aiMode: 'all', aiAvailable: true, photos: 'off' })
    await waitFor(() => expect(result.current.presence.users).toHaveLength(1))
    expect(result.current.presence.onlineCount).toBe(2)
    unmount()
  })

  it('sends optimistically, confirms on echo, and keeps unsent messages across a remount', async () => {
    mockHost()
    const first = renderHook(() => useChatSocket('r1', session, () => {}))
    await waitFor(() => expect(FakeWebSocket.instances).toHaveLength(1))
    act(() => socket().hello())
    act(() => first.result.current.send('hello room'))
    const chat = socket().sent.find(f => f.type === 'chat')
    expect(chat).toMatchObject({ type: 'chat', content: 'hello room' })
    expect(first.result.current.chat.outbox).toHaveLength(1)
    act(() => socket().receive(userMessage(4, 4, 'hello room', { client_msg_id: String(chat?.client_msg_id), from_user_id: 7 })))
    await waitFor(() => expect(first.result.current.chat.outbox).toHaveLength(0))

    // Offline: the message waits, survives a reload, and goes out (same id) on the next hello.
    act(() => socket().onclose?.({ code: 1006 }))
    act(() => first.result.current.send('while away'))
    const pendingId = first.result.current.chat.outbox[0]?.clientMsgId
    expect(pendingId).toBeTruthy()
    first.unmount()

    const second = renderHook(() => useChatSocket('r1', session, () => {}))
    expect(second.result.current.chat.outbox.map(e => e.clientMsgId)).toEqual([pendingId])
    await waitFor(() => expect(FakeWebSocket.instances.length).toBeGreaterThanOrEqual(2))
    act(() => socket().hello())
    expect(socket().sent).toContainEqual({ type: 'chat', content: 'while away', client_msg_id: pendingId })
    second.unmount()
  })

  it('loads earlier history on request, older first and without doubles', async () => {
    const calls: string[] = []
    vi.spyOn(globalThis, 'fetch').mockImplementation(async (input) => {
      const url = String(input)
      calls.push(url)
      if (url === '/api/messages?limit=100') return json(200, { messages: Array.from({ length: 100 }, (_, i) => history(i + 201, i + 201)) })
      if (url.startsWith('/api/messages?since=0')) return json(200, { messages: Array.from({ length: 250 }, (_, i) => history(i + 1, i + 1)) })
      if (url.startsWith('/api/questions')) return json(200, { questions: [], waiting_count: 0 })
      if (url.startsWith('/api/polls')) return json(200, { polls: [] })
      return json(200, { users: [] })
    })
    const { result, unmount } = renderHook(() => useChatSocket('r1', session, () => {}))
    await waitFor(() => expect(result.current.chat.entries).toHaveLength(100))
    expect(result.current.hasEarlier).toBe(true)
    let added = 0
    await act(async () => { added = await result.current.loadEarlier() })
    expect(calls).toContain('/api/messages?since=0&limit=301')
    expect(added).toBe(200)
    expect(result.current.chat.entries).toHaveLength(300)
    expect(result.current.chat.entries[0]?.seq).toBe(1)
    expect(result.current.hasEarlier).toBe(false)
    unmount()
  })

  it('gives up and reports when the host refuses the token', async () => {
    mockHost(401)
    const onAuthFailed = vi.fn()
    renderHook(() => useChatSocket('r1', session, onAuthFailed))
    await waitFor(() => expect(onAuthFailed).toHaveBeenCalledTimes(1))
    expect(FakeWebSocket.instances).toHaveLength(0)
  })
})
