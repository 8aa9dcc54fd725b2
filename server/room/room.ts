/**
 * The room: posting chat (idempotent per client_msg_id), deciding when the AI is asked, and
 * bringing a connection up to date (hello, replay since=, snapshots of streaming replies).
 */
import type { FastifyBaseLogger } from 'fastify'
import type { ChatStore, ParticipantRecord, StoredMessage } from '../ports.js'
import {
  type AiMode, type Room as RoomRef, type HelloFrame, type ServerFrame,
  codePointLength, mentionsAi, normalizeChatText, MAX_MESSAGE_CODE_POINTS, PROTOCOL_VERSION
} from '../protocol/index.js'
import { AppError, Errors } from '../errors.js'
import type { ConnectionRole, Hub, HubConnection } from './engine/hub.js'
import type { AiOrchestrator, ReplyListener } from './ai/ai-orchestrator.js'
import type { Limits } from '../limits/index.js'
import { persistedFrame, roomUpdateFrame, userMessageFrame } from './frames.js'
import { HOST_ID, type Moderation } from './safety/moderation.js'
import type { Gate } from './gate/gate-service.js'
import type { HeldMessages } from './safety/held-messages.js'
import type { Signals } from './signals/signals.js'
import type { Photos } from './media/photos.js'

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
  /** The host renamed the room (live settings); `room_update` tells everyone. */
  rename (name: string): void
  aiMode (): AiMode
  setAiMode (mode: AiMode): void
  /** Posts a chat message; `forceAi` asks the AI whatever the mode (POST /api/chat/stream). */
  post (author: ParticipantRecord, input: { content: string, clientMsgId: string | null, forceAi?: boolean, askAi?: boolean, listener?: ReplyListener, origin?: HubConnection, address?: string, isReleasedByHost?: boolean, files?: readonly string[] }): PostResult
  /** Registers a live connection: hello, replay of seq > since, snapshots, then live frames (admin sockets: hidden text kept). */
  connect (conn: HubConnection, participant: ParticipantRecord, since: number | null): void
  /** The frames `connect` sends before live ones (a cluster writer sends them to an edge's socket). */
  connectFrames (participant: ParticipantRecord, since: number | null, role: ConnectionRole): Iterable<ServerFrame>
  disconnect (conn: HubConnection): void
}

const REPLAY_PAGE = 1000
const AI_MODE_KEY = 'ai_mode'

/** Validates chat text: NFC, control characters removed, 1–4,000 code points (0 with photos). */
export function validateChatContent (raw: string, hasPhotos = false): string {
  const text = normalizeChatText(raw)
  if (text.trim() === '' && !hasPhotos) throw Errors.messageEmpty()
  const length = codePointLength(text)
  if (length > MAX_MESSAGE_CODE_POINTS) {
    throw Errors.messageTooLong(MAX_MESSAGE_CODE_POINTS, length)
  }
  return text
}

/** Creates the room service. */
export function createRoom (o: { store: ChatStore, hub: Hub, ai: AiOrchestrator, limits?: Limits, logger: FastifyBaseLogger, room: RoomRef, defaultAiMode: AiMode, gate?: Gate, moderation?: Moderation, filter?: HeldMessages, signals?: Signals, photos?: Photos }): Room {
  let mode: AiMode = (o.store.getSetting(AI_MODE_KEY) as AiMode | null) ?? o.defaultAiMode

  function asksAi (text: string, isAsked: boolean): boolean {
    switch (mode) {
      case 'all': return true
      case 'mention':
      case 'approve': return isAsked || mentionsAi(text)
      default: return false
    }
  }

  /** What a new connection gets before live frames: hello, the replay of seq > since, snapshots. */
  function * connectFrames (participant: ParticipantRecord, since: number | null, role: ConnectionRole): Generator<ServerFrame> {
    const hello: HelloFrame = {
      type: 'hello',
      protocol: PROTOCOL_VERSION,
      room: o.room,
      user_id: participant.id,
      last_seq: o.store.lastSeq(),
      online_count: o.hub.onlineCount(),
      ai_mode: mode,
      ai_available: o.ai.isAvailable,
      server_time: Date.now(),
      ...(o.moderation?.state() ?? {}),
      ...(o.photos !== undefined ? { photos: o.photos.mode() } : {}),
      session_id: o.store.currentSession().id
    }
    const mutedUntil = role === 'participant' ? o.moderation?.mutedUntil(participant.id) ?? null : null
    if (mutedUntil !== null) hello.muted_until = mutedUntil
    if (role === 'participant' && o.signals !== undefined) {
      const mine = o.signals.of(participant.id)
      if (mine.feeling !== null || mine.hand) hello.my_signals = mine
    }
    yield hello
    if (since !== null) {
      let cursor = since
      for (;;) {
        const page = o.store.eventsSince(cursor, REPLAY_PAGE)
        for (const { event, message } of page) {
          const frame = persistedFrame(event, message, participant.id, role)
          if (frame !== null) yield frame
        }
        if (page.length < REPLAY_PAGE) break
        cursor = page[page.length - 1]!.event.seq
      }
    }
    for (const s of o.ai.snapshots()) {
      yield { type: 'ai_message_chunk', id: s.id, reply_to: s.replyTo, content: s.text, conversation_id: s.conversationId, timestamp: Date.now(), snapshot: true }
    }
  }

  return {
    info: () => o.room,
    rename (name) {
      o.room.name = name
      o.hub.broadcast(roomUpdateFrame({ mode, isAvailable: o.ai.isAvailable }, { room: o.room }))
    },
    aiMode: () => mode,
    setAiMode (next) {
      o.store.setSetting(AI_MODE_KEY, next)
      mode = next
      o.hub.broadcast(roomUpdateFrame({ mode: next, isAvailable: o.ai.isAvailable }))
    },
    post (author, input) {
      const content = validateChatContent(input.content, (input.files?.length ?? 0) > 0)
      // A resend of a posted message is answered with the original: no limit, no AI refusal applies.
      const earlier = input.clientMsgId === null ? null : o.store.findUserMessage(author.id, input.clientMsgId)
      if (earlier !== null) {
        if (input.origin !== undefined) o.hub.sendTo(input.origin, userMessageFrame(earlier, earlier.seq, author.id))
        return { message: earlier, isDuplicate: true, reply: null, aiRefusal: null }
      }
      // Photos: the sender's own uploads, not posted yet (throws ERR_VALIDATION / ERR_PHOTOS_OFF).
      const fileIds = input.files ?? []
      const files = fileIds.length === 0 ? [] : o.photos?.resolve(author.id, fileIds) ?? []
      // Mute and slow mode (throw ERR_MUTED / ERR_SLOW_MODE); the host is never limited.
      if (input.isReleasedByHost !== true) {
        o.moderation?.admitPost(author)
        if (author.id !== HOST_ID) {
          const held = { content, clientMsgId: input.clientMsgId, askAi: input.askAi === true, files: files.map(f => f.id) }
          // The host's word list: refused or held here, before anything is stored or sent to the AI.
          o.filter?.check(author, held)
          // "The teacher sees them first": a photo waits for the host like a held message.
          if (files.length > 0 && o.photos?.mode() === 'check') o.filter?.holdForHost(author, held)
        }
      }
      const wantsAi = input.forceAi === true || asksAi(content, input.askAi === true)
      // approve mode: the question waits for the host (room/gate/gate.ts); the AI budget is charged when it is sent.
      // The host's own questions need no approval.
      const isGated = wantsAi && mode === 'approve' && o.gate !== undefined && author.id !== HOST_ID
      if (isGated && input.forceAi === true) throw Errors.gatedAskAi()
      const refusal = !wantsAi ? null : !o.ai.isAvailable ? o.ai.refusal(author.id) : isGated ? o.gate!.refusal(author.id) : o.ai.refusal(author.id)
      if (refusal !== null && input.forceAi === true) throw refusal
      // A per-participant AI limit refuses the whole message, so its resend counts as new.
      if (refusal !== null && refusal.statusCode === 429) throw refusal
      const willAsk = wantsAi && refusal === null
      // Rate limits (throws 429): charged before posting, given back if nothing new was posted.
      const admission = author.id === HOST_ID ? null : o.limits?.admitMessage(author.id, input.address ?? input.origin?.address ?? null, willAsk && !isGated) ?? null
      let posted
      try {
        posted = o.store.postUserMessage({
          userId: author.id,
          username: author.username,
          emoji: author.emoji,
          content,
          clientMsgId: input.clientMsgId,
          asksAi: willAsk,
          at: Date.now(),
          isAnonymous: author.id !== HOST_ID && o.moderation?.hidesNames() === true,
          files
        })
      } catch (err) {
        o.limits?.refund(admission)
        throw err
      }
      const { message, event } = posted
      if (!posted.isDuplicate) o.photos?.attach(files.map(f => f.id), message.id)
      if (posted.isDuplicate) {
        o.limits?.refund(admission)
        // The sender gets the original back; nobody else sees anything.
        const frame = userMessageFrame(message, event.seq, author.id)
        if (input.origin !== undefined) o.hub.sendTo(input.origin, frame)
        return { message, isDuplicate: true, reply: null, aiRefusal: null }
      }
      const frame = userMessageFrame(message, event.seq, null)
      // Its author gets their client_msg_id (and, in an anonymous room, their own name); the host the author.
      const own = message.clientMsgId === null && !message.isAnonymous ? undefined : { userId: author.id, frame: userMessageFrame(message, event.seq, author.id) }
      o.hub.broadcast(frame, own, message.isAnonymous ? userMessageFrame(message, event.seq, null, 'admin') : undefined)
      // slow mode counts from this post (a refused one did not start the wait)
      o.moderation?.posted(author)
      if (willAsk && isGated) o.gate!.open(message)
      const reply = willAsk && !isGated ? o.ai.ask(message, author, input.listener) : null
      return { message, isDuplicate: false, reply, aiRefusal: wantsAi ? refusal : null }
    },
    connect (conn, participant, since) {
      const isFirst = o.hub.add(conn)
      for (const frame of connectFrames(participant, since, conn.role)) o.hub.sendTo(conn, frame)
      if (isFirst) o.hub.presenceJoined({ user_id: participant.id, username: participant.username, emoji: participant.emoji })
    },
    connectFrames,
    disconnect (conn) {
      if (o.hub.remove(conn)) o.hub.presenceLeft(conn.userId)
    }
  }
}
