/**
 * Who is in the room: the list from `GET /api/users`, kept current by `presence` frames
 * (which carry changes only, never the full list).
 */
import type { PresenceFrame, UserSummary } from '../../../server/protocol/index.js'

export interface PresenceState {
  users: UserSummary[]
  onlineCount: number
  /** a large room stopped listing changes: re-read the list when someone looks at it */
  isListStale: boolean
}

/** Above this many online, the page reads the people list only when it is opened. */
export const LARGE_ROOM = 300

export type PresenceAction =
  | { type: 'users', users: UserSummary[] }
  | { type: 'count', onlineCount: number }
  | { type: 'presence', frame: PresenceFrame }
  | { type: 'stale' }

export function createPresenceState (): PresenceState {
  return { users: [], onlineCount: 0, isListStale: false }
}

export function presenceReducer (state: PresenceState, action: PresenceAction): PresenceState {
  switch (action.type) {
    case 'users':
      return { ...state, users: action.users, isListStale: false }
    case 'stale':
      return state.isListStale ? state : { ...state, isListStale: true }
    case 'count':
      return state.onlineCount === action.onlineCount ? state : { ...state, onlineCount: action.onlineCount }
    case 'presence': {
      const { joined, left, online_count: onlineCount } = action.frame
      if (action.frame.changes_omitted !== undefined) return { ...state, onlineCount, isListStale: true }
      const leftIds = new Set(left)
      const joinedById = new Map(joined.map(u => [u.user_id, u]))
      const users = state.users.map(u => {
        const j = joinedById.get(u.user_id)
        if (j) {
          joinedById.delete(u.user_id)
          return { ...u, username: j.username, emoji: j.emoji, online: true }
        }
        return leftIds.has(u.user_id) && u.online ? { ...u, online: false } : u
      })
      for (const j of joinedById.values()) users.push({ ...j, online: true })
      return { users, onlineCount, isListStale: state.isListStale }
    }
  }
}

/** Online people first (then by name), for the people list. */
export function sortPeople (users: UserSummary[], selfId: number | null): UserSummary[] {
  return users.slice().sort((a, b) => {
    if (a.user_id === selfId) return -1
    if (b.user_id === selfId) return 1
    if (a.online !== b.online) return a.online ? -1 : 1
    return a.username.localeCompare(b.username)
  })
}
