/** Builders for protocol frames in tests. */
import type {
  AiMessageChunkFrame, AiMessageEndFrame, AiMessageErrorFrame, AiMessageStartFrame, HistoryMessage, UserMessageFrame
} from '../../server/protocol/index.js'

const T = 1_700_000_000_000

export function userMessage (id: number, seq: number, content = `message ${id}`, extra: Partial<UserMessageFrame> = {}): UserMessageFrame {
  return { type: 'user_message', id, seq, content, from_user: 'Curious Otter', from_user_id: 7, emoji: '🦦', timestamp: T + seq, ...extra }
}

export function aiStart (id: number, seq: number, replyTo: number, queuePosition = 0): AiMessageStartFrame {
  return { type: 'ai_message_start', id, seq, reply_to: replyTo, timestamp: T + seq, queue_position: queuePosition }
}

export function aiChunk (id: number, content: string, snapshot = false): AiMessageChunkFrame {
  return { type: 'ai_message_chunk', id, reply_to: 1, content, conversation_id: 'c1', timestamp: T, ...(snapshot ? { snapshot: true } : {}) }
}

export function aiEnd (id: number, seq: number, content: string, status: 'complete' | 'stopped' = 'complete'): AiMessageEndFrame {
  return { type: 'ai_message_end', id, seq, reply_to: 1, content, status, conversation_id: 'c1', timestamp: T + seq }
}

export function aiError (id: number, seq: number, content: string, status: 'failed' | 'interrupted' = 'failed'): AiMessageErrorFrame {
  return { type: 'ai_message_error', id, seq, reply_to: 1, content, status, error: { code: 'ERR_AI_UPSTREAM', message: 'AI service unavailable' }, timestamp: T + seq }
}

export function history (id: number, seq: number, extra: Partial<HistoryMessage> = {}): HistoryMessage {
  return {
    id, seq, role: 'user', content: `message ${id}`, status: 'complete', from_user: 'Curious Otter', from_user_id: 7, emoji: '🦦', timestamp: T + seq, ...extra
  }
}
