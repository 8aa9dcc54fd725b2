/**
 * The teacher's gate over HTTP: the queue, and the host's decisions on a question (approve with an
 * optional edit, reject with an optional reason, merge into another). Rules live in room/gate/gate.ts.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import {
  ApproveBody, ErrorResponse, MergeBody, QuestionParams, QuestionResponse, QuestionsResponse, RejectBody,
  type QuestionItem
} from '../../protocol/index.js'
import type { Question } from '../../room/gate/gate.js'
import type { StoredMessage } from '../../ports.js'
import { messageFile } from '../../room/media/photos.js'

const questionRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { gate, feed, store } = app.services
  const toItem = (q: Question): QuestionItem => questionItem(q, store.getMessage(q.messageId))
  const errors = { '4xx': ErrorResponse, '5xx': ErrorResponse }

  app.get('/api/admin/questions', { schema: { response: { 200: QuestionsResponse, ...errors } } }, async () => ({
    questions: gate.list().map(toItem),
    waiting_count: gate.waitingCount()
  }))

  app.post('/api/admin/questions/:message_id/approve', {
    schema: { params: QuestionParams, body: ApproveBody, response: { 200: QuestionResponse, ...errors } }
  }, async (request) => {
    const { question, replyId } = gate.decide(request.params.message_id, { type: 'approve', content: request.body?.content ?? null })
    feed.audit('question.approve', question.messageId, { from_user: question.asker, edited: question.state.status === 'approved' && question.state.isEdited })
    return replyId === null ? { question: toItem(question) } : { question: toItem(question), reply_id: replyId }
  })

  app.post('/api/admin/questions/:message_id/reject', {
    schema: { params: QuestionParams, body: RejectBody, response: { 200: QuestionResponse, ...errors } }
  }, async (request) => {
    const { question } = gate.decide(request.params.message_id, { type: 'reject', reason: request.body?.reason ?? null })
    feed.audit('question.reject', question.messageId, { from_user: question.asker, reason: request.body?.reason ?? null })
    return { question: toItem(question) }
  })

  app.post('/api/admin/questions/:message_id/merge', {
    schema: { params: QuestionParams, body: MergeBody, response: { 200: QuestionResponse, ...errors } }
  }, async (request) => {
    const { question } = gate.decide(request.params.message_id, { type: 'merge', into: request.body.into })
    feed.audit('question.merge', question.messageId, { from_user: question.asker, into: request.body.into })
    return { question: toItem(question) }
  })
}

/** A question as the console lists it, with its message's photos. */
export function questionItem (q: Question, message: StoredMessage | null = null): QuestionItem {
  const item: QuestionItem = {
    message_id: q.messageId,
    content: q.content,
    from_user: q.asker,
    from_user_id: q.askerId,
    votes: q.votes,
    status: q.state.status,
    timestamp: q.createdAt
  }
  const s = q.state
  if (s.status === 'rejected' && s.reason !== null) item.reason = s.reason
  if (s.status === 'approved') { item.asked = s.content; if (s.isEdited) item.edited = true }
  if (s.status === 'merged') item.merged_into = s.mergedInto
  if (q.replyId !== null) item.reply_id = q.replyId
  if (q.decidedAt !== null) item.decided_at = q.decidedAt
  if (message?.files != null && message.files.length > 0 && message.hiddenAt === null) item.files = message.files.map(messageFile)
  return item
}

export default questionRoutes
