/**
 * The polls a participant sees, pure: built from `GET /api/polls` on opening, then kept by the
 * frames (`poll_update` is the poll's step, `poll_results` its live counts) and by my own answers.
 */
import type { ParticipantPollsResponse, PollKind, PollResultsFrame, PollUpdateFrame } from '../../../server/protocol/index.js'

export interface PollView {
  id: number
  status: 'open' | 'closed'
  kind: PollKind
  question: string
  options: string[]
  showResults: boolean
  counts: number[] | null
  total: number
  mine: { choice?: number[], text?: string } | null
}

export interface PollsState { byId: ReadonlyMap<number, PollView> }

export const NO_POLLS: PollsState = { byId: new Map() }

export type PollsAction =
  | { type: 'load', response: ParticipantPollsResponse }
  | { type: 'frame', frame: PollUpdateFrame | PollResultsFrame | { type: 'room_cleared' } }
  | { type: 'answered', pollId: number, mine: { choice?: number[], text?: string } }

export function pollsReducer (state: PollsState, action: PollsAction): PollsState {
  const next = new Map(state.byId)
  switch (action.type) {
    case 'load':
      for (const p of action.response.polls) {
        next.set(p.poll_id, { id: p.poll_id, status: p.status, kind: p.kind, question: p.question, options: p.options, showResults: p.show_results, counts: p.counts, total: p.total, mine: p.mine })
      }
      return { byId: next }
    case 'answered': {
      const poll = next.get(action.pollId)
      if (poll === undefined) return state
      next.set(action.pollId, { ...poll, mine: action.mine })
      return { byId: next }
    }
    case 'frame': {
      const f = action.frame
      if (f.type === 'room_cleared') return NO_POLLS
      if (f.type === 'poll_results') {
        const poll = next.get(f.poll_id)
        if (poll === undefined) return state
        next.set(f.poll_id, { ...poll, counts: f.counts, total: f.total })
        return { byId: next }
      }
      const before = next.get(f.poll_id)
      next.set(f.poll_id, {
        id: f.poll_id,
        status: f.status,
        kind: f.kind,
        question: f.question,
        options: f.options,
        showResults: f.show_results,
        counts: f.counts,
        total: f.total,
        mine: before?.mine ?? null
      })
      return { byId: next }
    }
  }
}

/** The poll to show on top of the room: the newest open one, else the newest closed with results. */
export function currentPoll (state: PollsState): PollView | null {
  const polls = [...state.byId.values()].sort((a, b) => b.id - a.id)
  return polls.find(p => p.status === 'open') ?? polls.find(p => p.counts !== null) ?? null
}

export async function fetchPolls (token: string): Promise<ParticipantPollsResponse> {
  const response = await fetch('/api/polls', { headers: { authorization: `Bearer ${token}`, accept: 'application/json' }, cache: 'no-store' })
  if (!response.ok) throw new Error(`HTTP ${response.status}`)
  return await response.json() as ParticipantPollsResponse
}
