/** `GET /api/admin/feedback`: the lesson's rated answers, most "still confused" first. */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { ErrorResponse, FeedbackResponse } from '../../protocol/index.js'

const feedbackRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { feedback } = app.services
  app.get('/api/admin/feedback', { schema: { response: { 200: FeedbackResponse, '4xx': ErrorResponse } } }, async () => ({ answers: feedback.lesson() }))
}
export default feedbackRoutes
