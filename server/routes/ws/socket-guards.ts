/**
 * What the room socket and the console socket share: the `Origin` check at upgrade time, and the
 * answer to a frame ws itself refuses (too large, not UTF-8, broken framing), so both sockets tell
 * the client the same thing before they close.
 */
import type { EventEmitter } from 'node:events'
import type { FastifyReply, FastifyRequest } from 'fastify'
import type WebSocket from 'ws'
import { errorBody, Errors, type AppError } from '../../errors.js'
import { isSameOrigin, type HostNames } from '../../plugins/host-check.js'

/**
 * preValidation of a socket route: an upgrade whose `Origin` names another site is answered 403
 * `ERR_ORIGIN_FORBIDDEN` (clients that send none, such as scripts, pass). Answered rather than
 * thrown, so the refused upgrade's request ends at once.
 */
export function refuseForeignOrigin (names: HostNames) {
  return async (request: FastifyRequest, reply: FastifyReply): Promise<void> => {
    const origin = request.headers.origin
    if (origin === undefined || isSameOrigin(origin, request.headers.host, names)) return
    const e = Errors.badOrigin()
    return await reply.code(e.statusCode).send(errorBody(e.code, e.message))
  }
}

/** How a socket answers a frame ws refused: `send` an error frame, then close with `code` after it. */
export interface RefusedFrameHandlers {
  sendError: (err: AppError) => void
  close: (code: number, reason: string) => void
}

/**
 * A frame ws refuses (too large: 1009, not UTF-8: 1007, broken framing: 1002) makes it close the
 * socket right after its parser's 'error' event: listening there, the answers to the client's
 * earlier frames and an `ERR_FRAME_TOO_LARGE` error frame are written first.
 */
export function onRefusedFrame (ws: WebSocket, maxPayload: number, handlers: RefusedFrameHandlers): void {
  receiverOf(ws).prependListener('error', (err: Error & { code?: string }) => {
    const code = closeCodeFor(err)
    if (code === 1009) handlers.sendError(Errors.frameTooLarge(maxPayload))
    handlers.close(code, code === 1009 ? 'Frame too large' : 'Invalid frame')
  })
}

/** ws's frame parser: its 'error' comes just before ws closes the socket itself. */
function receiverOf (ws: object): EventEmitter {
  return (ws as { _receiver: EventEmitter })._receiver
}

/** The close code ws uses for a frame it refuses (its error codes, ws/lib/receiver.js). */
function closeCodeFor (err: { code?: string }): number {
  switch (err.code) {
    case 'WS_ERR_UNSUPPORTED_MESSAGE_LENGTH':
    case 'WS_ERR_UNSUPPORTED_DATA_PAYLOAD_LENGTH': return 1009
    case 'WS_ERR_INVALID_UTF8': return 1007
    case 'WS_ERR_TOO_MANY_BUFFERED_PARTS': return 1008
    default: return 1002
  }
}
