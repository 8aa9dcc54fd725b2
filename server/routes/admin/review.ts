/**
 * Review answers first (the `review_answers` setting): `GET /api/admin/replies/held` lists answers
 * written and waiting for the host; `POST /api/admin/replies/:id/release {content?}` gives one to
 * the room (the host's edit when given, marked edited), `.../discard {note?}` drops it with a note.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'
import { ErrorResponse } from '../../protocol/index.js'
import { AppError, Errors } from '../../errors.js'
import { TEACH_LIMITS } from '../../room/ai/teach.js'

const IdParams = Type.Object({ id: Type.Integer({ minimum: 1 }) })
const Ok = Type.Object({ ok: Type.Boolean() })
const errors = { '4xx': ErrorResponse, '5xx': ErrorResponse }

const reviewRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { ai, store, feed, teaching } = app.services

  app.get('/api/admin/replies/held', {
    schema: { response: { 200: Type.Object({ answers: Type.Array(Type.Object({ id: Type.Integer(), reply_to: Type.Integer(), question: Type.String(), from_user: Type.String(), content: Type.String() })) }), ...errors } }
  }, async () => ({
    answers: ai.heldAnswers().map(a => {
      const q = store.getMessage(a.replyTo)
      return { id: a.id, reply_to: a.replyTo, question: q?.content ?? '', from_user: q?.username ?? '', content: a.text }
    })
  }))

  app.post('/api/admin/replies/:id/release', {
    schema: { params: IdParams, body: Type.Object({ content: Type.Optional(Type.String({ minLength: 1, maxLength: 100_000 })) }, { additionalProperties: false }), response: { 200: Ok, ...errors } }
  }, async (request) => {
    const content = request.body?.content ?? null
    if (!ai.release(request.params.id, content)) throw notHeld(request.params.id)
    feed.audit('answer.release', request.params.id, { edited: content !== null })
    return { ok: true }
  })

  // Teaching an answer: the question and the host's answer become an annotation of the AI app.
  app.post('/api/admin/replies/:id/teach', {
    schema: {
      params: IdParams,
      body: Type.Optional(Type.Object({
        question: Type.Optional(Type.String({ maxLength: TEACH_LIMITS.question * 2 })),
        answer: Type.Optional(Type.String({ maxLength: TEACH_LIMITS.answer * 2 }))
      }, { additionalProperties: false })),
      response: { 201: Type.Object({ annotation_id: Type.String() }), ...errors }
    }
  }, async (request, reply) => {
    const taught = await teaching.teach(request.params.id, request.body ?? {})
    feed.audit('reply.teach', request.params.id, { annotation_id: taught.annotationId, question: taught.question.slice(0, 200) })
    return await reply.code(201).send({ annotation_id: taught.annotationId })
  })

  // The host's own rating of an answer, passed to the AI app's feedback (null takes it back).
  app.put('/api/admin/replies/:id/rating', {
    schema: {
      params: IdParams,
      body: Type.Object({ rating: Type.Union([Type.Literal('like'), Type.Literal('dislike'), Type.Null()]) }, { additionalProperties: false }),
      response: { 200: Type.Object({ rating: Type.Union([Type.Literal('like'), Type.Literal('dislike'), Type.Null()]) }), ...errors }
    }
  }, async (request) => {
    await teaching.rate(request.params.id, request.body.rating)
    feed.audit('reply.rate', request.params.id, { rating: request.body.rating })
    return { rating: request.body.rating }
  })

  app.post('/api/admin/replies/:id/discard', {
    schema: { params: IdParams, body: Type.Object({ note: Type.Optional(Type.String({ maxLength: 500 })) }, { additionalProperties: false }), response: { 200: Ok, ...errors } }
  }, async (request) => {
    const note = request.body?.note?.trim() ?? ''
    if (!ai.discard(request.params.id, note === '' ? null : note)) throw notHeld(request.params.id)
    feed.audit('answer.discard', request.params.id, { note: note === '' ? null : note })
    return { ok: true }
  })
}

function notHeld (id: number): AppError {
  return Errors.reviewNotFound(id)
}

export default reviewRoutes
