/** Joining the room and listing who is in it (PROTOCOL.md "Participants"). */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { ErrorResponse, JoinBody, JoinResponse, UsersResponse } from '../../protocol/index.js'
import { Errors } from '../../errors.js'
import { requireParticipant, safeEqual } from '../../plugins/auth.js'

const usersRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { participants, room, hub, settings, limits, moderation, feed } = app.services

  app.post('/api/users/join', {
    // Join flood and PIN guessing: every attempt counts, per client address.
    config: { rateLimit: limits.joinRoute },
    schema: { body: JoinBody, response: { 200: JoinResponse, '4xx': ErrorResponse } }
  }, async (request) => {
    // the PIN now: the host may set or remove it while the room runs (live settings)
    const required = settings.pin()
    if (required !== null) {
      const pin = request.body.pin
      if (pin === undefined || pin === '') throw Errors.pinRequired()
      if (!safeEqual(pin, required)) throw Errors.pinWrong()
    }
    // A banned device, a locked room (403), or a room at its connection cap (503) is told here.
    moderation.admitJoin(request.ip)
    const full = app.services.limits.roomFull()
    if (full !== null) throw full
    const { participant, token, requestedName } = participants.join({ username: request.body.username, emoji: request.body.emoji, address: request.ip })
    request.log.info({ userId: participant.id }, 'participant joined')
    feed.participantChanged(participant.id)
    return {
      user_id: participant.id,
      token,
      username: participant.username,
      emoji: participant.emoji,
      room: room.info(),
      // the host added a suffix: the page tells the person their name in this room
      ...(requestedName !== null ? { requested_username: requestedName, renamed: true } : {})
    }
  })

  app.get('/api/users', {
    preHandler: requireParticipant,
    schema: { response: { 200: UsersResponse, '4xx': ErrorResponse } }
  }, async (request) => {
    // This session's people (a name is held only within its session; removed ones are gone).
    const people = app.services.store.participantDetails('session').filter(p => p.removedAt === null)
    // An anonymous room shows a participant only themselves, and how many are here.
    const readerId = request.participant!.id
    const isAnonymous = app.services.moderation.hidesNames()
    const users = (isAnonymous ? people.filter(p => p.id === readerId) : people)
      .map(p => ({ user_id: p.id, username: p.username, emoji: p.emoji, online: hub.isOnline(p.id) }))
    return isAnonymous ? { users, anonymous: true, online_count: hub.onlineCount() } : { users }
  })
}
export default usersRoutes
