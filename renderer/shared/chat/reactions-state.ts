/**
 * The room's emoji reactions as the page shows them: each message's counts (from history and the
 * coalesced `reactions` frames) and the reader's own, changed at once when they tap (the next
 * frame says what the server counted). Pure, so it is tested without React.
 */
import type { HistoryMessage, ReactionsFrame } from '../../../server/protocol/index.js'

export interface ReactionsView {
  counts: ReadonlyMap<number, Readonly<Record<string, number>>>
  mine: ReadonlyMap<number, ReadonlySet<string>>
}

export type ReactionsAction =
  | { type: 'history', messages: readonly HistoryMessage[] }
  | { type: 'frame', frame: ReactionsFrame }
  | { type: 'mine', messageId: number, emoji: string, on: boolean }
  | { type: 'cleared' }

export const NO_REACTIONS: ReactionsView = { counts: new Map(), mine: new Map() }

export function reactionsReducer (state: ReactionsView, action: ReactionsAction): ReactionsView {
  switch (action.type) {
    case 'cleared': return NO_REACTIONS
    case 'history': {
      const counts = new Map(state.counts)
      const mine = new Map(state.mine)
      for (const m of action.messages) {
        if (m.reactions !== undefined) counts.set(m.id, m.reactions)
        if (m.my_reactions !== undefined) mine.set(m.id, new Set(m.my_reactions))
      }
      return { counts, mine }
    }
    case 'frame': {
      const counts = new Map(state.counts)
      counts.set(action.frame.message_id, action.frame.counts)
      return { ...state, counts }
    }
    case 'mine': {
      const had = state.mine.get(action.messageId) ?? new Set<string>()
      if (had.has(action.emoji) === action.on) return state
      const next = new Set(had)
      if (action.on) next.add(action.emoji)
      else next.delete(action.emoji)
      const mine = new Map(state.mine)
      mine.set(action.messageId, next)
      const before = state.counts.get(action.messageId) ?? {}
      const n = (before[action.emoji] ?? 0) + (action.on ? 1 : -1)
      const after: Record<string, number> = { ...before }
      if (n > 0) after[action.emoji] = n
      else delete after[action.emoji]
      const counts = new Map(state.counts)
      counts.set(action.messageId, after)
      return { counts, mine }
    }
  }
}
