/**
 * Identity comes from the bearer token, always. `requireParticipant` is the preHandler of every
 * participant route; `isLoopback` guards the admin scope together with the admin token.
 */
import { timingSafeEqual } from 'node:crypto'
import type { FastifyReply, FastifyRequest } from 'fastify'
import { AppError, ErrorCode } from '../errors.js'

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
  if (participant === null) throw new AppError(ErrorCode.unauthorized, 401, 'Missing or unknown token. Please join the room again.')
  request.participant = participant
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
