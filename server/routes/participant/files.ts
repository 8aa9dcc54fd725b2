/**
 * Photos (PROTOCOL.md "Photos"): `POST /api/files` takes one image as the multipart part `file`
 * and answers the stored copy (re-encoded, no EXIF/GPS, with a thumbnail); `GET /api/files/:id` and
 * `/api/files/:id/thumb` serve them. The id is random, so the URLs are unguessable; an <img> cannot
 * send a bearer token, which is why they are not behind one.
 */
import multipart from '@fastify/multipart'
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'
import { ErrorResponse, FileId, FileUploadResponse, MAX_UPLOAD_BYTES } from '../../protocol/index.js'
import { Errors } from '../../errors.js'
import { requireParticipant } from '../../plugins/auth.js'

const errors = { '4xx': ErrorResponse, '5xx': ErrorResponse }
/** A photo never changes under its id: browsers may keep it for a year, each for themselves. */
const CACHE = 'private, max-age=31536000, immutable'

const fileRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { photos } = app.services
  await app.register(multipart, { limits: { fileSize: MAX_UPLOAD_BYTES, files: 1, fields: 4, parts: 5, fieldSize: 1024 } })

  app.post('/api/files', { preHandler: requireParticipant, schema: { response: { 201: FileUploadResponse, ...errors } } }, async (request, reply) => {
    if (!request.isMultipart()) throw Errors.fileMissing()
    const author = request.participant!
    // Refused before a byte of the photo is read: photos off, or the photo budget used up.
    photos.admitUpload(author.id, request.ip)
    const part = await request.file()
    if (part === undefined || part.fieldname !== 'file') throw Errors.fileMissing()
    let data: Buffer
    try {
      data = await part.toBuffer()
    } catch (err) {
      if ((err as { code?: string }).code === 'FST_REQ_FILE_TOO_LARGE') throw Errors.fileTooLarge(MAX_UPLOAD_BYTES / 1024 / 1024)
      throw err
    }
    if (part.file.truncated) throw Errors.fileTooLarge(MAX_UPLOAD_BYTES / 1024 / 1024)
    const stored = await photos.store(author.id, data)
    request.log.info({ userId: author.id, fileId: stored.file_id, bytes: stored.bytes, from: data.length }, 'photo stored')
    return await reply.code(201).send(stored)
  })

  const Params = Type.Object({ id: FileId })
  for (const variant of ['full', 'thumb'] as const) {
    app.get(variant === 'full' ? '/api/files/:id' : '/api/files/:id/thumb', { schema: { params: Params } }, async (request, reply) => {
      const file = await photos.read(request.params.id, variant)
      if (file === null) throw Errors.notFound('No such photo (it may have been removed).')
      return await reply.header('content-type', file.mimeType).header('cache-control', CACHE).header('content-length', file.data.length).send(file.data)
    })
  }
}
export default fileRoutes
