import { describe, expect, it } from 'vitest'
import { createPresenceState, presenceReducer, sortPeople } from '../../renderer/participant/state/presence-state.js'
import { backoffDelay } from '../../renderer/shared/socket/backoff.js'

describe('presence state', () => {
  it('applies joined and left to the list from GET /api/users', () => {
    let state = presenceReducer(createPresenceState(), {
      type: 'users',
      users: [{ user_id: 1, username: 'Ann', emoji: '🦊', online: true }, { user_id: 2, username: 'Bo', emoji: '🐼', online: false }]
    })
    state = presenceReducer(state, {
      type: 'presence',
      frame: { type: 'presence', joined: [{ user_id: 2, username: 'Bo', emoji: '🐼' }, { user_id: 3, username: 'Cy', emoji: '🦉' }], left: [1], online_count: 2 }
    })
    expect(state.onlineCount).toBe(2)
    expect(state.users.map(u => [u.user_id, u.online])).toEqual([[1, false], [2, true], [3, true]])
  })

  it('a large room only updates the count and marks the list to be read again', () => {
    const listed = presenceReducer(createPresenceState(), { type: 'users', users: [{ user_id: 1, username: 'Ann', emoji: '🦊', online: true }] })
    const big = presenceReducer(listed, { type: 'presence', frame: { type: 'presence', joined: [], left: [], online_count: 900, changes_omitted: 12 } })
    expect(big.onlineCount).toBe(900)
    expect(big.users).toEqual(listed.users)
    expect(big.isListStale).toBe(true)
    const fresh = presenceReducer(big, { type: 'users', users: [] })
    expect(fresh.isListStale).toBe(false)
  })

  it('lists me first, then who is online, then the rest by name', () => {
    const people = sortPeople([
      { user_id: 1, username: 'Zed', emoji: '', online: false },
      { user_id: 2, username: 'Bo', emoji: '', online: true },
      { user_id: 3, username: 'Al', emoji: '', online: true },
      { user_id: 4, username: 'Me', emoji: '', online: true }
    ], 4)
    expect(people.map(p => p.username)).toEqual(['Me', 'Al', 'Bo', 'Zed'])
  })
})

describe('backoff', () => {
  it('grows exponentially with jitter and stays under the cap', () => {
    expect(backoffDelay(0, () => 0)).toBe(250)
    expect(backoffDelay(0, () => 1)).toBe(500)
    expect(backoffDelay(3, () => 1)).toBe(4000)
    expect(backoffDelay(30, () => 1)).toBe(15_000)
    expect(backoffDelay(30, () => 0)).toBe(7500)
  })
})
