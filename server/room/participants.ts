/**
 * Participant identity: name and emoji rules, tokens (only their SHA-256 is stored) and the
 * token → participant cache that every request and socket upgrade goes through.
 */
import { createHash, randomBytes } from 'node:crypto'
import type { ChatStore, ParticipantRecord } from '../ports.js'
import { Errors } from '../errors.js'
import { codePointLength, hasControlCharacters, MAX_USERNAME_CODE_POINTS } from '../protocol/index.js'

const DEFAULT_EMOJI = ['🦊', '🐼', '🐨', '🦉', '🐙', '🦄', '🐢', '🐝', '🐬', '🦁', '🐧', '🌻'] as const
const RESERVED = new Set(['ai', 'host', 'admin', 'system', 'mindweb', 'moderator', 'assistant'])
const EMOJI = /^\p{RGI_Emoji}$/v
// Cyrillic and Greek letters that look like the Latin ones in the reserved names ("Ноѕт", "АІ").
const LOOKALIKES: Record<string, string> = {
  а: 'a',
  в: 'b',
  е: 'e',
  з: '3',
  і: 'i',
  ӏ: 'i',
  ј: 'j',
  к: 'k',
  м: 'm',
  н: 'h',
  о: 'o',
  р: 'p',
  с: 'c',
  ѕ: 's',
  т: 't',
  у: 'y',
  х: 'x',
  α: 'a',
  β: 'b',
  ε: 'e',
  η: 'h',
  ι: 'i',
  κ: 'k',
  μ: 'm',
  ν: 'v',
  ο: 'o',
  ρ: 'p',
  τ: 't',
  υ: 'y',
  χ: 'x'
}

export interface Participants {
  /** Joins; `requestedName` is the name as asked when the host added a suffix to keep names unique in this session. */
  join (input: { username: string, emoji?: string | undefined, address?: string }): { participant: ParticipantRecord, token: string, requestedName: string | null }
  /** The participant a bearer token belongs to, or null. */
  authenticate (token: string | undefined | null): ParticipantRecord | null
  get (id: number): ParticipantRecord | null
  list (): ParticipantRecord[]
  /** Kick or ban: the token is refused from this moment (the cache forgets it too). False when unknown. */
  remove (id: number): boolean
}

/** SHA-256 of a token, hex. */
export function hashToken (token: string): string {
  return createHash('sha256').update(token).digest('hex')
}

/** Validates and normalises a display name (NFC, trimmed, 1–32 code points, no control characters, not reserved). */
export function normalizeUsername (raw: string): string {
  const name = raw.normalize('NFC').trim()
  if (hasControlCharacters(name)) throw Errors.nameControl()
  const length = codePointLength(name)
  if (length < 1) throw Errors.nameEmpty()
  if (length > MAX_USERNAME_CODE_POINTS) throw Errors.nameTooLong(MAX_USERNAME_CODE_POINTS)
  if (name.replace(/[\s\p{Cf}\p{M}\p{Default_Ignorable_Code_Point}]/gu, '') === '') throw Errors.nameInvisible()
  // The comparison key folds width, case, accents, invisible characters and look-alike letters.
  const key = [...name.normalize('NFKD').toLowerCase().replace(/[\s\p{P}\p{S}\p{Cf}\p{M}\p{Default_Ignorable_Code_Point}]/gu, '')]
    .map(ch => LOOKALIKES[ch] ?? ch).join('')
  if (RESERVED.has(key)) throw Errors.nameReserved(name)
  return name
}

/** Validates an emoji (one RGI emoji), or picks a friendly default. */
export function normalizeEmoji (raw: string | undefined, seed: number): string {
  if (raw === undefined || raw.trim() === '') return DEFAULT_EMOJI[seed % DEFAULT_EMOJI.length]!
  const emoji = raw.normalize('NFC').trim()
  if (!EMOJI.test(emoji)) throw Errors.emojiInvalid()
  return emoji
}

/** Creates the participant service over the store. */
export function createParticipants (store: ChatStore): Participants {
  const byHash = new Map<string, ParticipantRecord>()
  // the cache's reverse index: removing a participant must drop every cached token of theirs
  const hashesOf = new Map<number, Set<string>>()

  function remember (hash: string, p: ParticipantRecord): void {
    byHash.set(hash, p)
    let set = hashesOf.get(p.id)
    if (set === undefined) { set = new Set(); hashesOf.set(p.id, set) }
    set.add(hash)
  }

  function uniqueName (name: string): string {
    if (!store.isUsernameTaken(name)) return name
    const chars = [...name]
    for (let n = 2; n < 10_000; n++) {
      const suffix = ` ${n}`
      const base = chars.slice(0, MAX_USERNAME_CODE_POINTS - suffix.length).join('').trimEnd()
      const candidate = base + suffix
      if (!store.isUsernameTaken(candidate)) return candidate
    }
    throw Errors.nameTaken()
  }

  return {
    join (input) {
      const requested = normalizeUsername(input.username)
      const name = uniqueName(requested)
      const emoji = normalizeEmoji(input.emoji, Math.floor(Math.random() * 1000))
      const token = randomBytes(32).toString('base64url')
      const tokenHash = hashToken(token)
      const participant = store.createParticipant({ username: name, emoji, tokenHash, at: Date.now() })
      if (input.address !== undefined) store.touchParticipant(participant.id, input.address, participant.createdAt)
      remember(tokenHash, participant)
      return { participant, token, requestedName: name === requested ? null : requested }
    },
    authenticate (token) {
      if (typeof token !== 'string' || token.length < 16 || token.length > 128) return null
      const hash = hashToken(token)
      const cached = byHash.get(hash)
      if (cached !== undefined) return cached
      const found = store.findParticipantByTokenHash(hash)
      if (found !== null) remember(hash, found)
      return found
    },
    get: (id) => store.getParticipant(id),
    list: () => store.listParticipants(),
    remove (id) {
      for (const hash of hashesOf.get(id) ?? []) byHash.delete(hash)
      hashesOf.delete(id)
      return store.removeParticipant(id, Date.now())
    }
  }
}
