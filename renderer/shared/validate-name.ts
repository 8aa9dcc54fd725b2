/**
 * The join form's checks, mirroring the host's username rules (PROTOCOL.md "Participants",
 * server/room/participants.ts) in the same order. Only the host knows the room, so only it refuses
 * a look-alike of someone's name.
 */
import {
  codePointLength, hasControlCharacters, hasInvisibleCharacters, isBlankName, isReservedName, MAX_USERNAME_CODE_POINTS
} from '../../server/protocol/index.js'
import type { Messages } from './i18n/index.js'

/** The name as the host will store it, and what is wrong with it (null when fine). */
export function checkUsername (raw: string, t: Messages): { name: string, problem: string | null } {
  const name = raw.normalize('NFC').trim()
  if (name.length === 0) return { name, problem: t.join.nameEmpty }
  if (hasControlCharacters(name)) return { name, problem: t.join.nameControl }
  if (codePointLength(name) > MAX_USERNAME_CODE_POINTS) return { name, problem: t.join.nameTooLong(MAX_USERNAME_CODE_POINTS) }
  if (isBlankName(name)) return { name, problem: t.join.nameInvisible }
  if (isReservedName(name)) return { name, problem: t.join.nameReserved(name) }
  if (hasInvisibleCharacters(name)) return { name, problem: t.join.nameInvisible }
  return { name, problem: null }
}

/** A PIN is 4–8 digits. */
export function checkPin (raw: string, t: Messages): string | null {
  return /^[0-9]{4,8}$/.test(raw.trim()) ? null : t.join.pinInvalid
}
