/**
 * The host in the conversation: posting as "Host" (it asks the AI by the room's rules), hiding and
 * showing any message, and the console's history (hidden messages keep their text).
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import {
  AdminMessagesResponse, ErrorResponse, HideResponse, HostMessageBody, HostMessageResponse, IdParams, MessagesQuery
} from '../../protocol/index.js'
import { Errors } from '../../errors.js'
import { HOST_AUTHOR } from '../../room/safety/moderation.js'
import { toHistoryMessage, withReactions } from '../participant/messages.js'

const messageRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { room, moderation, feed, store, config, ai, reactions } = app.services

  app.post('/api/admin/messages', { schema: { body: HostMessageBody, response: { 200: HostMessageResponse, '4xx': ErrorResponse, '5xx': ErrorResponse } } }, async (request) => {
    const result = room.post(HOST_AUTHOR, { content: request.body.content, clientMsgId: null })
    feed.audit('message.post', result.message.id, { asks_ai: result.message.asksAi })
    return { id: result.message.id, seq: result.message.seq, reply_id: result.reply?.id ?? null }
  })

  for (const [action, isHidden] of [['hide', true], ['unhide', false]] as const) {
    app.post(`/api/admin/messages/:id/${action}`, { schema: { params: IdParams, response: { 200: HideResponse, '4xx': ErrorResponse } } }, async (request) => {
      const done = moderation.setHidden(request.params.id, isHidden)
      if (done === null) throw Errors.messageNotFound(request.params.id)
      // An answer hidden while it streams is stopped too: its next words would reach everyone.
      if (isHidden && done.message.role === 'assistant' && done.message.status === 'streaming') {
        try { ai.stop(done.message.id, 'host') } catch {}
      }
      return { id: done.message.id, seq: done.seq, hidden: isHidden }
    })
  }

  app.get('/api/admin/messages', { schema: { querystring: MessagesQuery, response: { 200: AdminMessagesResponse, '4xx': ErrorResponse } } }, async (request) => {
    const limit = Math.min(request.query.limit ?? 100, config.historyLimitMax)
    const since = request.query.since
    const rows = since === undefined ? store.latestMessages(limit) : store.messagesSince(since, limit)
    const messages = rows.map(m => toHistoryMessage(m, 'admin', ai.isUnderReview))
    withReactions(messages, reactions, null)
    return { messages }
  })
}
export default messageRoutes
