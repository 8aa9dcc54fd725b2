/**
 * `GET /api/broadcast/ws`: the room over WebSocket. The role is decided at upgrade time
 * (preValidation: token → 401, foreign Origin → 403). Handlers never throw: every bad frame gets an
 * `error` frame and the connection (and the room) keeps working.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'
import { AppError, errorBody, Errors } from '../../errors.js'
import { dispatchClientFrame } from './client-frames.js'
import { createConnection } from '../../room/engine/hub.js'
import { onRefusedFrame, refuseForeignOrigin } from './socket-guards.js'

const Query = Type.Object({
  token: Type.Optional(Type.String({ maxLength: 256 })),
  since: Type.Optional(Type.Integer({ minimum: 0 }))
})

/** Sockets that hold a connection slot (a keep-alive socket could ask twice). */
const reserved = new WeakSet<object>()

const roomSocketRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { participants, room, hub, limits, hostNames, feed, store } = app.services
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
      dispatchClientFrame(app.services, data as Buffer, isBinary, { participant, address: request.ip, origin: conn, send: (frame) => { hub.sendTo(conn, frame) }, sendError }, request.log)
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

export default roomSocketRoutes
