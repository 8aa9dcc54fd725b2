/**
 * `GET /api/admin/ws?token=<admin token>[&since=<seq>]`: the host console's live feed. It gets every
 * frame participants get (same seq, same resume rules; hidden messages keep their text) plus the
 * admin-only frames. Loopback and the admin token are checked at upgrade time (the same hook as the
 * admin API), then the `Origin` by the room socket's rule. The console may send `ping` and `stop`;
 * anything else gets an `error` frame, and an oversized frame `ERR_FRAME_TOO_LARGE` before 1009.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'
import { Errors, toAppError, type AppError } from '../../errors.js'
import { createConnection } from '../../room/engine/hub.js'
import { HOST_AUTHOR } from '../../room/safety/moderation.js'
import { requireAdmin } from '../../plugins/auth.js'
import { onRefusedFrame, refuseForeignOrigin } from './socket-guards.js'

const Query = Type.Object({
  token: Type.Optional(Type.String({ maxLength: 256 })),
  since: Type.Optional(Type.Integer({ minimum: 0 }))
})

const adminSocketRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { room, hub, ai, hostNames, config } = app.services

  app.get('/api/admin/ws', {
    websocket: true,
    schema: { querystring: Query },
    onRequest: requireAdmin,
    preValidation: refuseForeignOrigin(hostNames)
  }, (ws, request) => {
    const conn = createConnection({ ws, role: 'admin', userId: 0, address: request.ip })
    const sendError = (e: AppError): void => { hub.sendTo(conn, { type: 'error', code: e.code, message: e.message }) }
    ws.on('message', (data) => {
      conn.isAlive = true
      try {
        let frame: unknown
        try { frame = JSON.parse((data as Buffer).toString('utf8')) } catch { throw Errors.badJsonFrame() }
        const type = (frame as { type?: unknown } | null)?.type
        if (type === 'ping') { hub.sendTo(conn, { type: 'pong' }); return }
        if (type === 'stop') {
          const id = (frame as { id?: unknown }).id
          if (typeof id !== 'number' || !Number.isInteger(id) || id < 1) throw Errors.validation('A stop frame needs the id of the answer (a positive integer).')
          ai.stop(id, 'host')
          return
        }
        throw Errors.unknownFrame(type, 'the console socket takes ping and stop (everything else is the admin API)')
      } catch (err) {
        sendError(toAppError(err))
      }
    })
    onRefusedFrame(ws, config.wsMaxPayload, { sendError, close: (code, reason) => { hub.closeAfterFlush(conn, code, reason) } })
    ws.on('pong', () => { conn.isAlive = true })
    ws.on('error', (err) => { request.log.debug({ err: err.message }, 'admin socket error') })
    ws.on('close', () => { room.disconnect(conn) })
    room.connect(conn, HOST_AUTHOR, (request.query as { since?: number }).since ?? null)
  })
}
export default adminSocketRoutes
