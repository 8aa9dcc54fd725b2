/**
 * The room's wire frames, each built in one place: persisted frames from what the store holds (the
 * one definition for live frames and replays, so a client that was away sees exactly what the
 * others saw; a hidden message reaches participants without its text, the host's sockets keep it),
 * and the room's live frames (room state, queue, review, the word list, the projector). A new frame
 * is added here and in `server/protocol`. The engine's own hot-path frames (chunks, presence) are
 * typed against the same protocol in `engine/`.
 */
import type { HeldMessage, PollStep, QuestionStep, RoomEvent, StoredMessage } from '../ports.js'
import type {
  AdminAuditFrame, AdminParticipant, AdminParticipantFrame, AdminStats, AdminStatsFrame, AuditEntry, MessageHiddenAdminFrame,
  AiMessageEndFrame, AiMessageErrorFrame, AiMessageQueueFrame, AiMessageStartFrame, AiMode, AiReviewFrame, ErrorFrame,
  AiSuggestionsFrame, FeedbackUpdateFrame, MessageFile, MessageHeldFrame, MutedFrame, PersistedFrame, PollResultsFrame, PollUpdateFrame, PhotosMode, ProjectorState, ProjectorUpdateFrame, QuestionUpdateFrame, Room, RoomUpdateFrame, UserMessageFrame
} from '../protocol/index.js'
import { ErrorCode } from '../errors.js'
import { messageFile } from './media/photos.js'

/** Who a frame is built for: a participant (hidden text removed) or the host's console. */
export type Audience = 'participant' | 'admin'

/** The persisted frame for an event, as a client that was away would have seen it (null: an event another service builds). */
export function persistedFrame (event: RoomEvent, m: StoredMessage | null, forUserId: number | null, audience: Audience = 'participant'): PersistedFrame | null {
  // A poll's event names no message: it carries the poll itself.
  if (event.type === 'poll_update') return event.data == null ? null : pollUpdateFrame(event.seq, event.data as unknown as PollStep, audience)
  if (event.type === 'room_cleared' || m === null) {
    return { type: 'room_cleared', seq: event.seq, session_id: Number(event.data?.session_id ?? 0) }
  }
  switch (event.type) {
    case 'user_message':
      return userMessageFrame(m, event.seq, forUserId, audience)
    case 'ai_message_start':
      return { type: 'ai_message_start', id: m.id, seq: event.seq, reply_to: m.replyTo ?? 0, timestamp: event.at, queue_position: 0 }
    case 'ai_message_end':
    case 'ai_message_error':
      return replyEndFrame(m, event, audience)
    case 'message_hidden':
      return { type: 'message_hidden', id: m.id, seq: event.seq }
    case 'message_unhidden': {
      // The frame that shows the message again, as it is now (its creating frame or its end).
      const message = m.role === 'user'
        ? userMessageFrame(m, m.seq, forUserId, audience)
        : replyEndFrame(m, { seq: m.seq, type: m.status === 'failed' || m.status === 'interrupted' ? 'ai_message_error' : 'ai_message_end', messageId: m.id, at: m.endedAt ?? m.createdAt }, audience)
      return { type: 'message_unhidden', id: m.id, seq: event.seq, message }
    }
    case 'question_update':
      return event.data == null ? null : questionFrame(event, event.data as unknown as QuestionStep, forUserId)
    default:
      // Events of other services (the teacher's gate) are built by their owners.
      return null
  }
}

/** What other participants see of the author of a message posted while the room hid names. */
export const ANONYMOUS_AUTHOR = { username: 'Anonymous', userId: 0, emoji: '👤' } as const

/**
 * Whether this reader sees the author of `m` as anonymous: a participant reading someone else's
 * message posted while the room hid names. Its author and the host's sockets see who wrote it.
 */
export function isAuthorHidden (m: Pick<StoredMessage, 'isAnonymous' | 'userId'>, forUserId: number | null, audience: Audience): boolean {
  return m.isAnonymous && audience === 'participant' && (forUserId === null || m.userId !== forUserId)
}

/** A user message frame; hidden ones carry no text for participants, anonymous ones no author. */
export function userMessageFrame (m: StoredMessage, seq: number, forUserId: number | null, audience: Audience = 'participant'): UserMessageFrame {
  const isHidden = m.hiddenAt !== null
  const author = isAuthorHidden(m, forUserId, audience) ? ANONYMOUS_AUTHOR : { username: m.username, userId: m.userId ?? 0, emoji: m.emoji }
  const frame: UserMessageFrame = {
    type: 'user_message',
    id: m.id,
    seq,
    content: isHidden && audience === 'participant' ? '' : m.content,
    from_user: author.username,
    from_user_id: author.userId,
    emoji: author.emoji,
    timestamp: m.createdAt
  }
  if (m.isAnonymous) frame.anonymous = true
  if (m.asksAi) frame.asks_ai = true
  if (m.userId === null) frame.is_host = true
  if (isHidden) frame.hidden = true
  if (m.files !== null && m.files.length > 0 && !(isHidden && audience === 'participant')) frame.files = m.files.map(messageFile)
  if (forUserId !== null && m.userId === forUserId && m.clientMsgId !== null) frame.client_msg_id = m.clientMsgId
  return frame
}

function replyEndFrame (m: StoredMessage, event: RoomEvent, audience: Audience): AiMessageEndFrame | AiMessageErrorFrame {
  const isHidden = m.hiddenAt !== null
  const content = isHidden && audience === 'participant' ? '' : m.content
  if (event.type === 'ai_message_error' || m.status === 'failed' || m.status === 'interrupted') {
    const frame: AiMessageErrorFrame = {
      type: 'ai_message_error',
      id: m.id,
      seq: event.seq,
      reply_to: m.replyTo ?? 0,
      content,
      status: m.status === 'interrupted' ? 'interrupted' : 'failed',
      error: m.error ?? { code: ErrorCode.internal, message: 'The answer failed.' },
      timestamp: event.at
    }
    if (isHidden) frame.hidden = true
    return frame
  }
  const status = m.status === 'stopped' ? 'stopped' : 'complete'
  const frame: AiMessageEndFrame = { type: 'ai_message_end', id: m.id, seq: event.seq, reply_to: m.replyTo ?? 0, content, status, conversation_id: m.conversationId ?? '', timestamp: event.at }
  if (m.citations !== null && m.citations.length > 0 && !(isHidden && audience === 'participant')) frame.citations = m.citations
  if (isHidden) frame.hidden = true
  // review answers first: the host edited it before releasing it (recorded on its end event)
  if (event.data?.edited_by_host === true) frame.edited_by_host = true
  if (m.isTeachersAnswer) frame.teachers_answer = true
  if (m.cutAtChars !== null && status === 'stopped' && !(isHidden && audience === 'participant')) { frame.stop_reason = 'length'; frame.cut_at_chars = m.cutAtChars }
  return frame
}

/**
 * The one place a question's step becomes a frame, live and in replays; the voter's own copy says
 * whether they now vote for it.
 */
export function questionFrame (event: Pick<RoomEvent, 'seq' | 'messageId'>, step: QuestionStep, forUserId: number | null): QuestionUpdateFrame {
  const frame: QuestionUpdateFrame = { type: 'question_update', message_id: event.messageId, seq: event.seq, status: step.status, votes: step.votes, waiting_count: step.waiting }
  if (step.reason !== undefined) frame.reason = step.reason
  if (step.asked !== undefined) { frame.edited = true; frame.content = step.asked }
  if (step.mergedInto !== undefined) frame.merged_into = step.mergedInto
  if (forUserId !== null && step.voterId === forUserId) frame.my_vote = step.isUp === true
  return frame
}

/**
 * The one place a poll's step becomes a frame, live and in replays. Participants see the counts
 * only while the host shows them, or once the poll is closed (its final result); the host always.
 */
export function pollUpdateFrame (seq: number, step: PollStep, audience: Audience): PollUpdateFrame {
  const isVisible = audience === 'admin' || step.show_results || step.status === 'closed'
  return {
    type: 'poll_update',
    poll_id: step.poll_id,
    seq,
    status: step.status,
    kind: step.kind,
    question: step.question,
    options: step.options,
    show_results: step.show_results,
    counts: isVisible ? step.counts : null,
    total: step.total
  }
}

/** Live counts of a poll (no seq). */
export function pollResultsFrame (pollId: number, tally: { counts: number[], total: number }): PollResultsFrame {
  return { type: 'poll_results', poll_id: pollId, counts: tally.counts, total: tally.total }
}

/** What changed in the room, as `room_update` carries it (only the fields that changed). */
export type RoomChanges = {
  locked?: boolean
  slow_mode_s?: number
  announcement?: string
  room?: Room
  pin_required?: boolean
  anonymous?: boolean
  photos?: PhotosMode
}

/** `room_update`: always the AI mode and whether the AI can answer, plus what changed. */
export function roomUpdateFrame (ai: { mode: AiMode, isAvailable: boolean }, changes: RoomChanges = {}): RoomUpdateFrame {
  return { type: 'room_update', ai_mode: ai.mode, ai_available: ai.isAvailable, ...changes }
}

/** An answer's place in the AI's queue (0: it is being written). */
export function queueFrame (replyId: number, position: number): AiMessageQueueFrame {
  return { type: 'ai_message_queue', id: replyId, queue_position: position }
}

/** The live start of an answer (its persisted copy in a replay has `queue_position: 0`). */
export function replyStartFrame (event: Pick<RoomEvent, 'seq' | 'at'>, replyId: number, questionId: number, queuePosition: number): AiMessageStartFrame {
  return { type: 'ai_message_start', id: replyId, seq: event.seq, reply_to: questionId, timestamp: event.at, queue_position: queuePosition }
}

/**
 * Review answers first: `reviewing` (everyone), `ready` with the whole answer (the host's sockets),
 * `released` (with `edited` when the host changed it) or `discarded` (with the host's note).
 */
export function reviewFrame (reply: { id: number, replyTo: number }, review:
  | { status: 'reviewing' }
  | { status: 'ready', content: string }
  | { status: 'released', isEdited: boolean }
  | { status: 'discarded', note: string | null }): AiReviewFrame {
  const frame: AiReviewFrame = { type: 'ai_review', id: reply.id, reply_to: reply.replyTo, status: review.status }
  if (review.status === 'ready') frame.content = review.content
  if (review.status === 'released' && review.isEdited) frame.edited = true
  if (review.status === 'discarded' && review.note !== null) frame.note = review.note
  return frame
}

/** To the host's sockets: the ratings of one answer changed. */
export function feedbackUpdateFrame (messageId: number, counts: { helpful: number, confused: number }): FeedbackUpdateFrame {
  return { type: 'feedback_update', message_id: messageId, helpful: counts.helpful, confused: counts.confused }
}

/** To everyone: the AI app's suggested follow-up questions for an answer. */
export function aiSuggestionsFrame (replyId: number, suggestions: string[]): AiSuggestionsFrame {
  return { type: 'ai_suggestions', message_id: replyId, suggestions }
}

/** To a participant's own sockets: the host muted them until `until`, or lifted it (null). */
export function mutedFrame (until: number | null): MutedFrame {
  return { type: 'muted', until }
}

/** To the host's sockets: the word list held a message. */
export function messageHeldFrame (held: HeldMessage, size?: (id: string) => { width: number, height: number } | null): MessageHeldFrame {
  const frame: MessageHeldFrame = { type: 'message_held', id: held.id, user_id: held.userId, username: held.username, matched: held.matched, at: held.at }
  if (held.files.length > 0) frame.files = heldFiles(held, size)
  return frame
}

/** A held message's photos for the host's console (their sizes are the photo store's). */
export function heldFiles (held: HeldMessage, size: (id: string) => { width: number, height: number } | null = () => null): MessageFile[] {
  return held.files.map(id => messageFile({ id, ...(size(id) ?? { width: 0, height: 0 }) }))
}

/** To the host's sockets: the projector's view changed. */
export function projectorFrame (state: ProjectorState): ProjectorUpdateFrame {
  return { type: 'projector_update', view: state.view, hide_names: state.hide_names, read_aloud: state.read_aloud === true }
}

/** An `error` frame for an AppError-like refusal, with its wait when there is one. */
export function errorFrame (e: { code: string, message: string, retryAfterMs?: number | undefined }, clientMsgId?: string): ErrorFrame {
  const frame: ErrorFrame = { type: 'error', code: e.code, message: e.message }
  if (e.retryAfterMs !== undefined) frame.retry_after_ms = e.retryAfterMs
  if (clientMsgId !== undefined) frame.client_msg_id = clientMsgId
  return frame
}

// ---- the host console's own frames

/** A participant's row changed (joined, went on- or offline, muted, removed, banned). */
export function participantRowFrame (participant: AdminParticipant): AdminParticipantFrame {
  return { type: 'admin_participant', participant }
}

/** The console's live figures. */
export function statsFrame (stats: AdminStats, onlineCount: number, peakOnline: number, at: number): AdminStatsFrame {
  return { type: 'admin_stats', stats, online_count: onlineCount, peak_online: peakOnline, at }
}

/** A new line of the activity log. */
export function auditFrame (entry: AuditEntry): AdminAuditFrame {
  return { type: 'admin_audit', entry }
}

/** Right after `message_hidden`: the text the participants no longer see, for the host. */
export function hiddenTextFrame (m: Pick<StoredMessage, 'id' | 'content'>): MessageHiddenAdminFrame {
  return { type: 'message_hidden_admin', id: m.id, content: m.content }
}
