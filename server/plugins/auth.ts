/**
 * Identity comes from the bearer token, always. `requireParticipant` is the preHandler of every
 * participant route; `isLoopback` guards the admin scope together with the admin token.
 */
import { timingSafeEqual } from 'node:crypto'
import type { FastifyReply, FastifyRequest } from 'fastify'
import { Errors } from '../errors.js'

/** The bearer token of a request (Authorization header), or null. */
export function bearerToken (request: FastifyRequest): string | null {
  const header = request.headers.authorization
  if (typeof header !== 'string') return null
  const m = /^Bearer\s+(\S+)\s*$/i.exec(header)
  return m?.[1] ?? null
}

/** preHandler: 401 unless the bearer token names a participant. */
export async function requireParticipant (request: FastifyRequest, _reply: FastifyReply): Promise<void> {
  const participant = request.server.services.participants.authenticate(bearerToken(request))
  if (participant === null) throw Errors.participantUnauthorized()
  request.participant = participant
  // A page using the room over HTTP is present too: recorded now and then, which also moves one
  // of an older session into this one (a socket does the same when it connects).
  const { participants, store, feed } = request.server.services
  if (participants.noteActive(participant.id)) {
    try { store.touchParticipant(participant.id, request.ip, Date.now()) } catch (err) { request.log.warn({ err: (err as Error).message }, 'could not record when a participant was seen') }
    feed.participantChanged(participant.id)
  }
}

/**
 * onRequest hook of the admin API and the admin socket: from the host computer (loopback, the socket's
 * real address, never X-Forwarded-For) and with the admin token (`Authorization: Bearer`, or `?token=`
 * for the socket, which browsers cannot give headers). 403 first: a LAN device learns nothing more.
 */
export async function requireAdmin (request: FastifyRequest): Promise<void> {
  if (!isLoopback(request.socket.remoteAddress)) throw Errors.adminForbidden()
  // `?token=` only on a socket upgrade: URLs end up in histories and logs, headers do not.
  const query = request.headers.upgrade?.toLowerCase() === 'websocket' ? request.query as { token?: unknown } | undefined : undefined
  const token = bearerToken(request) ?? request.headers['x-admin-token'] ?? query?.token
  if (typeof token !== 'string' || !safeEqual(token, request.server.services.config.adminToken)) throw Errors.adminUnauthorized()
}

/** Whether the request comes from the host computer with the admin token (the console, the projector). */
export function isHostRequest (request: FastifyRequest): boolean {
  const token = bearerToken(request)
  return isLoopback(request.socket.remoteAddress) && token !== null && safeEqual(token, request.server.services.config.adminToken)
}

/** preHandler of what both a participant's page and the host's pages read: the admin token, or a participant's. */
export async function requireParticipantOrHost (request: FastifyRequest, reply: FastifyReply): Promise<void> {
  if (isHostRequest(request)) return
  await requireParticipant(request, reply)
}

/** onRequest hook of /metrics: from the host computer, or anywhere with the admin token. */
export async function requireMetricsAccess (request: FastifyRequest): Promise<void> {
  if (isLoopback(request.socket.remoteAddress) && isLoopback(request.ip)) return
  const token = bearerToken(request)
  if (token === null || !safeEqual(token, request.server.services.config.adminToken)) throw Errors.metricsUnauthorized()
}

/** True for 127.0.0.0/8 and ::1 (also IPv4-mapped). */
export function isLoopback (address: string | undefined): boolean {
  if (address === undefined) return false
  const a = address.startsWith('::ffff:') ? address.slice(7) : address
  return a === '::1' || a.startsWith('127.')
}

/** Constant-time string comparison for secrets. */
export function safeEqual (a: string, b: string): boolean {
  const x = Buffer.from(a)
  const y = Buffer.from(b)
  return x.length === y.length && timingSafeEqual(x, y)
}
