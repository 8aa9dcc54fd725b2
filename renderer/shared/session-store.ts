/**
 * Remembers who this browser is in each room (localStorage), so a refresh or a phone waking up
 * comes back as the same participant. Storage may be unavailable (private mode): then nothing is kept.
 */
export interface Session {
  token: string
  userId: number
  username: string
  emoji: string
}

/** The last name and emoji used, to prefill the join form next time. */
export interface Profile {
  username: string
  emoji: string
}

const SESSION_PREFIX = 'mindweb:session:'
const PROFILE_KEY = 'mindweb:profile'

/** The saved session for a room, or null. */
export function loadSession (roomId: string): Session | null {
  const value = readJson(SESSION_PREFIX + roomId)
  if (!isRecord(value)) return null
  const { token, userId, username, emoji } = value
  if (typeof token !== 'string' || typeof userId !== 'number' || typeof username !== 'string' || typeof emoji !== 'string') return null
  return { token, userId, username, emoji }
}

export function saveSession (roomId: string, session: Session): void {
  writeJson(SESSION_PREFIX + roomId, session)
  writeJson(PROFILE_KEY, { username: session.username, emoji: session.emoji })
}

export function clearSession (roomId: string): void {
  try { localStorage.removeItem(SESSION_PREFIX + roomId) } catch { /* storage unavailable */ }
}

/**
 * After the host removed this participant: the join form starts without the old name (they join
 * again as someone new; the host's list must not show two people of one name), with the emoji kept.
 */
export function forgetProfileName (): void {
  const profile = loadProfile()
  if (profile !== null) writeJson(PROFILE_KEY, { username: '', emoji: profile.emoji })
}

export function loadProfile (): Profile | null {
  const value = readJson(PROFILE_KEY)
  if (!isRecord(value) || typeof value.username !== 'string' || typeof value.emoji !== 'string') return null
  return { username: value.username, emoji: value.emoji }
}

/** JSON from localStorage; null when missing, corrupt or unavailable. */
export function readJson (key: string): unknown {
  try {
    const raw = localStorage.getItem(key)
    return raw === null ? null : JSON.parse(raw)
  } catch {
    return null
  }
}

export function writeJson (key: string, value: unknown): void {
  try { localStorage.setItem(key, JSON.stringify(value)) } catch { /* full or unavailable: keep going */ }
}

export function isRecord (value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}
