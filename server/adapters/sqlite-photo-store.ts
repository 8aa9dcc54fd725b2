/**
 * PhotoStore on better-sqlite3: the `photos` table of the room's database (who uploaded which
 * photo, and which message carries it). The files themselves live beside the database
 * (disk-photo-files.ts). It shares the chat store's connection and does not own it.
 */
import type { Database } from 'better-sqlite3'
import type { PhotoStore, StoredPhoto } from '../ports.js'
import { guard } from './sqlite-database.js'

interface PhotoRow {
  id: string
  user_id: number
  mime_type: string
  thumb_mime_type: string
  width: number
  height: number
  bytes: number
  created_at: number
  message_id: number | null
}

/** A PhotoStore over an open, migrated database (the caller closes it). */
export function createSqlitePhotoStore (db: Database): PhotoStore {
  const sql = {
    insert: db.prepare<StoredPhoto>(`INSERT INTO photos (id, user_id, mime_type, thumb_mime_type, width, height, bytes, created_at, message_id)
      VALUES (@id, @userId, @mimeType, @thumbMimeType, @width, @height, @bytes, @createdAt, @messageId)`),
    get: db.prepare<[string], PhotoRow>('SELECT * FROM photos WHERE id = ?'),
    attach: db.prepare<[number, string]>('UPDATE photos SET message_id = ? WHERE id = ?'),
    ofUser: db.prepare<[number], PhotoRow>('SELECT * FROM photos WHERE user_id = ? ORDER BY created_at'),
    unattached: db.prepare<[number], PhotoRow>('SELECT * FROM photos WHERE message_id IS NULL AND created_at < ? ORDER BY created_at'),
    remove: db.prepare<[string]>('DELETE FROM photos WHERE id = ?')
  }
  const attach = db.transaction((ids: readonly string[], messageId: number) => { for (const id of ids) sql.attach.run(messageId, id) })
  const remove = db.transaction((ids: readonly string[]) => { for (const id of ids) sql.remove.run(id) })

  return {
    add: guard((photo: StoredPhoto) => { sql.insert.run(photo) }),
    get: guard((id: string) => { const row = sql.get.get(id); return row === undefined ? null : toPhoto(row) }),
    attach: guard((ids: readonly string[], messageId: number) => { attach(ids, messageId) }),
    ofUser: guard((userId: number) => sql.ofUser.all(userId).map(toPhoto)),
    unattachedBefore: guard((before: number) => sql.unattached.all(before).map(toPhoto)),
    remove: guard((ids: readonly string[]) => { remove(ids) })
  }
}

function toPhoto (row: PhotoRow): StoredPhoto {
  return {
    id: row.id,
    userId: row.user_id,
    mimeType: row.mime_type,
    thumbMimeType: row.thumb_mime_type,
    width: row.width,
    height: row.height,
    bytes: row.bytes,
    createdAt: row.created_at,
    messageId: row.message_id
  }
}
