/** The join form's checks, mirroring the host's username rules (PROTOCOL.md "Participants"). */
import {
  codePointLength, hasControlCharacters, MAX_USERNAME_CODE_POINTS, RESERVED_NAMES
} from '../../server/protocol/index.js'
import type { Messages } from './i18n/index.js'

/** The name as the host will store it, and what is wrong with it (null when fine). */
export function checkUsername (raw: string, t: Messages): { name: string, problem: string | null } {
  const name = raw.normalize('NFC').trim()
  if (name.length === 0) return { name, problem: t.join.nameEmpty }
  if (hasControlCharacters(name)) return { name, problem: t.join.nameControl }
  if (codePointLength(name) > MAX_USERNAME_CODE_POINTS) return { name, problem: t.join.nameTooLong(MAX_USERNAME_CODE_POINTS) }
  if ((RESERVED_NAMES as readonly string[]).includes(name.toLowerCase())) return { name, problem: t.join.nameReserved(name) }
  return { name, problem: null }
}

/** A PIN is 4–8 digits. */
export function checkPin (raw: string, t: Messages): string | null {
  return /^[0-9]{4,8}$/.test(raw.trim()) ? null : t.join.pinInvalid
}
