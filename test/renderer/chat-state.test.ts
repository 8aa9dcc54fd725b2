import { describe, expect, it } from 'vitest'
import type { ServerFrame } from '../../server/protocol/index.js'
import { chatReducer, createChatState, type AiEntry, type ChatAction, type ChatState } from '../../renderer/shared/chat/chat-state.js'
import { createOutboxEntry } from '../../renderer/shared/chat/outbox.js'
import { aiChunk, aiEnd, aiError, aiStart, history, userMessage } from './frames.js'

function apply (state: ChatState, ...frames: ServerFrame[]): ChatState {
  return frames.reduce((s, frame) => chatReducer(s, { type: 'frame', frame }), state)
}

function run (state: ChatState, ...actions: ChatAction[]): ChatState {
  return actions.reduce(chatReducer, state)
}

function ai (state: ChatState, id: number): AiEntry {
  const entry = state.entries.find(e => e.key === `a:${id}`)
  if (entry?.kind !== 'ai') throw new Error(`no AI entry ${id}`)
  return entry
}

const keys = (state: ChatState): string[] => state.entries.map(e => e.key)

describe('chat state: ordering and dedupe', () => {
  it('orders messages by seq whatever order they arrive in', () => {
    const state = apply(createChatState(), userMessage(3, 3), userMessage(1, 1), userMessage(2, 2))
    expect(keys(state)).toEqual(['u:1', 'u:2', 'u:3'])
    expect(state.lastSeq).toBe(3)
  })

  it('shows a message once when it arrives twice', () => {
    const state = apply(createChatState(), userMessage(1, 1), userMessage(1, 1), userMessage(2, 2), userMessage(1, 1))
    expect(keys(state)).toEqual(['u:1', 'u:2'])
  })

  it('merges history and an overlapping resume without doubles', () => {
    let state = run(createChatState(), { type: 'history', messages: [history(1, 1), history(2, 2), history(3, 3)] })
    expect(state.lastSeq).toBe(3)
    // A resume that overlaps (e.g. since= sent before history arrived) changes nothing it already has.
    state = apply(state, userMessage(2, 2), userMessage(3, 3), userMessage(4, 4))
    expect(keys(state)).toEqual(['u:1', 'u:2', 'u:3', 'u:4'])
    expect(state.lastSeq).toBe(4)
  })

  it('does not reset a finished answer when its start frame is replayed', () => {
    let state = apply(createChatState(), userMessage(1, 1), aiStart(2, 2, 1), aiEnd(2, 3, 'Done.'))
    state = apply(state, aiStart(2, 2, 1))
    expect(ai(state, 2)).toMatchObject({ status: 'complete', content: 'Done.' })
  })

  it('keeps a user message and an AI reply that share an id apart', () => {
    const state = apply(createChatState(), userMessage(5, 1), aiStart(5, 2, 5))
    expect(keys(state)).toEqual(['u:5', 'a:5'])
  })
})

describe('chat state: streaming AI replies', () => {
  const started = (): ChatState => apply(createChatState(), userMessage(1, 1, '@ai hi'), aiStart(2, 2, 1))

  it('appends deltas and replaces with a snapshot', () => {
    let state = apply(started(), aiChunk(2, 'Hel'), aiChunk(2, 'lo'))
    expect(ai(state, 2).content).toBe('Hello')
    state = apply(state, aiChunk(2, 'Hello, world', true))
    expect(ai(state, 2).content).toBe('Hello, world')
    state = apply(state, aiChunk(2, '!'))
    expect(ai(state, 2).content).toBe('Hello, world!')
  })

  it('lets the end frame content win over the deltas', () => {
    let state = apply(started(), aiChunk(2, 'Hel'), aiChunk(2, 'lo wrld'))
    state = apply(state, aiEnd(2, 3, 'Hello world'))
    expect(ai(state, 2)).toMatchObject({ content: 'Hello world', status: 'complete' })
  })

  it('ignores chunks and replaces that arrive after the end', () => {
    let state = apply(started(), aiEnd(2, 3, 'Final'))
    state = apply(state, aiChunk(2, ' extra'), aiChunk(2, 'other', true), { type: 'ai_message_replace', id: 2, content: 'x' })
    expect(ai(state, 2).content).toBe('Final')
  })

  it('applies moderation replace while streaming', () => {
    const state = apply(started(), aiChunk(2, 'bad words'), { type: 'ai_message_replace', id: 2, content: '[removed]' }, aiChunk(2, ' more'))
    expect(ai(state, 2).content).toBe('[removed] more')
  })

  it('tracks the queue position until the answer starts', () => {
    let state = apply(createChatState(), userMessage(1, 1), aiStart(2, 2, 1, 3))
    expect(ai(state, 2).queuePosition).toBe(3)
    state = apply(state, { type: 'ai_message_queue', id: 2, queue_position: 1 })
    expect(ai(state, 2).queuePosition).toBe(1)
    state = apply(state, aiChunk(2, 'Hi'))
    expect(ai(state, 2).queuePosition).toBe(0)
  })

  it('keeps the partial answer and the error when a reply fails', () => {
    const state = apply(started(), aiChunk(2, 'Half an ans'), aiError(2, 3, 'Half an answer', 'interrupted'))
    expect(ai(state, 2)).toMatchObject({ status: 'interrupted', content: 'Half an answer', error: { code: 'ERR_AI_UPSTREAM' } })
  })

  it('keeps citations from the end frame', () => {
    const end = { ...aiEnd(2, 3, 'See the handbook.'), citations: [{ position: 1, document_name: 'Handbook.pdf', dataset_name: 'School', content: 'Rule 1', score: 0.9 }] }
    const state = apply(started(), end)
    expect(ai(state, 2).citations).toHaveLength(1)
  })

  it('places a reply first seen mid-stream after what is known, then where its start says', () => {
    let state = apply(createChatState(), userMessage(1, 1), userMessage(3, 3), aiChunk(2, 'so far', true))
    expect(keys(state)).toEqual(['u:1', 'u:3', 'a:2'])
    state = apply(state, aiStart(2, 2, 1))
    expect(keys(state)).toEqual(['u:1', 'a:2', 'u:3'])
    expect(ai(state, 2).content).toBe('so far')
  })

  it('takes a finished answer from history over a streaming one, but not the reverse', () => {
    let state = apply(started(), aiChunk(2, 'partial'))
    state = run(state, { type: 'history', messages: [history(2, 2, { role: 'assistant', content: 'final', status: 'complete', reply_to: 1 })] })
    expect(ai(state, 2)).toMatchObject({ content: 'final', status: 'complete' })
    state = run(state, { type: 'history', messages: [history(2, 2, { role: 'assistant', content: 'stale', status: 'streaming', reply_to: 1 })] })
    expect(ai(state, 2).content).toBe('final')
  })
})

describe('chat state: optimistic sends', () => {
  it('confirms a pending message when its user_message arrives', () => {
    let state = run(createChatState(), { type: 'outbox/add', entry: createOutboxEntry('c-1', 'hello', 1) })
    expect(state.outbox).toHaveLength(1)
    state = apply(state, userMessage(10, 10, 'hello', { client_msg_id: 'c-1' }))
    expect(state.outbox).toHaveLength(0)
    expect(keys(state)).toEqual(['u:10'])
  })

  it('confirms a resend whose original was already shown (server dedupe)', () => {
    let state = apply(createChatState(), userMessage(10, 10, 'hello', { client_msg_id: 'c-1' }))
    state = run(state, { type: 'outbox/add', entry: createOutboxEntry('c-1', 'hello', 1) })
    state = apply(state, userMessage(10, 10, 'hello', { client_msg_id: 'c-1' }))
    expect(state.outbox).toHaveLength(0)
    expect(keys(state)).toEqual(['u:10'])
  })

  it('marks a refused message failed, then pending again on resend, and discards it', () => {
    let state = run(createChatState(),
      { type: 'outbox/add', entry: createOutboxEntry('c-1', 'hello', 1) },
      { type: 'outbox/failed', clientMsgId: 'c-1', failure: { code: 'ERR_RATE_LIMITED', message: 'Slow down', retryAt: 5000 } })
    expect(state.outbox[0]).toMatchObject({ state: 'failed', failure: { code: 'ERR_RATE_LIMITED', retryAt: 5000 } })
    state = run(state, { type: 'outbox/retry', clientMsgId: 'c-1' })
    expect(state.outbox[0]).toMatchObject({ state: 'pending', failure: null })
    state = run(state, { type: 'outbox/discard', clientMsgId: 'c-1' })
    expect(state.outbox).toHaveLength(0)
  })

  it('adds the same client_msg_id only once', () => {
    const entry = createOutboxEntry('c-1', 'hello', 1)
    const state = run(createChatState(), { type: 'outbox/add', entry }, { type: 'outbox/add', entry })
    expect(state.outbox).toHaveLength(1)
  })
})
