/**
 * Participant identity: name and emoji rules, tokens (only their SHA-256 is stored) and the
 * token → participant cache that every request and socket upgrade goes through.
 */
import { createHash, randomBytes } from 'node:crypto'
import type { ChatStore, ParticipantRecord } from '../ports.js'
import { Errors } from '../errors.js'
import { codePointLength, nameSkeletons, hasControlCharacters, hasInvisibleCharacters, isBlankName, isReservedName, MAX_USERNAME_CODE_POINTS } from '../protocol/index.js'

const DEFAULT_EMOJI = ['🦊', '🐼', '🐨', '🦉', '🐙', '🦄', '🐢', '🐝', '🐬', '🦁', '🐧', '🌻'] as const
const EMOJI = /^\p{RGI_Emoji}$/v

/** Skeletons kept for the name check; past this the cache starts again (a few MB at most). */
const MAX_CACHED_SKELETONS = 50_000

export interface Participants {
  /** Joins; `requestedName` is the name as asked when the host added a suffix to keep names unique in this session. */
  join (input: { username: string, emoji?: string | undefined, address?: string }): { participant: ParticipantRecord, token: string, requestedName: string | null }
  /** The participant a bearer token belongs to, or null. */
  authenticate (token: string | undefined | null): ParticipantRecord | null
  get (id: number): ParticipantRecord | null
  list (): ParticipantRecord[]
  /** Kick or ban: the token is refused from this moment (the cache forgets it too). False when unknown. */
  remove (id: number): boolean
  /**
   * A request of this participant over HTTP (a page without a socket open). True when it is the
   * first for a while: the caller records it (last seen, and into this session if from an older one).
   */
  noteActive (id: number, now?: number): boolean
  /** Who used the room over HTTP since `at`: they are present as much as those with a socket. */
  activeSince (at: number): number[]
}

/** How often a participant's HTTP requests are recorded (last seen, and the move into this session). */
const NOTE_EVERY_MS = 30_000

/** SHA-256 of a token, hex. */
export function hashToken (token: string): string {
  return createHash('sha256').update(token).digest('hex')
}

/**
 * Validates and normalises a display name: NFC, trimmed, 1–32 code points, no control or invisible
 * characters, and not a reserved name in disguise (look-alike letters, spacing, accents: names.ts).
 */
export function normalizeUsername (raw: string): string {
  const name = raw.normalize('NFC').trim()
  if (hasControlCharacters(name)) throw Errors.nameControl()
  const length = codePointLength(name)
  if (length < 1) throw Errors.nameEmpty()
  if (length > MAX_USERNAME_CODE_POINTS) throw Errors.nameTooLong(MAX_USERNAME_CODE_POINTS)
  if (isBlankName(name)) throw Errors.nameInvisible()
  // before the invisible check: "A\u200BI" is an attempt at "AI", and the answer says so
  if (isReservedName(name)) throw Errors.nameReserved(name)
  if (hasInvisibleCharacters(name)) throw Errors.nameHasInvisible()
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
  // participant → when their HTTP requests were last recorded
  const notedAt = new Map<number, number>()

  function remember (hash: string, p: ParticipantRecord): void {
    byHash.set(hash, p)
    let set = hashesOf.get(p.id)
    if (set === undefined) { set = new Set(); hashesOf.set(p.id, set) }
    set.add(hash)
  }

  /**
   * The same name (any case) gets a suffix, as before; a look-alike of a name held in this lesson
   * ("alicе" with a Cyrillic е next to "alice") is refused: a suffix would not tell them apart.
   */
  // Each name's two skeletons, computed once: a join compares the new name with every name of the
  // session, and computing both skeletons of 10,000 names took 57 ms per join (2 ms cached).
  const skeletons = new Map<string, [string, string]>()
  function skeletonsOf (name: string): [string, string] {
    let found = skeletons.get(name)
    if (found === undefined) {
      if (skeletons.size >= MAX_CACHED_SKELETONS) skeletons.clear()
      found = nameSkeletons(name)
      skeletons.set(name, found)
    }
    return found
  }
  /** The same rule as areConfusable (protocol/names.ts), on the cached skeletons. */
  function isConfusable (a: string, b: string): boolean {
    const [x1, x2] = skeletonsOf(a)
    const [y1, y2] = skeletonsOf(b)
    return x1 === y1 || x2 === y2
  }

  function uniqueName (name: string): string {
    const held = store.usernamesInSession()
    const isFree = (candidate: string): boolean => !store.isUsernameTaken(candidate) && !held.some(other => isConfusable(candidate, other))
    if (isFree(name)) return name
    if (!store.isUsernameTaken(name)) throw Errors.nameLookalike()
    const chars = [...name]
    for (let n = 2; n < 10_000; n++) {
      const suffix = ` ${n}`
      const base = chars.slice(0, MAX_USERNAME_CODE_POINTS - suffix.length).join('').trimEnd()
      const candidate = base + suffix
      if (isFree(candidate)) return candidate
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
    noteActive (id, now = Date.now()) {
      const last = notedAt.get(id)
      if (last !== undefined && now - last < NOTE_EVERY_MS) return false
      notedAt.set(id, now)
      return true
    },
    activeSince (at) {
      const out: number[] = []
      for (const [id, last] of notedAt) {
        if (last >= at) out.push(id)
        else notedAt.delete(id) // older than any window asked for: the next request records it again
      }
      return out
    },
    remove (id) {
      for (const hash of hashesOf.get(id) ?? []) byHash.delete(hash)
      hashesOf.delete(id)
      notedAt.delete(id)
      return store.removeParticipant(id, Date.now())
    }
  }
}
