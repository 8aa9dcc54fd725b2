/**
 * People: the list (this session, online now, or everyone), mute, kick, ban and unban, and the bans.
 * Unknown participants are 404 ERR_PARTICIPANT_NOT_FOUND; every action is audited.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import {
  AddressParams, BanResponse, BansResponse, ErrorResponse, MuteBody, Ok, ParticipantResponse, ParticipantsQuery, ParticipantsResponse, UserIdParams
} from '../../protocol/index.js'
import { Errors } from '../../errors.js'

const participantRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { feed, moderation, store, signals } = app.services

  const row = (userId: number): { participant: ReturnType<typeof feed.view> } => {
    const p = store.participantDetail(userId)
    if (p === null) throw Errors.participantNotFound(userId)
    return { participant: feed.view(p) }
  }
  const params = { params: UserIdParams, response: { 200: ParticipantResponse, '4xx': ErrorResponse } }

  app.get('/api/admin/participants', { schema: { querystring: ParticipantsQuery, response: { 200: ParticipantsResponse, '4xx': ErrorResponse } } }, async (request) => ({
    participants: feed.list(request.query.scope ?? 'session')
  }))

  app.post('/api/admin/participants/:user_id/mute', { schema: { ...params, body: MuteBody } }, async (request) => {
    moderation.mute(request.params.user_id, request.body.minutes)
    return row(request.params.user_id)
  })

  app.post('/api/admin/participants/:user_id/kick', { schema: params }, async (request) => {
    moderation.kick(request.params.user_id)
    signals.forget(request.params.user_id)
    return row(request.params.user_id)
  })

  app.post('/api/admin/participants/:user_id/ban', { schema: { ...params, response: { 200: BanResponse, '4xx': ErrorResponse } } }, async (request) => {
    const { removed } = moderation.ban(request.params.user_id)
    for (const p of removed) signals.forget(p.id)
    return { ...row(request.params.user_id), removed_count: removed.length }
  })

  app.post('/api/admin/participants/:user_id/unban', { schema: params }, async (request) => {
    moderation.unban(request.params.user_id)
    return row(request.params.user_id)
  })

  app.get('/api/admin/bans', { schema: { response: { 200: BansResponse, '4xx': ErrorResponse } } }, async () => ({
    bans: store.listBans().map(b => ({ address: b.address, user_id: b.userId, username: b.username, at: b.at }))
  }))

  app.delete('/api/admin/bans/:address', { schema: { params: AddressParams, response: { 200: Ok, '4xx': ErrorResponse } } }, async (request) => {
    if (!moderation.unbanAddress(request.params.address)) throw Errors.banNotFound(request.params.address)
    return { ok: true }
  })
}
export default participantRoutes
