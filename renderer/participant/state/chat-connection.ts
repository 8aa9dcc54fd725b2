/**
 * One participant's room socket (PROTOCOL.md "The room over WebSocket") on the pages' one socket
 * client (resume from the last seq, backoff, ping and watchdog, wake-up probe, refusal), plus what
 * only the room needs: chats in flight, so that a refusal names the chat it refused, and votes.
 * Plain TypeScript with injectable WebSocket and timers, so it is tested without React.
 */
import type { ErrorFrame, FeedbackRating, HelloFrame, ReactionEmoji, SignalKind } from '../../../server/protocol/index.js'
import type { RoomFrame } from '../../shared/chat/frames.js'
import { createSocketClient, RefusedError, type ConnectionStatus } from '../../shared/socket/socket-client.js'
import { socketUrl, type ConnectionEnv } from '../../shared/socket/socket-env.js'

export type { ConnectionPhase, ConnectionStatus } from '../../shared/socket/socket-client.js'
export { PING_INTERVAL_MS, PROBE_TIMEOUT_MS, STALE_AFTER_MS } from '../../shared/socket/socket-client.js'
export type { ConnectionEnv, SocketLike } from '../../shared/socket/socket-env.js'

/** Thrown by `prepare` when the token is no longer valid: the connection stops for good. */
export const AuthFailedError = RefusedError

export interface ChatConnectionOptions {
  /** WebSocket URL for a resume from `since`. */
  url: (since: number) => string
  /** Runs before every attempt (first history load, auth probe after a refused upgrade). */
  prepare: (info: { failedBeforeHello: boolean }) => Promise<void>
  onFrame: (frame: RoomFrame) => void
  onStatus: (status: ConnectionStatus) => void
  onOpen: (hello: HelloFrame) => void
  /** The server refused one of our chats (e.g. rate-limited): it was not posted. */
  onChatRefused: (clientMsgId: string, error: ErrorFrame) => void
  /** An error frame not tied to a chat we sent. */
  onNotice: (error: ErrorFrame) => void
  onAuthFailed: () => void
  /** The host removed this participant (`ERR_REMOVED`, close 4001): the connection stops for good. */
  onRemoved?: (message: string | null) => void
  env?: Partial<ConnectionEnv>
}

export interface ChatConnection {
  start: () => void
  stop: () => void
  /** Sends a chat once the room is open; false when it must wait for the next connection. */
  sendChat: (clientMsgId: string, content: string, files?: readonly string[]) => boolean
  stopReply: (id: number) => boolean
  /** The teacher's gate: vote for a waiting question (`up: false` takes the vote back). */
  sendVote: (messageId: number, up: boolean) => boolean
  sendPollAnswer: (pollId: number, answer: { choice: number[] } | { text: string }) => boolean
  /** Rates an AI answer (null takes the rating back). */
  sendFeedback: (messageId: number, rating: FeedbackRating | null) => boolean
  /** "I'm lost", "got it" or a raised hand, set or taken back. */
  sendSignal: (kind: SignalKind, on: boolean) => boolean
  sendReaction: (messageId: number, emoji: ReactionEmoji, on: boolean) => boolean
  /** Records history already shown, so the next resume starts after it. */
  noteSeq: (seq: number) => void
  lastSeq: () => number
  /** The page woke up or the network came back: check the socket now, or reconnect at once. */
  nudge: () => void
}

/** `ws(s)://<this host>/api/broadcast/ws?token=…&since=…` for the page's own origin. */
export function roomSocketUrl (location: { protocol: string, host: string }, token: string, since: number): string {
  return socketUrl(location, '/api/broadcast/ws', token, since)
}

/** Creates a stopped connection; call `start()`. */
export function createChatConnection (options: ChatConnectionOptions): ChatConnection {
  /** Chats sent on this socket and not yet echoed, oldest first (error frames answer in order). */
  let inflight: string[] = []

  const client = createSocketClient<RoomFrame | ErrorFrame>({
    url: options.url,
    prepare: ({ failedBeforeHello }) => options.prepare({ failedBeforeHello }),
    onFrame (frame) {
      if (frame.type === 'error') {
        refused(frame)
        return
      }
      if (frame.type === 'user_message' && frame.client_msg_id) {
        const echoed = frame.client_msg_id
        inflight = inflight.filter(id => id !== echoed)
      }
      options.onFrame(frame)
      if (frame.type === 'hello') options.onOpen(frame)
    },
    onStatus: options.onStatus,
    onRefused: options.onAuthFailed,
    onRemoved: message => options.onRemoved?.(message),
    onSocketGone: () => { inflight = [] },
    ...(options.env !== undefined ? { env: options.env } : {})
  })

  function refused (frame: ErrorFrame): void {
    // Some hosts echo the id; otherwise the oldest unanswered chat is the one refused. An ERR_AI_*
    // refusal follows a chat that was posted (only the AI declined), so it refuses no chat.
    const echoed = (frame as { client_msg_id?: unknown }).client_msg_id
    const target = typeof echoed === 'string' ? echoed : frame.code.startsWith('ERR_AI_') ? undefined : inflight[0]
    if (target === undefined) {
      options.onNotice(frame)
      return
    }
    inflight = inflight.filter(id => id !== target)
    options.onChatRefused(target, frame)
  }

  return {
    start: client.start,
    stop: client.stop,
    sendChat (clientMsgId, content, files) {
      if (!client.send({ type: 'chat', content, client_msg_id: clientMsgId, ...(files !== undefined && files.length > 0 ? { files: [...files] } : {}) })) return false
      inflight.push(clientMsgId)
      return true
    },
    stopReply: id => client.send({ type: 'stop', id }),
    sendVote: (messageId, up) => client.send({ type: 'vote', message_id: messageId, up }),
    sendPollAnswer: (pollId, answer) => client.send({ type: 'poll_answer', poll_id: pollId, ...answer }),
    sendFeedback: (messageId, rating) => client.send({ type: 'feedback', message_id: messageId, rating }),
    sendSignal: (kind, on) => client.send({ type: 'signal', kind, on }),
    sendReaction: (messageId, emoji, on) => client.send({ type: 'react', message_id: messageId, emoji, on }),
    noteSeq: client.noteSeq,
    lastSeq: client.lastSeq,
    nudge: client.nudge
  }
}
