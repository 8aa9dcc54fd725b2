/**
 * The host's word list and what it held: `GET/PUT /api/admin/word-filter`, the starter lists
 * (`GET /api/admin/word-filter/starter/:lang`), and `GET /api/admin/held` with release and discard.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'
import { ErrorResponse, MessageFile } from '../../protocol/index.js'
import { AppError, Errors } from '../../errors.js'
import { MAX_FILTER_WORDS, STARTER_LISTS, starterList, type StarterList, type WordFilterSettings } from '../../room/safety/word-filter.js'
import type { HeldMessage } from '../../room/safety/held-messages.js'
import { heldFiles } from '../../room/frames.js'

const FilterBody = Type.Object({
  enabled: Type.Optional(Type.Boolean()),
  action: Type.Optional(Type.String({ maxLength: 16 })),
  words: Type.Optional(Type.Array(Type.String({ maxLength: 200 }), { maxItems: MAX_FILTER_WORDS }))
}, { additionalProperties: false })
const FilterResponse = Type.Object({ enabled: Type.Boolean(), action: Type.String(), words: Type.Array(Type.String()), starter_lists: Type.Array(Type.String()) })
const HeldItem = Type.Object({ id: Type.Integer(), user_id: Type.Integer(), username: Type.String(), content: Type.String(), asks_ai: Type.Boolean(), matched: Type.String(), at: Type.Number(), files: Type.Optional(Type.Array(MessageFile)) })
const IdParams = Type.Object({ id: Type.Integer({ minimum: 1 }) })
const errors = { '4xx': ErrorResponse, '5xx': ErrorResponse }

const wordFilterRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { heldMessages, room, store, feed, photos } = app.services
  const view = (s: WordFilterSettings): { enabled: boolean, action: string, words: string[], starter_lists: string[] } =>
    ({ enabled: s.isEnabled, action: s.action, words: s.words, starter_lists: [...STARTER_LISTS] })

  app.get('/api/admin/word-filter', { schema: { response: { 200: FilterResponse, ...errors } } }, async () => view(heldMessages.settings()))

  app.put('/api/admin/word-filter', { schema: { body: FilterBody, response: { 200: FilterResponse, ...errors } } }, async (request) => {
    const b = request.body
    const next = heldMessages.update({
      ...(b.enabled !== undefined ? { isEnabled: b.enabled } : {}),
      ...(b.action !== undefined ? { action: b.action } : {}),
      ...(b.words !== undefined ? { words: b.words } : {})
    })
    feed.audit('word_filter.update', null, { enabled: next.isEnabled, action: next.action, words: next.words.length })
    return view(next)
  })

  app.get('/api/admin/word-filter/starter/:lang', {
    schema: { params: Type.Object({ lang: Type.String({ maxLength: 16 }) }), response: { 200: Type.Object({ words: Type.Array(Type.String()) }), ...errors } }
  }, async (request) => {
    const lang = request.params.lang
    if (!(STARTER_LISTS as readonly string[]).includes(lang)) throw Errors.notFound(`No starter list "${lang}"; there are: ${STARTER_LISTS.join(', ')}.`)
    return { words: starterList(lang as StarterList) }
  })

  app.get('/api/admin/held', { schema: { response: { 200: Type.Object({ held: Type.Array(HeldItem) }), ...errors } } }, async () => ({
    held: heldMessages.list().map(h => toItem(h, photos.size))
  }))

  app.post('/api/admin/held/:id/release', { schema: { params: IdParams, response: { 200: Type.Object({ message_id: Type.Integer() }), ...errors } } }, async (request) => {
    const held = heldMessages.take(request.params.id)
    if (held === null) throw notHeld(request.params.id)
    const author = store.getParticipant(held.userId)
    if (author === null) throw Errors.heldAuthorGone()
    const result = room.post(author, { content: held.content, clientMsgId: held.clientMsgId, askAi: held.askAi, isReleasedByHost: true, files: held.files })
    feed.audit('held.release', result.message.id, { from_user: held.username, matched: held.matched })
    return { message_id: result.message.id }
  })

  app.post('/api/admin/held/:id/discard', { schema: { params: IdParams, response: { 200: Type.Object({ ok: Type.Boolean() }), ...errors } } }, async (request) => {
    const held = heldMessages.take(request.params.id)
    if (held === null) throw notHeld(request.params.id)
    feed.audit('held.discard', held.id, { from_user: held.username, matched: held.matched })
    return { ok: true }
  })
}

function notHeld (id: number): AppError {
  return Errors.notFound(`No held message ${id}: it was released or discarded already.`)
}

function toItem (h: HeldMessage, size: (id: string) => { width: number, height: number } | null): { id: number, user_id: number, username: string, content: string, asks_ai: boolean, matched: string, at: number, files?: MessageFile[] } {
  const item = { id: h.id, user_id: h.userId, username: h.username, content: h.content, asks_ai: h.askAi, matched: h.matched, at: h.at }
  return h.files.length === 0 ? item : { ...item, files: heldFiles(h, size) }
}

export default wordFilterRoutes
