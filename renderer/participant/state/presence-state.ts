/**
 * Who is in the room: the list from `GET /api/users`, kept current by `presence` frames
 * (which carry changes only, never the full list).
 */
import type { PresenceFrame, UserSummary } from '../../../server/protocol/index.js'

export interface PresenceState {
  users: UserSummary[]
  onlineCount: number
}

export type PresenceAction =
  | { type: 'users', users: UserSummary[] }
  | { type: 'count', onlineCount: number }
  | { type: 'presence', frame: PresenceFrame }

export function createPresenceState (): PresenceState {
  return { users: [], onlineCount: 0 }
}

export function presenceReducer (state: PresenceState, action: PresenceAction): PresenceState {
  switch (action.type) {
    case 'users':
      return { ...state, users: action.users }
    case 'count':
      return state.onlineCount === action.onlineCount ? state : { ...state, onlineCount: action.onlineCount }
    case 'presence': {
      const { joined, left, online_count: onlineCount } = action.frame
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
      return { users, onlineCount }
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
