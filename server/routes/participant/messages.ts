/** History (PROTOCOL.md "History"). */
import type { Reactions } from '../../room/signals/reactions.js'
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { ErrorResponse, IdParams, MessagesQuery, MessagesResponse, type HistoryMessage } from '../../protocol/index.js'
import type { StoredMessage } from '../../ports.js'
import { isHostRequest, requireParticipant, requireParticipantOrHost } from '../../plugins/auth.js'
import { ANONYMOUS_AUTHOR, isAuthorHidden } from '../../room/frames.js'
import { messageFile } from '../../room/media/photos.js'

/**
 * A stored message as the history endpoint shows it. Hidden ones: participants get `status: "hidden"`
 * and no text; the host's console keeps the text and the real status, with `hidden: true`. Anonymous
 * ones: a participant other than the author gets no author (as the live frame).
 */
export function toHistoryMessage (m: StoredMessage, audience: 'participant' | 'admin' = 'participant', isUnderReview: (id: number) => boolean = () => false, readerId: number | null = null): HistoryMessage {
  const isHidden = m.hiddenAt !== null
  const isTombstone = isHidden && audience === 'participant'
  const isAnonymous = m.role === 'user' && isAuthorHidden(m, readerId, audience)
  const out: HistoryMessage = {
    id: m.id,
    seq: m.seq,
    role: m.role,
    content: isTombstone ? '' : m.content,
    status: isTombstone ? 'hidden' : m.status,
    from_user: isAnonymous ? ANONYMOUS_AUTHOR.username : m.username,
    from_user_id: isAnonymous ? ANONYMOUS_AUTHOR.userId : m.role === 'user' ? m.userId : null,
    emoji: isAnonymous ? ANONYMOUS_AUTHOR.emoji : m.emoji,
    timestamp: m.createdAt
  }
  if (m.replyTo !== null) out.reply_to = m.replyTo
  if (m.role === 'user' && m.isAnonymous) out.anonymous = true
  if (isTombstone) return out
  if (m.citations !== null && m.citations.length > 0) out.citations = m.citations
  if (m.error !== null) out.error = m.error
  if (m.cutAtChars !== null && m.status === 'stopped') { out.stop_reason = 'length'; out.cut_at_chars = m.cutAtChars }
  if (isHidden) out.hidden = true
  if (m.role === 'user' && m.asksAi) out.asks_ai = true
  if (m.role === 'user' && m.userId === null) out.is_host = true
  if (m.role === 'user' && m.files !== null && m.files.length > 0) out.files = m.files.map(messageFile)
  // What the live frames said about an answer, so that a reload shows it too.
  if (m.role === 'assistant' && m.isEditedByHost) out.edited_by_host = true
  if (m.role === 'assistant' && m.isTeachersAnswer) out.teachers_answer = true
  if (m.role === 'assistant' && audience === 'admin' && m.hostRating !== null) out.host_rating = m.hostRating
  if (m.role === 'assistant' && m.suggestions !== null && m.suggestions.length > 0) out.suggestions = m.suggestions
  if (m.role === 'assistant' && m.status === 'streaming' && isUnderReview(m.id)) out.reviewing = true
  return out
}

const messagesRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { store, config, ai, feedback, reactions, readAloud } = app.services
  app.get('/api/messages', {
    preHandler: requireParticipant,
    schema: { querystring: MessagesQuery, response: { 200: MessagesResponse, '4xx': ErrorResponse } }
  }, async (request) => {
    const limit = Math.min(request.query.limit ?? 100, config.historyLimitMax)
    const since = request.query.since
    const rows = since === undefined ? store.latestMessages(limit) : store.messagesSince(since, limit)
    const messages = rows.map(m => toHistoryMessage(m, 'participant', ai.isUnderReview, request.participant!.id))
    // Their own ratings, so that a reload shows what they pressed.
    const mine = feedback.ratingsOf(request.participant!.id, messages.filter(m => m.role === 'assistant').map(m => m.id))
    for (const m of messages) { const rating = mine.get(m.id); if (rating !== undefined) m.my_feedback = rating }
    withReactions(messages, reactions, request.participant!.id)
    return { messages }
  })

  // Read-aloud: the audio of a finished answer, fetched from the AI app once and then kept.
  app.get('/api/messages/:id/audio', {
    preHandler: requireParticipantOrHost,
    // no response schema: the body is the audio bytes (errors keep the one error shape)
    schema: { params: IdParams }
  }, async (request, reply) => {
    const audio = await readAloud.audio(request.params.id, isHostRequest(request))
    return await reply
      .header('content-type', audio.contentType)
      .header('content-length', audio.bytes.length)
      .header('cache-control', 'private, max-age=86400')
      .send(audio.bytes)
  })
}
/** Adds each message's reaction counts (and, for a participant, their own reactions). */
export function withReactions (messages: HistoryMessage[], reactions: Reactions, readerId: number | null): void {
  const ids = messages.map(m => m.id)
  const counts = reactions.countsOf(ids)
  const mine = readerId === null ? new Map<number, string[]>() : reactions.mineOf(readerId, ids)
  for (const m of messages) {
    const c = counts.get(m.id)
    if (c !== undefined) m.reactions = c
    const my = mine.get(m.id)
    if (my !== undefined) m.my_reactions = my
  }
}
export default messagesRoutes
