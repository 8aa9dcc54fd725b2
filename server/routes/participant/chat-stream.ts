/**
 * Seed-compatible `POST /api/chat/stream`: always asks the AI, answers in Dify's SSE shape, and the
 * room sees the question and the answer too. If the asker goes away, the room still gets it all.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'
import { ChatStreamBody, ErrorResponse } from '../../protocol/index.js'
import { requireParticipant } from '../../plugins/auth.js'

const chatStreamRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { room, ai } = app.services

  app.post('/api/chat/stream', {
    preHandler: requireParticipant,
    schema: { body: ChatStreamBody, response: { '4xx': ErrorResponse, '5xx': ErrorResponse } }
  }, async (request, reply) => {
    const asker = request.participant!
    const raw = reply.raw
    let messageId = 0
    let isOpen = true
    const write = (data: object): void => { if (isOpen && !raw.destroyed) raw.write(`data: ${JSON.stringify(data)}\n\n`) }
    let resolveDone!: () => void
    const done = new Promise<void>(resolve => { resolveDone = resolve })
    const result = room.post(asker, {
      content: request.body.message,
      clientMsgId: null,
      forceAi: true,
      address: request.ip,
      ...(request.body.files !== undefined ? { files: request.body.files } : {}),
      listener: (ev) => {
        if (ev.type === 'delta') write({ event: 'message', answer: ev.text, message_id: messageId, conversation_id: ev.conversationId })
        else if (ev.type === 'replace') write({ event: 'message_replace', answer: ev.text, message_id: messageId, conversation_id: ev.conversationId })
        else {
          const f = ev.frame
          if (f.type === 'ai_message_end') {
            write({ event: 'message_end', message_id: f.id, conversation_id: f.conversation_id, status: f.status, answer: f.content, metadata: { retriever_resources: f.citations ?? [] } })
          } else {
            write({ event: 'error', message_id: f.id, code: f.error.code, message: f.error.message, status: f.status, answer: f.content })
          }
          resolveDone()
        }
      }
    })
    messageId = result.reply!.id
    reply.hijack()
    raw.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache, no-transform',
      'x-accel-buffering': 'no',
      connection: 'keep-alive'
    })
    raw.on('close', () => { isOpen = false; resolveDone() })
    await done
    if (!raw.destroyed) raw.end()
  })

  app.post('/api/replies/:id/stop', {
    preHandler: requireParticipant,
    schema: { params: Type.Object({ id: Type.Integer({ minimum: 1 }) }), response: { 200: Type.Object({ ok: Type.Boolean() }), '4xx': ErrorResponse } }
  }, async (request) => {
    ai.stop(request.params.id, request.participant!.id)
    return { ok: true }
  })
}
export default chatStreamRoutes
