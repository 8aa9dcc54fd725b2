/**
 * The fake's `POST /files/upload`: one multipart part `file` and a form field `user`, with Dify's
 * answers: 201 and the file's record, or 400 no_file_uploaded / too_many_files /
 * filename_not_exists_error / invalid_param, 413 file_too_large, 415 unsupported_file_type.
 * @see /work/shared/dify-api.md §5 (`POST /files/upload`) and §6.21 (limits)
 */
import { randomUUID } from 'node:crypto'
import { envelope, type ErrorReply } from './errors.js'
import { pyDumps } from './wire.js'

/** One file the fake took, as it arrived. */
export interface FakeUpload {
  id: string
  user: string
  name: string
  mimeType: string
  size: number
  bytes: Buffer
}

const IMAGE_LIMIT_BYTES = 10 * 1024 * 1024
const IMAGE_TYPES: Record<string, string> = { jpg: 'image/jpeg', jpeg: 'image/jpeg', png: 'image/png', webp: 'image/webp', gif: 'image/gif', svg: 'image/svg+xml' }
const DOCUMENT_EXTENSIONS = new Set(['txt', 'md', 'markdown', 'pdf', 'html', 'xlsx', 'xls', 'docx', 'csv'])

/** Parses the multipart body as Dify's Flask would, and keeps the file. */
export async function handleUpload (contentType: string, body: Buffer, uploads: FakeUpload[]): Promise<ErrorReply> {
  if (!/^multipart\/form-data/i.test(contentType)) return envelope(400, 'no_file_uploaded', 'Please upload your file.')
  let form: FormData
  try {
    form = await new Response(new Uint8Array(body), { headers: { 'content-type': contentType } }).formData()
  } catch {
    return envelope(400, 'no_file_uploaded', 'Please upload your file.')
  }
  const user = form.get('user')
  if (typeof user !== 'string' || user.trim() === '') return envelope(400, 'invalid_param', 'Arg user must be provided.')
  const files = form.getAll('file')
  if (files.length === 0) return envelope(400, 'no_file_uploaded', 'Please upload your file.')
  if (files.length > 1 || [...form.keys()].filter(k => k !== 'user' && k !== 'file').length > 0) return envelope(400, 'too_many_files', 'Only one file is allowed.')
  const file = files[0]
  if (typeof file === 'string' || file === undefined) return envelope(400, 'no_file_uploaded', 'Please upload your file.')
  if (file.name === '') return envelope(400, 'filename_not_exists_error', 'The specified filename does not exist.')
  const extension = file.name.includes('.') ? file.name.split('.').pop()!.toLowerCase() : ''
  const mimeType = IMAGE_TYPES[extension]
  if (mimeType === undefined) {
    return DOCUMENT_EXTENSIONS.has(extension) ? envelope(415, 'unsupported_file_type', 'File type not allowed.') : envelope(400, 'file_extension_blocked', 'File extension is blocked for security reasons.')
  }
  if (file.size > IMAGE_LIMIT_BYTES) return envelope(413, 'file_too_large', `File size exceeded. ${file.size} > 10.0 MB`)
  const upload: FakeUpload = { id: randomUUID(), user, name: file.name, mimeType, size: file.size, bytes: Buffer.from(await file.arrayBuffer()) }
  uploads.push(upload)
  const record = {
    id: upload.id,
    name: upload.name,
    size: upload.size,
    extension,
    mime_type: file.type !== '' ? file.type : mimeType,
    created_by: randomUUID(),
    created_at: Math.floor(Date.now() / 1000),
    preview_url: null,
    source_url: `/files/${upload.id}/file-preview`,
    original_url: null,
    user_id: null,
    tenant_id: randomUUID(),
    conversation_id: null,
    file_key: `upload_files/${upload.id}.${extension}`
  }
  return { status: 201, body: `${pyDumps(record)}\n`, contentType: 'application/json' }
}
