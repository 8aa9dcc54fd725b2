/**
 * `GET /api/polls`: this session's polls as a participant's page needs them after a reload (the
 * frames before its history window are not replayed), with their own answer as `mine`.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { ErrorResponse, ParticipantPollsResponse, type ParticipantPoll } from '../../protocol/index.js'
import { requireParticipant } from '../../plugins/auth.js'

const participantPollRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { polls } = app.services

  app.get('/api/polls', { preHandler: requireParticipant, schema: { response: { 200: ParticipantPollsResponse, '4xx': ErrorResponse } } }, async (request) => {
    const mine = polls.answersOf(request.participant!.id)
    return {
      polls: polls.list().map(p => {
        const tally = polls.tally(p.id)
        const own = mine.get(p.id)
        const item: ParticipantPoll = {
          poll_id: p.id,
          status: p.status,
          kind: p.kind,
          question: p.question,
          options: p.options,
          show_results: p.showResults,
          // the same rule as the frames (room/frames.ts pollUpdateFrame)
          counts: p.showResults || p.status === 'closed' ? tally.counts : null,
          total: tally.total,
          mine: own === undefined ? null : own.choice !== null ? { choice: own.choice } : { text: own.text ?? '' }
        }
        return item
      })
    }
  })
}
export default participantPollRoutes
