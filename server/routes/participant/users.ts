/** Joining the room and listing who is in it (PROTOCOL.md "Participants"). */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { ErrorResponse, JoinBody, JoinResponse, UsersResponse } from '../../protocol/index.js'
import { AppError, ErrorCode } from '../../errors.js'
import { requireParticipant, safeEqual } from '../../plugins/auth.js'

const usersRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { participants, room, hub, config, limits } = app.services

  app.post('/api/users/join', {
    // Join flood and PIN guessing: every attempt counts, per client address.
    config: { rateLimit: limits.joinRoute },
    schema: { body: JoinBody, response: { 200: JoinResponse, '4xx': ErrorResponse } }
  }, async (request) => {
    if (config.pin !== null) {
      const pin = request.body.pin
      if (pin === undefined || pin === '') throw new AppError(ErrorCode.pinRequired, 401, 'This room needs a PIN. Ask the host for it.')
      if (!safeEqual(pin, config.pin)) throw new AppError(ErrorCode.pinWrong, 403, 'That PIN is not right. Ask the host for it.')
    }
    // A newcomer to a room at its connection cap learns it here, not from a socket that will not open.
    const full = app.services.limits.roomFull()
    if (full !== null) throw full
    const { participant, token } = participants.join({ username: request.body.username, emoji: request.body.emoji })
    request.log.info({ userId: participant.id }, 'participant joined')
    return { user_id: participant.id, token, username: participant.username, emoji: participant.emoji, room: room.info() }
  })

  app.get('/api/users', {
    preHandler: requireParticipant,
    schema: { response: { 200: UsersResponse, '4xx': ErrorResponse } }
  }, async () => {
    const users = participants.list().map(p => ({ user_id: p.id, username: p.username, emoji: p.emoji, online: hub.isOnline(p.id) }))
    return { users }
  })
}
export default usersRoutes
