/**
 * One error shape for every failure: `{ error: { code, message } }`. Expected errors (<500 and
 * validation) pass their message through; anything else is logged and answered generically.
 */
import { STATUS_CODES } from 'node:http'
import type { Socket } from 'node:net'
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { AppError, errorBody, ErrorCode, ErrorStatus } from '../errors.js'
import { SECURITY_HEADER_LINES, setSecurityHeaders } from './security-headers.js'

const FASTIFY_CODES: Record<string, string> = {
  FST_ERR_CTP_INVALID_JSON_BODY: ErrorCode.badJson,
  FST_ERR_CTP_EMPTY_JSON_BODY: ErrorCode.badJson,
  FST_ERR_CTP_BODY_TOO_LARGE: ErrorCode.frameTooLarge,
  FST_ERR_CTP_INVALID_MEDIA_TYPE: ErrorCode.badRequest,
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: ErrorCode.badRequest
}

/** Registers the error and not-found handlers on the root instance. */
export function registerErrorHandlers (app: FastifyInstance): void {
  app.setErrorHandler((err: FastifyError | AppError, request, reply) => {
    if (err instanceof AppError) {
      if (err.statusCode >= 500) request.log.error({ err }, err.message)
      if (err.retryAfterMs !== undefined) reply.header('retry-after', Math.max(1, Math.ceil(err.retryAfterMs / 1000)))
      return reply.code(err.statusCode).send(errorBody(err.code, err.message))
    }
    if (err.validation !== undefined || err.code === 'FST_ERR_VALIDATION') {
      const where = err.validationContext ?? 'request'
      return reply.code(400).send(errorBody(ErrorCode.validation, `Invalid ${where}: ${err.message}`))
    }
    const status = err.statusCode ?? 500
    if (status < 500) {
      const code = FASTIFY_CODES[err.code] ?? (status === 413 ? ErrorCode.frameTooLarge : status === 404 ? ErrorCode.notFound : ErrorCode.badRequest)
      return reply.code(status).send(errorBody(code, err.message))
    }
    request.log.error({ err }, 'unexpected error')
    return reply.code(500).send(errorBody(ErrorCode.internal, 'Something went wrong on the host.'))
  })
  app.setNotFoundHandler((request, reply) => {
    return reply.code(404).send(errorBody(ErrorCode.notFound, `No such endpoint: ${request.method} ${request.url.split('?')[0]}`))
  })
}

/**
 * Fastify `frameworkErrors`: what the router refuses before any route or hook runs (a URL that is
 * not valid percent-encoding, a parameter over maxParamLength) gets our error shape, not Fastify's.
 * @see https://fastify.dev/docs/latest/Reference/Server/#frameworkerrors
 */
export function handleFrameworkError (err: FastifyError, request: FastifyRequest, reply: FastifyReply): void {
  const isServerError = (err.statusCode ?? 400) >= 500
  if (isServerError) request.log.error({ err }, 'unexpected router error')
  // Each code answers its catalogue status (Fastify's own is 414 for a long parameter): an id
  // longer than any id names nothing, so it is "not found".
  const [code, message] = err.code === 'FST_ERR_BAD_URL'
    ? [ErrorCode.badRequest, 'The address is not a valid URL (broken %-encoding).']
    : err.code === 'FST_ERR_MAX_PARAM_LENGTH'
      ? [ErrorCode.notFound, 'A part of the address is too long: nothing has a name that long.']
      : isServerError ? [ErrorCode.internal, 'Something went wrong on the host.'] : [ErrorCode.badRequest, 'The request could not be routed.']
  // No hook runs before the router: the security headers are set here.
  setSecurityHeaders(reply.raw)
  reply.code(ErrorStatus[code]).send(errorBody(code, message))
}

/**
 * Fastify `clientErrorHandler`: requests the HTTP parser refuses (headers or URL too large, bad
 * framing, timeouts) get our error shape too, like Fastify's default otherwise.
 * @see https://fastify.dev/docs/latest/Reference/Server/#clienterrorhandler
 */
export function handleClientError (this: FastifyInstance, err: NodeJS.ErrnoException, socket: Socket): void {
  if (err.code === 'ECONNRESET' || socket.destroyed) return
  const status = err.code === 'ERR_HTTP_REQUEST_TIMEOUT' ? 408 : err.code === 'HPE_HEADER_OVERFLOW' ? 431 : 400
  const message = status === 408 ? 'The request took too long.' : status === 431 ? 'The request headers (or its URL) are too large.' : 'The request could not be parsed.'
  const body = JSON.stringify(errorBody(status === 431 ? ErrorCode.frameTooLarge : ErrorCode.badRequest, message))
  this.log.trace({ err: err.message }, 'client error')
  if (socket.writable) {
    socket.write(`HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\nContent-Length: ${Buffer.byteLength(body)}\r\nContent-Type: application/json; charset=utf-8\r\n${SECURITY_HEADER_LINES}Connection: close\r\n\r\n${body}`)
  }
  socket.destroy(err)
}
