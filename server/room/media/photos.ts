/**
 * Photos in the room: the host's rule (off, "the teacher sees them first", on; kept in the room's
 * settings), an upload (charged to the participant's photo budget, re-encoded by the image codec,
 * written to the data folder under a random id with its thumbnail), the check that a chat names
 * only its sender's own photos not yet posted, the bytes for the AI, and erasure.
 */
import { randomBytes } from 'node:crypto'
import type { ChatStore, ImageCodec, MessageFileRef, PhotoFiles, PhotoStore, StoredPhoto, AiUpload } from '../../ports.js'
import type { FileUploadResponse, MessageFile, PhotosMode } from '../../protocol/index.js'
import { MAX_FILES_PER_MESSAGE, MAX_UPLOAD_BYTES, PhotosMode as Modes } from '../../protocol/index.js'
import { Errors } from '../../errors.js'
import type { Limits } from '../../limits/index.js'

export interface Photos {
  mode (): PhotosMode
  /** Sets the rule; false when it was that already. */
  setMode (mode: PhotosMode): boolean
  /** Throws ERR_PHOTOS_OFF when photos are off. */
  admitUpload (userId: number, address: string | null): void
  /** Stores one upload for its author; throws ERR_FILE_TYPE (not an image by content). */
  store (userId: number, data: Buffer): Promise<FileUploadResponse>
  /**
   * The photos a chat names: at most MAX_FILES_PER_MESSAGE, each the sender's own, not posted yet,
   * each once (else ERR_VALIDATION); ERR_PHOTOS_OFF when photos are off.
   */
  resolve (authorId: number, ids: readonly string[]): MessageFileRef[]
  /** A posted message carries them now. */
  attach (ids: readonly string[], messageId: number): void
  /** The bytes of a photo or its thumbnail, with their type (null: no such photo). */
  read (id: string, variant: 'full' | 'thumb'): Promise<{ data: Buffer, mimeType: string } | null>
  /** The file a photo is kept in (in `photos/` of the data folder) and its type (null: no such photo). */
  file (id: string): { fileName: string, mimeType: string } | null
  /** A photo's size (null: no such photo). */
  size (id: string): { width: number, height: number } | null
  /** A photo as the AI service is given it. */
  forAi (id: string): Promise<AiUpload | null>
  /** Deletes every photo of a participant, files and rows; returns how many. */
  forgetUser (userId: number): Promise<number>
  /** Deletes photos older than `before` that no message carries (retention); returns how many. */
  forgetUnattachedBefore (before: number): Promise<number>
}

const MODE_KEY = 'room_photos'
/** A classroom's default: photos are welcome, but the teacher sees each one before the room does. */
export const DEFAULT_PHOTOS_MODE: PhotosMode = 'check'
const MODES = Object.values(Modes) as string[]

/** Where a photo and its thumbnail are served (the id is random: the URLs are unguessable). */
export function photoUrls (id: string): { url: string, thumb_url: string } {
  return { url: `/api/files/${id}`, thumb_url: `/api/files/${id}/thumb` }
}

/** A message's photo as frames carry it. */
export function messageFile (ref: MessageFileRef): MessageFile {
  return { file_id: ref.id, ...photoUrls(ref.id), width: ref.width, height: ref.height }
}

export function createPhotos (o: { store: ChatStore, photos: PhotoStore, files: PhotoFiles, images: ImageCodec, limits: Limits }): Photos {
  const saved = o.store.getSetting(MODE_KEY)
  let mode: PhotosMode = saved !== null && MODES.includes(saved) ? saved as PhotosMode : DEFAULT_PHOTOS_MODE

  const extension = (mimeType: string): string => mimeType === 'image/webp' ? 'webp' : 'jpg'
  const fullName = (p: Pick<StoredPhoto, 'id' | 'mimeType'>): string => `${p.id}.${extension(p.mimeType)}`
  const thumbName = (p: Pick<StoredPhoto, 'id' | 'thumbMimeType'>): string => `${p.id}_thumb.${extension(p.thumbMimeType)}`

  return {
    mode: () => mode,
    setMode (next) {
      if (next === mode) return false
      mode = next
      o.store.setSetting(MODE_KEY, next === DEFAULT_PHOTOS_MODE ? null : next)
      return true
    },
    admitUpload (userId, address) {
      if (mode === 'off') throw Errors.photosOff()
      o.limits.admitPhoto(userId, address)
    },
    async store (userId, data) {
      if (data.length > MAX_UPLOAD_BYTES) throw Errors.fileTooLarge(MAX_UPLOAD_BYTES / 1024 / 1024)
      const { full, thumb } = await o.images.reencode(data)
      const photo: StoredPhoto = {
        id: randomBytes(16).toString('base64url'),
        userId,
        mimeType: full.mimeType,
        thumbMimeType: thumb.mimeType,
        width: full.width,
        height: full.height,
        bytes: full.data.length,
        createdAt: Date.now(),
        messageId: null
      }
      await o.files.write(fullName(photo), full.data)
      await o.files.write(thumbName(photo), thumb.data)
      o.photos.add(photo)
      return { file_id: photo.id, ...photoUrls(photo.id), width: photo.width, height: photo.height, bytes: photo.bytes, mime_type: photo.mimeType }
    },
    resolve (authorId, ids) {
      if (ids.length === 0) return []
      if (mode === 'off') throw Errors.photosOff()
      if (ids.length > MAX_FILES_PER_MESSAGE) throw Errors.tooManyFiles(MAX_FILES_PER_MESSAGE)
      const seen = new Set<string>()
      return ids.map(id => {
        const p = o.photos.get(id)
        if (p === null || p.userId !== authorId || p.messageId !== null || seen.has(id)) throw Errors.fileNotYours(id)
        seen.add(id)
        return { id: p.id, width: p.width, height: p.height }
      })
    },
    attach (ids, messageId) {
      if (ids.length > 0) o.photos.attach(ids, messageId)
    },
    async read (id, variant) {
      const p = o.photos.get(id)
      if (p === null) return null
      const data = await o.files.read(variant === 'full' ? fullName(p) : thumbName(p))
      return data === null ? null : { data, mimeType: variant === 'full' ? p.mimeType : p.thumbMimeType }
    },
    file (id) {
      const p = o.photos.get(id)
      return p === null ? null : { fileName: `photos/${fullName(p)}`, mimeType: p.mimeType }
    },
    size (id) {
      const p = o.photos.get(id)
      return p === null ? null : { width: p.width, height: p.height }
    },
    async forAi (id) {
      const p = o.photos.get(id)
      if (p === null) return null
      const data = await o.files.read(fullName(p))
      return data === null ? null : { data, mimeType: p.mimeType, name: fullName(p) }
    },
    forgetUser: async (userId) => await forget(o.photos.ofUser(userId)),
    forgetUnattachedBefore: async (before) => await forget(o.photos.unattachedBefore(before))
  }

  async function forget (photos: StoredPhoto[]): Promise<number> {
    for (const p of photos) {
      await o.files.remove(fullName(p))
      await o.files.remove(thumbName(p))
    }
    o.photos.remove(photos.map(p => p.id))
    return photos.length
  }
}
