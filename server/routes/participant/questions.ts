/**
 * `GET /api/questions`: what a participant's page needs after a reload to show each question's
 * state (the frames before its history window are not replayed): status, votes and its own votes.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { ErrorResponse, ParticipantQuestionsResponse, type ParticipantQuestion } from '../../protocol/index.js'
import { requireParticipant } from '../../plugins/auth.js'

const participantQuestionRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { gate } = app.services

  app.get('/api/questions', { preHandler: requireParticipant, schema: { response: { 200: ParticipantQuestionsResponse, '4xx': ErrorResponse } } }, async (request) => {
    const mine = new Set(gate.votedBy(request.participant!.id))
    return {
      questions: gate.list().map(q => {
        const item: ParticipantQuestion = { message_id: q.messageId, status: q.state.status, votes: q.votes, my_vote: mine.has(q.messageId) }
        const s = q.state
        if (s.status === 'rejected' && s.reason !== null) item.reason = s.reason
        if (s.status === 'approved' && s.isEdited) { item.edited = true; item.content = s.content }
        if (s.status === 'merged') item.merged_into = s.mergedInto
        return item
      }),
      waiting_count: gate.waitingCount()
    }
  })
}
export default participantQuestionRoutes
