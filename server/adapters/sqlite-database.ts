/**
 * Opens the room's SQLite file (owner-only, WAL, migrated) and translates SQLite failures into
 * AppErrors. @see https://github.com/WiseLibs/better-sqlite3/blob/master/docs/api.md
 */
import fs from 'node:fs'
import path from 'node:path'
import BetterSqlite3 from 'better-sqlite3'
import type { Database } from 'better-sqlite3'
import { AppError, Errors } from '../errors.js'
import { applyMigrations } from './sqlite-migrations.js'

/** Opens (creating if needed) the database file and applies pending migrations. */
export function openDatabase (file: string): Database {
  const dir = path.dirname(file)
  if (!fs.existsSync(dir)) fs.mkdirSync(dir, { recursive: true, mode: 0o700 })
  // Create it ourselves so it never exists, even briefly, with wider permissions.
  fs.closeSync(fs.openSync(file, 'a', 0o600))
  fs.chmodSync(file, 0o600)

  let db: Database | undefined
  try {
    db = new BetterSqlite3(file)
    db.pragma('journal_mode = WAL')
    db.pragma('synchronous = NORMAL')
    db.pragma('foreign_keys = ON')
    db.pragma('busy_timeout = 5000')
    applyMigrations(db)
    // SQLite copies the main file's mode to these, but files left by an older run may be wider.
    for (const sibling of [`${file}-wal`, `${file}-shm`]) {
      if (fs.existsSync(sibling)) fs.chmodSync(sibling, 0o600)
    }
    return db
  } catch (err) {
    db?.close()
    throw translateSqliteError(err)
  }
}

/** Maps a better-sqlite3 failure (or anything thrown near it) to the error catalogue. */
export function translateSqliteError (err: unknown): AppError {
  if (err instanceof AppError) return err
  const code = err instanceof BetterSqlite3.SqliteError ? err.code : ''
  const message = err instanceof Error ? err.message : ''
  if (isDiskFull(code, message)) {
    return Errors.storageFull().with({ cause: err })
  }
  if (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED')) {
    return Errors.storageBusy().with({ cause: err, isRetryable: true })
  }
  if (code === 'SQLITE_CONSTRAINT_UNIQUE' && message.includes('participants.username_key')) {
    return Errors.nameTakenInStore().with({ cause: err })
  }
  // SQLITE_READONLY*, SQLITE_CORRUPT, SQLITE_CANTOPEN, other I/O errors, a closed database, ...
  return Errors.storage().with({ cause: err })
}

function isDiskFull (code: string, message: string): boolean {
  if (code === 'SQLITE_FULL') return true
  // Growing the WAL index fails with SHMSIZE when there is no space left (unixShmMap).
  if (code === 'SQLITE_IOERR_SHMSIZE') return true
  return code.startsWith('SQLITE_IOERR') && /disk is full|no space/i.test(message)
}

/** Callers only ever see AppError: every store method goes through here. */
export function guard<A extends unknown[], R> (fn: (...args: A) => R): (...args: A) => R {
  return (...args) => {
    try {
      return fn(...args)
    } catch (err) {
      throw translateSqliteError(err)
    }
  }
}
