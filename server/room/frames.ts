/**
 * Persisted frames built from what the store holds: the one definition used both for live frames
 * and for replays (since=), so a client that was away sees exactly what the others saw.
 */
import type { RoomEvent, StoredMessage } from '../ports.js'
import type { PersistedFrame, UserMessageFrame } from '../protocol/index.js'
import { ErrorCode } from '../errors.js'

/** The persisted frame for an event, as a client that was away would have seen it. */
export function persistedFrame (event: RoomEvent, m: StoredMessage, forUserId: number | null): PersistedFrame {
  switch (event.type) {
    case 'user_message': {
      const frame: UserMessageFrame = { type: 'user_message', id: m.id, seq: event.seq, content: m.content, from_user: m.username, from_user_id: m.userId ?? 0, emoji: m.emoji, timestamp: m.createdAt }
      if (m.asksAi) frame.asks_ai = true
      if (forUserId !== null && m.userId === forUserId && m.clientMsgId !== null) frame.client_msg_id = m.clientMsgId
      return frame
    }
    case 'ai_message_start':
      return { type: 'ai_message_start', id: m.id, seq: event.seq, reply_to: m.replyTo ?? 0, timestamp: event.at, queue_position: 0 }
    case 'ai_message_end': {
      const status = m.status === 'stopped' ? 'stopped' : 'complete'
      const frame: PersistedFrame = { type: 'ai_message_end', id: m.id, seq: event.seq, reply_to: m.replyTo ?? 0, content: m.content, status, conversation_id: m.conversationId ?? '', timestamp: event.at }
      if (m.citations !== null && m.citations.length > 0) frame.citations = m.citations
      return frame
    }
    case 'ai_message_error':
      return {
        type: 'ai_message_error',
        id: m.id,
        seq: event.seq,
        reply_to: m.replyTo ?? 0,
        content: m.content,
        status: m.status === 'interrupted' ? 'interrupted' : 'failed',
        error: m.error ?? { code: ErrorCode.internal, message: 'The answer failed.' },
        timestamp: event.at
      }
  }
}
