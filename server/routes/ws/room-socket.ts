/**
 * `GET /api/broadcast/ws`: the room over WebSocket. The role is decided at upgrade time
 * (preValidation: token → 401, foreign Origin → 403). Handlers never throw: every bad frame gets an
 * `error` frame and the connection (and the room) keeps working.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'
import { Compile } from 'typebox/compile'
import { ChatFrame, CLIENT_FRAME_TYPES, FeedbackFrame, PollAnswerFrame, ReactFrame, SignalFrame, StopFrame, VoteFrame, type ClientFrame } from '../../protocol/index.js'
import { AppError, errorBody, Errors, toAppError } from '../../errors.js'
import { createConnection } from '../../room/engine/hub.js'
import { onRefusedFrame, refuseForeignOrigin } from './socket-guards.js'

/** One compiled check per client frame type (ping carries nothing to check). */
const CHECKS = {
  chat: Compile(ChatFrame),
  stop: Compile(StopFrame),
  vote: Compile(VoteFrame),
  feedback: Compile(FeedbackFrame),
  poll_answer: Compile(PollAnswerFrame),
  signal: Compile(SignalFrame),
  react: Compile(ReactFrame)
} as const
const Query = Type.Object({
  token: Type.Optional(Type.String({ maxLength: 256 })),
  since: Type.Optional(Type.Integer({ minimum: 0 }))
})

/** Sockets that hold a connection slot (a keep-alive socket could ask twice). */
const reserved = new WeakSet<object>()

const roomSocketRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { participants, room, hub, ai, limits, gate: questions, hostNames, feed, store, feedback, polls, signals, reactions } = app.services
  /** The console's People list: where and when a participant was last seen. */
  const touch = (userId: number, address: string | null): void => {
    try { store.touchParticipant(userId, address, Date.now()) } catch (err) { app.log.warn({ err: (err as Error).message }, 'could not record when a participant was seen') }
    feed.participantChanged(userId)
  }

  app.get('/api/broadcast/ws', {
    websocket: true,
    schema: { querystring: Query },
    preValidation: [refuseForeignOrigin(hostNames), async (request, reply) => {
      const token = (request.query as { token?: string }).token
      const participant = participants.authenticate(token)
      if (participant === null) {
        const refused = Errors.participantUnauthorized()
        return await reply.code(refused.statusCode).send(errorBody(refused.code, refused.message))
      }
      request.participant = participant
      // Connection caps: the slot is held until the TCP socket closes (upgraded or not).
      const socket = request.raw.socket
      if (request.headers.upgrade?.toLowerCase() === 'websocket' && !reserved.has(socket)) {
        const refusal = limits.reserveConnection(request.ip)
        if (refusal !== null) {
          return await reply.code(refusal.statusCode).header('retry-after', Math.ceil((refusal.retryAfterMs ?? 0) / 1000)).send(errorBody(refusal.code, refusal.message))
        }
        reserved.add(socket)
        const address = request.ip
        socket.once('close', () => { limits.releaseConnection(address) })
      }
    }]
  }, (ws, request) => {
    const participant = request.participant!
    const conn = createConnection({ ws, role: 'participant', userId: participant.id, address: request.ip })
    const sendError = (err: AppError, clientMsgId?: string): void => {
      hub.sendTo(conn, {
        type: 'error',
        code: err.code,
        message: err.message,
        ...(err.retryAfterMs !== undefined ? { retry_after_ms: err.retryAfterMs } : {}),
        ...(clientMsgId !== undefined ? { client_msg_id: clientMsgId } : {})
      })
    }

    const gate = limits.frameGate()
    let noticeAt = 0
    ws.on('message', (data, isBinary) => {
      conn.isAlive = true
      const waitMs = gate()
      if (waitMs > 0) {
        // A flood: the frame is dropped unread; one notice per second at most.
        const now = Date.now()
        if (now - noticeAt >= 1000) {
          noticeAt = now
          sendError(Errors.framesTooFast().with({ retryAfterMs: waitMs }))
        }
        return
      }
      let refusedChat: string | undefined
      try {
        const frame = parseFrame(data as Buffer, isBinary)
        switch (frame.type) {
          case 'ping':
            hub.sendTo(conn, { type: 'pong' })
            return
          case 'stop':
            ai.stop(frame.id, participant.id)
            return
          case 'vote':
            questions.vote(participant.id, frame.message_id, frame.up)
            return
          case 'feedback':
            feedback.rate(participant.id, frame.message_id, frame.rating)
            return
          case 'poll_answer':
            polls.answer(participant.id, request.ip, { pollId: frame.poll_id, choice: frame.choice, text: frame.text })
            return
          case 'signal':
            signals.set({ id: participant.id, username: participant.username }, frame.kind, frame.on)
            return
          case 'react':
            reactions.react(participant.id, frame.message_id, frame.emoji, frame.on)
            return
          case 'chat': {
            refusedChat = frame.client_msg_id
            const result = room.post(participant, { content: frame.content, clientMsgId: frame.client_msg_id ?? null, askAi: frame.ask_ai === true, origin: conn, ...(frame.files !== undefined ? { files: frame.files } : {}) })
            if (result.aiRefusal !== null) sendError(result.aiRefusal)
          }
        }
      } catch (err) {
        const e = toAppError(err)
        if (e.statusCode >= 500) request.log.error({ err }, 'could not handle a frame')
        sendError(e, refusedChat)
      }
    })
    onRefusedFrame(ws, app.services.config.wsMaxPayload, { sendError, close: (code, reason) => { hub.closeAfterFlush(conn, code, reason) } })
    ws.on('pong', () => { conn.isAlive = true })
    ws.on('error', (err) => { request.log.debug({ err: err.message }, 'socket error') })
    ws.on('close', (code) => {
      room.disconnect(conn)
      touch(participant.id, null)
      request.log.debug({ userId: participant.id, code }, 'socket closed')
    })

    const since = (request.query as { since?: number }).since
    room.connect(conn, participant, since ?? null)
    touch(participant.id, request.ip)
    feed.onlineChanged()
    request.log.debug({ userId: participant.id, since }, 'socket connected')
  })
}

/** Parses and validates one client frame; throws AppError with a precise code. */
function parseFrame (data: Buffer, isBinary: boolean): ClientFrame {
  if (isBinary) throw Errors.badFrame()
  let value: unknown
  try {
    value = JSON.parse(data.toString('utf8'))
  } catch {
    throw Errors.badJsonFrame()
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw Errors.frameNotObject()
  }
  const type = (value as { type?: unknown }).type
  if (typeof type !== 'string' || !(CLIENT_FRAME_TYPES as readonly string[]).includes(type)) {
    throw Errors.unknownFrame(type, `expected one of ${CLIENT_FRAME_TYPES.join(', ')}`)
  }
  if (type === 'ping') return { type: 'ping' }
  const check = CHECKS[type as keyof typeof CHECKS]
  if (!check.Check(value)) {
    const first = [...check.Errors(value)][0]
    throw Errors.validation(`Invalid ${type} frame: ${first?.instancePath ?? ''} ${first?.message ?? ''}`.trim())
  }
  return value as ClientFrame
}

export default roomSocketRoutes
