/**
 * The teacher's gate as a participant sees it: each question's state (waiting for the host,
 * approved, not taken with the host's reason, merged), its votes and whether I vote for it, and
 * how many questions wait. Fed by `question_update` frames and, after a reload, `GET /api/questions`
 * (frames before the history window are not replayed). Pure, so it is tested without React.
 */
import { withoutAiMention, type AiMessageEndFrame, type AiReviewFrame, type HistoryMessage, type ParticipantQuestionsResponse, type QuestionUpdateFrame } from '../../../server/protocol/index.js'
import type { ChatEntry } from '../../shared/chat/chat-state.js'

export interface QuestionView {
  status: 'pending' | 'approved' | 'rejected' | 'merged'
  votes: number
  myVote: boolean
  reason: string | null
  /** the text the AI was asked when the host edited it */
  asked: string | null
  mergedInto: number | null
}

export interface QuestionsView {
  byId: ReadonlyMap<number, QuestionView>
  waiting: number
  /** answers the host is checking before the room sees them (review answers first), by reply id */
  reviewing: ReadonlySet<number>
  /** answers the host chose not to show, with the host's note (or null), by reply id */
  discarded: ReadonlyMap<number, string | null>
  /** answers the host edited before releasing them, by reply id */
  edited: ReadonlySet<number>
}

export type QuestionsAction =
  | { type: 'load', response: ParticipantQuestionsResponse }
  /** Answers of a history read: which the host edited, and which the host is checking now. */
  | { type: 'history', messages: readonly HistoryMessage[] }
  | { type: 'frame', frame: QuestionUpdateFrame | AiReviewFrame | AiMessageEndFrame | { type: 'room_cleared' } }
  /** My vote, shown at once; the host's answer (a frame) confirms or corrects it. */
  | { type: 'vote', messageId: number, up: boolean }

export const NO_QUESTIONS: QuestionsView = { byId: new Map(), waiting: 0, reviewing: new Set(), discarded: new Map(), edited: new Set() }

export function questionsReducer (state: QuestionsView, action: QuestionsAction): QuestionsView {
  switch (action.type) {
    case 'load': {
      const byId = new Map<number, QuestionView>()
      for (const q of action.response.questions) {
        byId.set(q.message_id, { status: q.status, votes: q.votes, myVote: q.my_vote, reason: q.reason ?? null, asked: q.edited === true ? q.content ?? null : null, mergedInto: q.merged_into ?? null })
      }
      return { ...state, byId, waiting: action.response.waiting_count }
    }
    case 'history': {
      let { reviewing, edited } = state
      for (const m of action.messages) {
        if (m.role !== 'assistant') continue
        if (m.edited_by_host === true && !edited.has(m.id)) edited = new Set(edited).add(m.id)
        if (m.reviewing === true && !reviewing.has(m.id)) reviewing = new Set(reviewing).add(m.id)
      }
      return reviewing === state.reviewing && edited === state.edited ? state : { ...state, reviewing, edited }
    }
    case 'frame': {
      const f = action.frame
      if (f.type === 'room_cleared') return NO_QUESTIONS
      if (f.type === 'ai_message_end') return f.edited_by_host === true ? { ...state, edited: new Set(state.edited).add(f.id) } : state
      if (f.type === 'ai_review') {
        const reviewing = new Set(state.reviewing)
        if (f.status === 'reviewing') reviewing.add(f.id)
        else reviewing.delete(f.id)
        const discarded = f.status === 'discarded' ? new Map(state.discarded).set(f.id, f.note ?? null) : state.discarded
        return { ...state, reviewing, discarded }
      }
      const before = state.byId.get(f.message_id)
      const byId = new Map(state.byId)
      byId.set(f.message_id, {
        status: f.status,
        votes: f.votes,
        // Only my own copy of a vote's frame says how I vote; others' frames keep what I had.
        myVote: f.my_vote ?? before?.myVote ?? false,
        reason: f.reason ?? null,
        asked: f.edited === true ? f.content ?? null : null,
        mergedInto: f.merged_into ?? null
      })
      return { ...state, byId, waiting: f.waiting_count ?? state.waiting }
    }
    case 'vote': {
      const q = state.byId.get(action.messageId)
      if (q === undefined || q.myVote === action.up) return state
      const byId = new Map(state.byId)
      byId.set(action.messageId, { ...q, myVote: action.up, votes: Math.max(0, q.votes + (action.up ? 1 : -1)) })
      return { ...state, byId }
    }
  }
}

/** `GET /api/questions` with the participant's token. */
export async function fetchQuestions (token: string): Promise<ParticipantQuestionsResponse> {
  const response = await fetch('/api/questions', { headers: { authorization: `Bearer ${token}`, accept: 'application/json' }, cache: 'no-store' })
  if (!response.ok) throw new Error(`HTTP ${response.status}`)
  return await response.json() as ParticipantQuestionsResponse
}

/**
 * Approve mode: a question with these words already waiting or taken by the host (a follow-up
 * someone tapped first). Tapping it again is a vote for that one, not a second question; null when
 * nobody asked it, or its asking ended (declined, merged), so it may be asked again.
 */
export function sameQuestion (text: string, entries: readonly ChatEntry[], questions: QuestionsView, selfId: number): { messageId: number, canVote: boolean } | null {
  const words = wordsOf(text)
  for (let i = entries.length - 1; i >= 0; i--) {
    const e = entries[i]!
    if (e.kind !== 'user' || e.isHidden || wordsOf(withoutAiMention(e.content)) !== words) continue
    const q = questions.byId.get(e.id)
    if (q === undefined || (q.status !== 'pending' && q.status !== 'approved')) continue
    return { messageId: e.id, canVote: q.status === 'pending' && e.fromUserId !== selfId && !q.myVote }
  }
  return null
}

function wordsOf (text: string): string {
  return text.toLowerCase().replace(/[\p{P}\s]+/gu, ' ').trim()
}
