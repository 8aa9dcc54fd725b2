/**
 * Persisted frames built from what the store holds: the one definition used both for live frames
 * and for replays (since=), so a client that was away sees exactly what the others saw. A hidden
 * message reaches participants without its text; the host's sockets keep it (marked `hidden`).
 */
import type { QuestionStep, RoomEvent, StoredMessage } from '../ports.js'
import { questionFrame } from './gate/gate-service.js'
import type { AiMessageEndFrame, AiMessageErrorFrame, PersistedFrame, UserMessageFrame } from '../protocol/index.js'
import { ErrorCode } from '../errors.js'

/** Who a frame is built for: a participant (hidden text removed) or the host's console. */
export type Audience = 'participant' | 'admin'

/** The persisted frame for an event, as a client that was away would have seen it (null: an event another service builds). */
export function persistedFrame (event: RoomEvent, m: StoredMessage | null, forUserId: number | null, audience: Audience = 'participant'): PersistedFrame | null {
  if (event.type === 'room_cleared' || m === null) {
    return { type: 'room_cleared', seq: event.seq, session_id: Number(event.data?.session_id ?? 0) }
  }
  switch (event.type) {
    case 'user_message':
      return userMessageFrame(m, event.seq, forUserId, audience)
    case 'ai_message_start':
      return { type: 'ai_message_start', id: m.id, seq: event.seq, reply_to: m.replyTo ?? 0, timestamp: event.at, queue_position: 0 }
    case 'ai_message_end':
    case 'ai_message_error':
      return replyEndFrame(m, event, audience)
    case 'message_hidden':
      return { type: 'message_hidden', id: m.id, seq: event.seq }
    case 'message_unhidden': {
      // The frame that shows the message again, as it is now (its creating frame or its end).
      const message = m.role === 'user'
        ? userMessageFrame(m, m.seq, forUserId, audience)
        : replyEndFrame(m, { seq: m.seq, type: m.status === 'failed' || m.status === 'interrupted' ? 'ai_message_error' : 'ai_message_end', messageId: m.id, at: m.endedAt ?? m.createdAt }, audience)
      return { type: 'message_unhidden', id: m.id, seq: event.seq, message }
    }
    case 'question_update':
      return event.data == null ? null : questionFrame(event, event.data as unknown as QuestionStep, forUserId)
    default:
      // Events of other services (the teacher's gate) are built by their owners.
      return null
  }
}

/** A user message frame; hidden ones carry no text for participants. */
export function userMessageFrame (m: StoredMessage, seq: number, forUserId: number | null, audience: Audience = 'participant'): UserMessageFrame {
  const isHidden = m.hiddenAt !== null
  const frame: UserMessageFrame = {
    type: 'user_message',
    id: m.id,
    seq,
    content: isHidden && audience === 'participant' ? '' : m.content,
    from_user: m.username,
    from_user_id: m.userId ?? 0,
    emoji: m.emoji,
    timestamp: m.createdAt
  }
  if (m.asksAi) frame.asks_ai = true
  if (m.userId === null) frame.is_host = true
  if (isHidden) frame.hidden = true
  if (forUserId !== null && m.userId === forUserId && m.clientMsgId !== null) frame.client_msg_id = m.clientMsgId
  return frame
}

function replyEndFrame (m: StoredMessage, event: RoomEvent, audience: Audience): AiMessageEndFrame | AiMessageErrorFrame {
  const isHidden = m.hiddenAt !== null
  const content = isHidden && audience === 'participant' ? '' : m.content
  if (event.type === 'ai_message_error' || m.status === 'failed' || m.status === 'interrupted') {
    const frame: AiMessageErrorFrame = {
      type: 'ai_message_error',
      id: m.id,
      seq: event.seq,
      reply_to: m.replyTo ?? 0,
      content,
      status: m.status === 'interrupted' ? 'interrupted' : 'failed',
      error: m.error ?? { code: ErrorCode.internal, message: 'The answer failed.' },
      timestamp: event.at
    }
    if (isHidden) frame.hidden = true
    return frame
  }
  const status = m.status === 'stopped' ? 'stopped' : 'complete'
  const frame: AiMessageEndFrame = { type: 'ai_message_end', id: m.id, seq: event.seq, reply_to: m.replyTo ?? 0, content, status, conversation_id: m.conversationId ?? '', timestamp: event.at }
  if (m.citations !== null && m.citations.length > 0 && !(isHidden && audience === 'participant')) frame.citations = m.citations
  if (isHidden) frame.hidden = true
  // review answers first: the host edited it before releasing it (recorded on its end event)
  if (event.data?.edited_by_host === true) frame.edited_by_host = true
  if (m.cutAtChars !== null && status === 'stopped' && !(isHidden && audience === 'participant')) { frame.stop_reason = 'length'; frame.cut_at_chars = m.cutAtChars }
  return frame
}
