/**
 * The lesson record as a readable Markdown transcript: per session its summary, then who said what
 * and when, each answer under its question with its sources and tokens. Hidden messages keep their
 * text, marked; a question the host did not take says so, with the reason.
 */
import type { ExportDocument, ExportMessage } from '../protocol/index.js'
import { formatTime, tokens } from './document.js'

export function toMarkdown (doc: ExportDocument): string {
  const out: string[] = [`# ${escapeLine(doc.room.name)} — lesson record`, '', `Exported ${formatTime(doc.exported_at)} · ${doc.messages.length} messages`, '']
  const bySession = new Map<number, ExportMessage[]>()
  for (const m of doc.messages) {
    const list = bySession.get(m.session_id)
    if (list === undefined) bySession.set(m.session_id, [m])
    else list.push(m)
  }
  for (const s of doc.sessions) {
    const messages = bySession.get(s.id) ?? []
    out.push(`## Lesson ${s.id} — ${formatTime(s.started_at)}`, '')
    if (s.summary !== null) out.push('### Summary', '', s.summary.trim(), '')
    out.push('### Transcript', '')
    if (messages.length === 0) out.push('_No messages._', '')
    for (const m of messages) out.push(...renderMessage(m), '')
  }
  return out.join('\n').replace(/\n{3,}/g, '\n\n')
}

function renderMessage (m: ExportMessage): string[] {
  const time = formatTime(m.timestamp).slice(11)
  const marks: string[] = []
  if (m.hidden) marks.push('hidden by the host')
  if (m.erased === true) marks.push('removed at the participant\'s request')
  if (m.role === 'user') {
    const q = m.question
    if (q != null) {
      if (q.status === 'pending') marks.push(`question not decided (${q.votes} votes)`)
      if (q.status === 'approved') marks.push(q.edited === true ? `asked the AI, edited by the host to: “${oneLine(q.asked ?? '')}”` : 'asked the AI')
      if (q.status === 'rejected') marks.push(q.reason === undefined ? 'question not taken' : `question not taken: ${oneLine(q.reason)}`)
      if (q.status === 'merged') marks.push(`merged into message ${q.merged_into ?? ''}`)
      if (q.status !== 'pending' && q.votes > 0) marks.push(`${q.votes} votes`)
    }
    const head = `**${escapeLine(m.from_user)}** · ${time}${marks.length > 0 ? ` _(${marks.join('; ')})_` : ''}`
    return [head, '', m.erased === true ? '_[removed]_' : m.content]
  }
  if (m.stop_reason === 'length') marks.push(`cut at the answer limit of ${(m.cut_at_chars ?? 0).toLocaleString('en-US')} characters`)
  else if (m.status !== 'complete') marks.push(m.status)
  const lines = [`**AI** · ${time}${marks.length > 0 ? ` _(${marks.join('; ')})_` : ''}`, '']
  lines.push(...(m.erased === true ? '_[removed]_' : m.content).split('\n').map(l => `> ${l}`))
  const sources = (m.citations ?? []).map(c => c.document_name ?? c.dataset_name ?? null).filter((n): n is string => n !== null && n !== '')
  if (sources.length > 0) lines.push('', `Sources: ${[...new Set(sources)].map(escapeLine).join('; ')}`)
  const t = tokens(m.usage)
  if (t.total !== null) lines.push('', `_Tokens: ${t.total}${t.prompt !== null && t.completion !== null ? ` (question ${t.prompt}, answer ${t.completion})` : ''}_`)
  return lines
}

function oneLine (text: string): string { return text.replace(/\s+/g, ' ').trim() }

/** A name or title on one line: no Markdown heading or emphasis breaks out of it. */
function escapeLine (text: string): string { return oneLine(text).replace(/([\\*_`[\]#<>])/g, '\\$1') }
