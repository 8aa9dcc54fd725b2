/**
 * What the projector shows, from the admin socket's frames: the newest answer (followed as it
 * streams) with its question, the questions waiting, and the view the host chose. Answers held for
 * the host's review (`review: true`) are never shown: the room has not seen them. Pure, so it is
 * tested without a browser.
 */

export type ProjectorView = 'qr' | 'answer' | 'auto'

export interface ProjectedQuestion {
  id: number
  /** null: posted in an anonymous room (the classroom screen shows no name) */
  from: string | null
  content: string
  /** the text the host approved when they edited it */
  asked: string | null
}

export interface ProjectedAnswer {
  id: number
  replyTo: number
  text: string
  status: 'streaming' | 'complete' | 'stopped' | 'failed' | 'interrupted'
  isHidden: boolean
  /** held for the host's review: the room sees it only once released */
  isReviewing: boolean
  /** released after the host edited it */
  isEditedByHost: boolean
  /** cut at the host's answer limit of this many characters (else null) */
  cutAtChars: number | null
}

/** The newest poll, as the class may see it: counts only while the host shows them. */
export interface ProjectedPoll {
  id: number
  question: string
  kind: 'single' | 'multi' | 'open'
  options: string[]
  status: 'open' | 'closed'
  showResults: boolean
  /** the live counts (the admin socket always has them; the screen shows them only when shown) */
  counts: number[]
  total: number
  /** the AI's themes of an open poll's answers, when the teacher put them on the screen */
  groups: ProjectedGroup[] | null
}

export interface ProjectedGroup { theme: string, answers: string[], is_misconception: boolean }

export interface ProjectorState {
  /** user messages that asked the AI, by id (the newest few hundred) */
  questions: Map<number, ProjectedQuestion>
  answer: ProjectedAnswer | null
  poll: ProjectedPoll | null
  /** what happened last, an answer starting or a poll changing: `auto` shows that one */
  topic: 'answer' | 'poll'
  waiting: number
  online: number
  view: ProjectorView
  hideNames: boolean
  /** the host asked the projector to read each answer aloud when it is written */
  readAloud: boolean
  lastSeq: number
}

/** The frames the projector reads (anything else is ignored). */
export type ProjectorFrame =
  | { type: 'hello', last_seq: number, online_count: number }
  | { type: 'presence', online_count: number }
  | { type: 'user_message', id: number, seq: number, content: string, from_user: string, asks_ai?: boolean, anonymous?: boolean }
  | { type: 'question_update', message_id: number, seq: number, status: string, waiting_count?: number, content?: string, edited?: boolean }
  | { type: 'ai_message_start', id: number, seq: number, reply_to: number, review?: boolean }
  | { type: 'ai_message_chunk', id: number, reply_to: number, content: string, snapshot?: boolean, review?: boolean }
  | { type: 'ai_message_replace', id: number, content: string, review?: boolean }
  | { type: 'ai_message_end', id: number, seq: number, reply_to: number, content: string, status: 'complete' | 'stopped', review?: boolean, edited_by_host?: boolean, stop_reason?: 'length', cut_at_chars?: number }
  | { type: 'ai_message_error', id: number, seq: number, reply_to: number, content: string, status: 'failed' | 'interrupted', review?: boolean }
  | { type: 'ai_review', id: number, reply_to: number, status: string }
  | { type: 'message_hidden', id: number, seq: number }
  | { type: 'room_cleared', seq: number }
  | { type: 'projector_update', view: ProjectorView, hide_names: boolean, read_aloud?: boolean }
  | { type: 'poll_update', poll_id: number, seq: number, status: 'open' | 'closed', kind: 'single' | 'multi' | 'open', question: string, options: string[], show_results: boolean, counts: number[] | null, total: number }
  | { type: 'poll_results', poll_id: number, counts: number[], total: number }
  | { type: 'poll_groups', poll_id: number, groups: ProjectedGroup[] }

const MAX_QUESTIONS = 300

export function createProjectorState (view: ProjectorView = 'auto', hideNames = false, readAloud = false): ProjectorState {
  return { questions: new Map(), answer: null, poll: null, topic: 'answer', waiting: 0, online: 0, view, hideNames, readAloud, lastSeq: 0 }
}

/** Applies a batch of frames; returns a new state when anything changed. */
export function projectorReducer (state: ProjectorState, frames: readonly unknown[]): ProjectorState {
  let s = state
  for (const raw of frames) s = apply(s, raw as ProjectorFrame)
  return s
}

function apply (s: ProjectorState, f: ProjectorFrame): ProjectorState {
  if ('seq' in f && typeof f.seq === 'number' && f.seq > s.lastSeq) s = { ...s, lastSeq: f.seq }
  if ('review' in f && f.review === true) return s
  switch (f.type) {
    case 'hello': return { ...s, online: f.online_count }
    case 'presence': return { ...s, online: f.online_count }
    case 'user_message': {
      if (f.asks_ai !== true) return s
      const questions = new Map(s.questions)
      questions.set(f.id, { id: f.id, from: f.anonymous === true ? null : f.from_user, content: f.content, asked: questions.get(f.id)?.asked ?? null })
      if (questions.size > MAX_QUESTIONS) questions.delete(questions.keys().next().value as number)
      return { ...s, questions }
    }
    case 'question_update': {
      let next = f.waiting_count === undefined ? s : { ...s, waiting: f.waiting_count }
      const q = next.questions.get(f.message_id)
      if (f.edited === true && f.content !== undefined && q !== undefined) {
        const questions = new Map(next.questions)
        questions.set(q.id, { ...q, asked: f.content })
        next = { ...next, questions }
      }
      return next
    }
    case 'poll_update': {
      // An older poll changing (closed late) does not take the screen from a newer one.
      if (s.poll !== null && f.poll_id < s.poll.id) return s
      const counts = f.counts ?? (s.poll?.id === f.poll_id ? s.poll.counts : f.options.map(() => 0))
      const groups = s.poll?.id === f.poll_id ? s.poll.groups : null
      return { ...s, topic: 'poll', poll: { id: f.poll_id, question: f.question, kind: f.kind, options: f.options, status: f.status, showResults: f.show_results, counts, total: f.total, groups } }
    }
    case 'poll_groups':
      if (s.poll?.id !== f.poll_id) return s
      return { ...s, topic: 'poll', poll: { ...s.poll, groups: f.groups.length > 0 ? f.groups : null } }
    case 'poll_results':
      if (s.poll?.id !== f.poll_id) return s
      return { ...s, poll: { ...s.poll, counts: f.counts, total: f.total } }
    case 'ai_message_start':
      // The newest answer is the one on the screen.
      return { ...s, topic: 'answer', answer: { id: f.id, replyTo: f.reply_to, text: '', status: 'streaming', isHidden: false, isReviewing: false, isEditedByHost: false, cutAtChars: null } }
    case 'ai_message_chunk': {
      if (s.answer === null || s.answer.id !== f.id) {
        // A snapshot of an answer already streaming when the projector connected.
        if (f.snapshot === true && (s.answer === null || f.id > s.answer.id)) return { ...s, answer: { id: f.id, replyTo: f.reply_to, text: f.content, status: 'streaming', isHidden: false, isReviewing: false, isEditedByHost: false, cutAtChars: null } }
        return s
      }
      return { ...s, answer: { ...s.answer, text: f.snapshot === true ? f.content : s.answer.text + f.content } }
    }
    case 'ai_message_replace':
      return s.answer?.id === f.id ? { ...s, answer: { ...s.answer, text: f.content } } : s
    case 'ai_message_end':
    case 'ai_message_error':
      if (s.answer !== null && s.answer.id !== f.id && f.id < s.answer.id) return s
      return {
        ...s,
        answer: {
          id: f.id,
          replyTo: f.reply_to,
          text: f.content,
          status: f.status,
          isHidden: s.answer?.id === f.id && s.answer.isHidden,
          isReviewing: false,
          isEditedByHost: f.type === 'ai_message_end' && f.edited_by_host === true,
          cutAtChars: f.type === 'ai_message_end' && f.stop_reason === 'length' ? f.cut_at_chars ?? null : null
        }
      }
    case 'ai_review':
      if (s.answer?.id !== f.id) return s
      return { ...s, answer: { ...s.answer, isReviewing: f.status === 'reviewing' || f.status === 'ready' } }
    case 'message_hidden':
      if (s.answer !== null && (s.answer.id === f.id || s.answer.replyTo === f.id)) return { ...s, answer: { ...s.answer, isHidden: true } }
      return s
    case 'room_cleared':
      return { ...createProjectorState(s.view, s.hideNames, s.readAloud), online: s.online, lastSeq: s.lastSeq }
    case 'projector_update':
      return { ...s, view: f.view, hideNames: f.hide_names, readAloud: f.read_aloud ?? s.readAloud }
    default:
      return s
  }
}

/**
 * What the screen shows now: the host's choice, or in `auto` whatever happened last of an answer
 * and a poll (a poll while it is open, or closed with its results shown), the join code before.
 */
export function shownView (s: ProjectorState, isQrForced: boolean): 'qr' | 'answer' | 'poll' {
  if (isQrForced) return 'qr'
  if (s.view !== 'auto') return s.view
  const isPollNews = s.poll !== null && (s.poll.status === 'open' || s.poll.showResults || s.poll.groups !== null)
  if (s.topic === 'poll' && isPollNews) return 'poll'
  if (s.answer !== null) return 'answer'
  return isPollNews ? 'poll' : 'qr'
}
