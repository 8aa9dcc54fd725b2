import { test } from 'node:test'
import assert from 'node:assert/strict'
import type { StoredMessage } from '../../server/ports.js'
import { persistedFrame, userMessageFrame } from '../../server/room/frames.js'

function message (over: Partial<StoredMessage> = {}): StoredMessage {
  return {
    id: 7,
    seq: 3,
    role: 'user',
    content: 'the text',
    status: 'complete',
    userId: 2,
    username: 'Ann',
    emoji: '🦊',
    createdAt: 1000,
    endedAt: null,
    replyTo: null,
    clientMsgId: 'c1',
    asksAi: false,
    citations: null,
    error: null,
    conversationId: null,
    usage: null,
    steps: null,
    sessionId: 1,
    hiddenAt: null,
    isEditedByHost: false,
    cutAtChars: null,
    suggestions: null,
    isAnonymous: false,
    isTeachersAnswer: false,
    difyMessageId: null,
    hostRating: null,
    files: null,
    ...over
  }
}

test('a hidden message reaches participants without its text and the host with it, marked', () => {
  const hidden = message({ hiddenAt: 2000 })
  assert.deepEqual(userMessageFrame(hidden, 3, null), {
    type: 'user_message', id: 7, seq: 3, content: '', from_user: 'Ann', from_user_id: 2, emoji: '🦊', timestamp: 1000, hidden: true
  })
  assert.equal(userMessageFrame(hidden, 3, null, 'admin').content, 'the text')
  // the sender's own replay keeps its client_msg_id
  assert.equal(userMessageFrame(hidden, 3, 2).client_msg_id, 'c1')
  const reply = message({ id: 8, seq: 4, role: 'assistant', replyTo: 7, userId: 2, hiddenAt: 2000, citations: [{ position: 1, content: 'source' }], conversationId: 'conv' })
  const forParticipant = persistedFrame({ seq: 5, type: 'ai_message_end', messageId: 8, at: 3000 }, reply, null)
  assert.deepEqual(forParticipant, { type: 'ai_message_end', id: 8, seq: 5, reply_to: 7, content: '', status: 'complete', conversation_id: 'conv', timestamp: 3000, hidden: true })
  const forHost = persistedFrame({ seq: 5, type: 'ai_message_end', messageId: 8, at: 3000 }, reply, null, 'admin')
  assert.equal(forHost?.type === 'ai_message_end' && forHost.content, 'the text')
  assert.equal(forHost?.type === 'ai_message_end' && forHost.citations?.length, 1)
})

test('the host\'s posts carry is_host; console events become their frames', () => {
  assert.equal(userMessageFrame(message({ userId: null, username: 'Host' }), 3, null).is_host, true)
  assert.equal(userMessageFrame(message({ userId: null, username: 'Host' }), 3, null).from_user_id, 0)
  assert.deepEqual(persistedFrame({ seq: 9, type: 'message_hidden', messageId: 7, at: 1 }, message({ hiddenAt: 1 }), null), { type: 'message_hidden', id: 7, seq: 9 })
  assert.deepEqual(persistedFrame({ seq: 10, type: 'room_cleared', messageId: 0, at: 1, data: { session_id: 4 } }, null, null), { type: 'room_cleared', seq: 10, session_id: 4 })
  const unhidden = persistedFrame({ seq: 11, type: 'message_unhidden', messageId: 7, at: 1 }, message(), 2)
  assert.deepEqual(unhidden, {
    type: 'message_unhidden',
    id: 7,
    seq: 11,
    message: { type: 'user_message', id: 7, seq: 3, content: 'the text', from_user: 'Ann', from_user_id: 2, emoji: '🦊', timestamp: 1000, client_msg_id: 'c1' }
  })
  const failed = message({ id: 8, seq: 4, role: 'assistant', status: 'failed', error: { code: 'ERR_AI_AUTH', message: 'no' }, endedAt: 50 })
  const back = persistedFrame({ seq: 12, type: 'message_unhidden', messageId: 8, at: 1 }, failed, null)
  assert.equal(back?.type === 'message_unhidden' && back.message.type, 'ai_message_error')
})

test('a cut answer\'s end says where it was cut; hidden from participants, it says nothing', () => {
  const cut = message({ id: 8, role: 'assistant', status: 'stopped', content: 'kept', replyTo: 7, cutAtChars: 5000 })
  const event = { seq: 9, type: 'ai_message_end' as const, messageId: 8, at: 1 }
  assert.deepEqual(persistedFrame(event, cut, null), {
    type: 'ai_message_end', id: 8, seq: 9, reply_to: 7, content: 'kept', status: 'stopped', conversation_id: '', timestamp: 1, stop_reason: 'length', cut_at_chars: 5000
  })
  const hidden = persistedFrame(event, { ...cut, hiddenAt: 2 }, null)
  assert.ok(hidden?.type === 'ai_message_end' && hidden.stop_reason === undefined && hidden.content === '')
  const forHost = persistedFrame(event, { ...cut, hiddenAt: 2 }, null, 'admin')
  assert.ok(forHost?.type === 'ai_message_end' && forHost.stop_reason === 'length')
})
