/**
 * The lesson record as one document (PROTOCOL.md "Export"): every message of the chosen sessions
 * with its citations and token usage, hidden and rejected items marked, erased ones emptied.
 * Pure: the route gathers the rows, the formatters (json.ts, markdown.ts, csv.ts) write it out.
 */
import type { ExportDocument, ExportFile, ExportMessage } from '../protocol/index.js'
import type { Question, StoredMessage } from '../ports.js'

export interface ExportInput {
  room: { id: string, name: string }
  sessions: Array<{ id: number, startedAt: number, summary: string | null }>
  messages: ReadonlyArray<StoredMessage & { erasedAt?: number | null }>
  questions: readonly Question[]
  /** participants' ratings, by answer */
  feedback?: ReadonlyMap<number, { helpful: number, confused: number }>
  /** a photo's file in the data folder and its type (null: it is gone) */
  photo?: (fileId: string) => { fileName: string, mimeType: string } | null
  now: number
}

/** Builds the export document; messages stay in seq order. */
export function buildExportDocument (input: ExportInput): ExportDocument {
  const byMessage = new Map(input.questions.map(q => [q.messageId, q]))
  return {
    room: input.room,
    exported_at: input.now,
    sessions: input.sessions.map(s => ({ id: s.id, started_at: s.startedAt, summary: s.summary })),
    messages: input.messages.map(m => toExportMessage(m, byMessage.get(m.id) ?? null, input.feedback?.get(m.id), input.photo))
  }
}

function toExportMessage (m: StoredMessage & { erasedAt?: number | null }, q: Question | null, feedback?: { helpful: number, confused: number }, photo?: ExportInput['photo']): ExportMessage {
  const isErased = m.erasedAt != null
  const out: ExportMessage = {
    id: m.id,
    seq: m.seq,
    session_id: m.sessionId,
    role: m.role,
    content: isErased ? '' : m.content,
    status: m.status,
    from_user: m.username,
    from_user_id: m.userId,
    timestamp: m.createdAt,
    reply_to: m.replyTo,
    hidden: m.hiddenAt !== null,
    citations: m.citations,
    usage: m.usage
  }
  if (m.role === 'user' && m.asksAi) out.asks_ai = true
  if (m.role === 'assistant' && feedback !== undefined) out.feedback = { helpful: feedback.helpful, confused: feedback.confused }
  if (isErased) out.erased = true
  if (!isErased && m.files !== null && m.files.length > 0) {
    out.files = m.files.flatMap((f): ExportFile[] => {
      const stored = photo?.(f.id) ?? null
      return stored === null ? [] : [{ file_id: f.id, file_name: stored.fileName, mime_type: stored.mimeType, width: f.width, height: f.height }]
    })
  }
  if (m.cutAtChars !== null && m.status === 'stopped') { out.stop_reason = 'length'; out.cut_at_chars = m.cutAtChars }
  if (q !== null) {
    const s = q.state
    out.question = { status: s.status, votes: q.votes }
    if (s.status === 'rejected' && s.reason !== null) out.question.reason = s.reason
    if (s.status === 'approved' && s.isEdited) { out.question.asked = isErased ? '' : s.content; out.question.edited = true }
    if (s.status === 'merged') out.question.merged_into = s.mergedInto
  }
  return out
}

/** A file name for the download: the room's name and the date, safe on every system. */
export function exportFileName (roomName: string, at: number, ext: string): string {
  const d = new Date(at)
  const date = `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`
  const name = roomName.normalize('NFKD').replace(/[^\p{L}\p{N}]+/gu, '-').replace(/^-+|-+$/g, '').slice(0, 40) || 'room'
  return `${name}-${date}.${ext}`
}

/** Local date and time, `YYYY-MM-DD HH:MM` (the host computer's clock is the classroom's). */
export function formatTime (at: number): string {
  const d = new Date(at)
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}`
}

function pad (n: number): string { return String(n).padStart(2, '0') }

/** The token counts Dify reports in `usage`, when present. */
export function tokens (usage: Record<string, unknown> | null): { total: number | null, prompt: number | null, completion: number | null } {
  const num = (v: unknown): number | null => typeof v === 'number' && Number.isFinite(v) ? v : null
  return { total: num(usage?.total_tokens), prompt: num(usage?.prompt_tokens), completion: num(usage?.completion_tokens) }
}
