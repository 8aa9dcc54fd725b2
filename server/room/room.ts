/**
 * The room: posting chat (idempotent per client_msg_id), deciding when the AI is asked, and
 * bringing a connection up to date (hello, replay since=, snapshots of streaming replies).
 */
import type { FastifyBaseLogger } from 'fastify'
import type { ChatStore, ParticipantRecord, StoredMessage } from '../ports.js'
import {
  type AiMode, type Room as RoomRef, type UserMessageFrame, type HelloFrame,
  codePointLength, mentionsAi, normalizeChatText, MAX_MESSAGE_CODE_POINTS, PROTOCOL_VERSION
} from '../protocol/index.js'
import { AppError, ErrorCode } from '../errors.js'
import type { Hub, HubConnection } from './hub.js'
import type { AiOrchestrator, ReplyListener } from './ai-orchestrator.js'
import type { Limits } from '../limits/index.js'
import { persistedFrame } from './frames.js'

export interface PostResult {
  message: StoredMessage
  isDuplicate: boolean
  /** the AI reply started for it, if any */
  reply: { id: number, seq: number } | null
  /** why the AI was not asked although the message asked it */
  aiRefusal: AppError | null
}

export interface Room {
  info (): RoomRef
  aiMode (): AiMode
  setAiMode (mode: AiMode): void
  /** Posts a chat message; `forceAi` asks the AI whatever the mode (POST /api/chat/stream). */
  post (author: ParticipantRecord, input: { content: string, clientMsgId: string | null, forceAi?: boolean, listener?: ReplyListener, origin?: HubConnection, address?: string }): PostResult
  /** Registers a live connection: hello, replay of seq > since, snapshots, then live frames. */
  connect (conn: HubConnection, participant: ParticipantRecord, since: number | null): void
  disconnect (conn: HubConnection): void
}

const REPLAY_PAGE = 1000
const AI_MODE_KEY = 'ai_mode'

/** Validates chat text: NFC, control characters removed, 1–4,000 code points. */
export function validateChatContent (raw: string): string {
  const text = normalizeChatText(raw)
  if (text.trim() === '') throw new AppError(ErrorCode.messageEmpty, 400, 'Messages cannot be empty.')
  const length = codePointLength(text)
  if (length > MAX_MESSAGE_CODE_POINTS) {
    throw new AppError(ErrorCode.messageTooLong, 400, `Messages can be at most ${MAX_MESSAGE_CODE_POINTS} characters long (this one has ${length}).`)
  }
  return text
}

/** Creates the room service. */
export function createRoom (o: { store: ChatStore, hub: Hub, ai: AiOrchestrator, limits?: Limits, logger: FastifyBaseLogger, room: RoomRef, defaultAiMode: AiMode }): Room {
  let mode: AiMode = (o.store.getSetting(AI_MODE_KEY) as AiMode | null) ?? o.defaultAiMode

  function asksAi (text: string): boolean {
    switch (mode) {
      case 'all': return true
      case 'mention': return mentionsAi(text)
      default: return false
    }
  }

  return {
    info: () => o.room,
    aiMode: () => mode,
    setAiMode (next) {
      o.store.setSetting(AI_MODE_KEY, next)
      mode = next
      o.hub.broadcast({ type: 'room_update', ai_mode: next, ai_available: o.ai.isAvailable })
    },
    post (author, input) {
      const content = validateChatContent(input.content)
      // A resend of a posted message is answered with the original: no limit, no AI refusal applies.
      const earlier = input.clientMsgId === null ? null : o.store.findUserMessage(author.id, input.clientMsgId)
      if (earlier !== null) {
        if (input.origin !== undefined) o.hub.sendTo(input.origin, persistedFrame({ seq: earlier.seq, type: 'user_message', messageId: earlier.id, at: earlier.createdAt }, earlier, author.id))
        return { message: earlier, isDuplicate: true, reply: null, aiRefusal: null }
      }
      const wantsAi = input.forceAi === true || asksAi(content)
      const refusal = wantsAi ? o.ai.refusal(author.id) : null
      if (refusal !== null && input.forceAi === true) throw refusal
      // A per-participant AI limit refuses the whole message, so its resend counts as new.
      if (refusal !== null && refusal.statusCode === 429) throw refusal
      const willAsk = wantsAi && refusal === null
      // Rate limits (throws 429): charged before posting, given back if nothing new was posted.
      const admission = o.limits?.admitMessage(author.id, input.address ?? input.origin?.address ?? null, willAsk) ?? null
      let posted
      try {
        posted = o.store.postUserMessage({
          userId: author.id,
          username: author.username,
          emoji: author.emoji,
          content,
          clientMsgId: input.clientMsgId,
          asksAi: willAsk,
          at: Date.now()
        })
      } catch (err) {
        o.limits?.refund(admission)
        throw err
      }
      const { message, event } = posted
      if (posted.isDuplicate) {
        o.limits?.refund(admission)
        // The sender gets the original back; nobody else sees anything.
        const frame = persistedFrame(event, message, author.id)
        if (input.origin !== undefined) o.hub.sendTo(input.origin, frame)
        return { message, isDuplicate: true, reply: null, aiRefusal: null }
      }
      const frame = persistedFrame(event, message, null)
      const own = message.clientMsgId === null ? undefined : { userId: author.id, frame: { ...frame, client_msg_id: message.clientMsgId } as UserMessageFrame }
      o.hub.broadcast(frame, own)
      const reply = willAsk ? o.ai.ask(message, author, input.listener) : null
      return { message, isDuplicate: false, reply, aiRefusal: wantsAi ? refusal : null }
    },
    connect (conn, participant, since) {
      const isFirst = o.hub.add(conn)
      const hello: HelloFrame = {
        type: 'hello',
        protocol: PROTOCOL_VERSION,
        room: o.room,
        user_id: participant.id,
        last_seq: o.store.lastSeq(),
        online_count: o.hub.onlineCount(),
        ai_mode: mode,
        ai_available: o.ai.isAvailable,
        server_time: Date.now()
      }
      o.hub.sendTo(conn, hello)
      if (since !== null) {
        let cursor = since
        for (;;) {
          const page = o.store.eventsSince(cursor, REPLAY_PAGE)
          for (const { event, message } of page) o.hub.sendTo(conn, persistedFrame(event, message, participant.id))
          if (page.length < REPLAY_PAGE) break
          cursor = page[page.length - 1]!.event.seq
        }
      }
      for (const s of o.ai.snapshots()) {
        o.hub.sendTo(conn, { type: 'ai_message_chunk', id: s.id, reply_to: s.replyTo, content: s.text, conversation_id: s.conversationId, timestamp: Date.now(), snapshot: true })
      }
      if (isFirst) o.hub.presenceJoined({ user_id: participant.id, username: participant.username, emoji: participant.emoji })
    },
    disconnect (conn) {
      if (o.hub.remove(conn)) o.hub.presenceLeft(conn.userId)
    }
  }
}
