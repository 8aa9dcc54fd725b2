/**
 * The lesson record as CSV (RFC 4180): one row per message after a header row, UTF-8 with a byte
 * order mark so spreadsheet programs read accents and CJK right. Cells that a spreadsheet would run
 * as a formula (= + - @ first) get a leading apostrophe: a student's message is never executed.
 * @see https://www.rfc-editor.org/rfc/rfc4180
 * @see https://owasp.org/www-community/attacks/CSV_Injection
 */
import type { ExportDocument } from '../protocol/index.js'
import { tokens } from './document.js'

export const CSV_COLUMNS = [
  'id', 'seq', 'session_id', 'time', 'role', 'from_user', 'from_user_id', 'content', 'status', 'reply_to',
  'hidden', 'erased', 'question_status', 'question_votes', 'question_reason', 'asked_ai', 'merged_into',
  'citations', 'total_tokens', 'prompt_tokens', 'completion_tokens', 'stop_reason', 'files'
] as const

export function toCsv (doc: ExportDocument): string {
  const rows: string[] = [CSV_COLUMNS.join(',')]
  for (const m of doc.messages) {
    const t = tokens(m.usage)
    const q = m.question ?? null
    rows.push([
      m.id, m.seq, m.session_id, new Date(m.timestamp).toISOString(), m.role, m.from_user, m.from_user_id ?? '',
      m.content, m.status, m.reply_to ?? '', m.hidden, m.erased === true,
      q?.status ?? '', q?.votes ?? '', q?.reason ?? '', q?.asked ?? '', q?.merged_into ?? '',
      (m.citations ?? []).map(c => c.document_name ?? c.dataset_name ?? '').filter(n => n !== '').join('; '),
      t.total ?? '', t.prompt ?? '', t.completion ?? '', m.stop_reason ?? '',
      (m.files ?? []).map(f => f.file_name).join('; ')
    ].map(cell).join(','))
  }
  return '\uFEFF' + rows.join('\r\n') + '\r\n'
}

function cell (value: string | number | boolean): string {
  let text = String(value)
  if (typeof value === 'string' && /^[=+\-@\t\r]/.test(text)) text = `'${text}`
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text
}
