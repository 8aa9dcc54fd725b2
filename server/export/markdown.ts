/**
 * The lesson record as a readable Markdown transcript: per session its summary, then who said what
 * and when, each answer under its question with its sources and tokens. Hidden messages keep their
 * text, marked; every question that went to the AI says so, and so does every decision of the
 * host's gate (a question not taken, with the reason). Nobody's text can forge a line of the record:
 * participants' messages are escaped as the plain text they are, the AI's answers and the summary
 * are quoted and defused (markdown-escape.ts says how and why).
 */
import type { ExportDocument, ExportMessage, ExportPoll } from '../protocol/index.js'
import { formatTime, tokens } from './document.js'
import { escapePlainText, escapeTags, neutralizeMarkdown } from './markdown-escape.js'

/**
 * `image` gives a photo's bytes as a data URI, so the one downloaded file holds the photos
 * themselves (the cleaned copies); without it a photo is named by its file in the data folder.
 */
export function toMarkdown (doc: ExportDocument, image: (fileId: string) => string | null = () => null): string {
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
    if (s.summary !== null) out.push('### Summary', '', ...quote(s.summary.trim()), '')
    out.push('### Transcript', '')
    if (messages.length === 0) out.push('_No messages._', '')
    for (const m of messages) out.push(...renderMessage(m, image), '')
    const polls = (doc.polls ?? []).filter(p => p.session_id === s.id)
    if (polls.length > 0) out.push('### Polls', '')
    for (const p of polls) out.push(...renderPoll(p), '')
  }
  return out.join('\n').replace(/\n{3,}/g, '\n\n')
}

/** A poll's results: each option with its count (✓ the right ones), or the open answers' texts. */
function renderPoll (p: ExportPoll): string[] {
  const lines = [`**Poll:** ${escapeLine(p.question)} _(${p.status === 'open' ? 'still open' : 'closed'}; ${p.total} answered)_`, '']
  if (p.kind === 'open') {
    for (const a of p.answers) if (a.text !== undefined && a.text !== '') lines.push(`- ${escapeLine(a.text)}`)
    if (p.answers.length === 0) lines.push('_No answers._')
    return lines
  }
  p.options.forEach((o, i) => {
    lines.push(`- ${escapeLine(o)}${p.correct.includes(i) ? ' ✓' : ''}: ${p.counts[i] ?? 0}`)
  })
  return lines
}

function renderMessage (m: ExportMessage, image: (fileId: string) => string | null): string[] {
  const time = formatTime(m.timestamp).slice(11)
  const marks: string[] = []
  if (m.hidden) marks.push('hidden by the host')
  if (m.erased === true) marks.push('removed at the participant\'s request')
  if (m.role === 'user') {
    const q = m.question
    if (q != null) {
      if (q.status === 'pending') marks.push(`question not decided (${q.votes} votes)`)
      // the host's decision: an edit is made when approving
      if (q.status === 'approved') marks.push(q.edited === true ? `asked the AI, edited by the host to: “${escapeLine(q.asked ?? '')}”` : 'asked the AI, approved by the host')
      if (q.status === 'rejected') marks.push(q.reason === undefined ? 'question not taken' : `question not taken: ${escapeLine(q.reason)}`)
      if (q.status === 'merged') marks.push(`merged into message ${q.merged_into ?? ''}`)
      if (q.status !== 'pending' && q.votes > 0) marks.push(`${q.votes} votes`)
    } else if (m.asks_ai === true) {
      // asked straight away (mention or all mode, or the host's own question)
      marks.push('asked the AI')
    }
    const head = `**${escapeLine(m.from_user)}** · ${time}${marks.length > 0 ? ` _(${marks.join('; ')})_` : ''}`
    const photos = (m.files ?? []).map((f, i) => {
      const alt = `Photo ${i + 1} from ${escapeLine(m.from_user)}`
      const uri = image(f.file_id)
      return uri === null ? `_[${alt}: ${escapeLine(f.file_name)}]_` : `![${alt}](${uri})`
    })
    const text = m.erased === true ? ['_[removed]_'] : m.content === '' ? [] : [escapePlainText(m.content)]
    return [head, ...photos.flatMap(p => ['', p]), ...text.flatMap(t => ['', t])]
  }
  if (m.stop_reason === 'length') marks.push(`cut at the answer limit of ${(m.cut_at_chars ?? 0).toLocaleString('en-US')} characters`)
  else if (m.status !== 'complete') marks.push(m.status)
  const lines = [`**AI** · ${time}${marks.length > 0 ? ` _(${marks.join('; ')})_` : ''}`, '']
  lines.push(...(m.erased === true ? ['> _[removed]_'] : quote(m.content)))
  const sources = (m.citations ?? []).map(c => c.document_name ?? c.dataset_name ?? null).filter((n): n is string => n !== null && n !== '')
  if (sources.length > 0) lines.push('', `Sources: ${[...new Set(sources)].map(escapeLine).join('; ')}`)
  const t = tokens(m.usage)
  if (t.total !== null) lines.push('', `_Tokens: ${t.total}${t.prompt !== null && t.completion !== null ? ` (question ${t.prompt}, answer ${t.completion})` : ''}_`)
  return lines
}

function oneLine (text: string): string { return text.replace(/\s+/g, ' ').trim() }

/** The AI's Markdown in a blockquote, defused: it reads as the AI's words and forges nothing. */
function quote (text: string): string[] { return neutralizeMarkdown(text).map(l => l === '' ? '>' : `> ${l}`) }

/** A name or title on one line: no Markdown heading or emphasis breaks out of it. */
function escapeLine (text: string): string { return escapeTags(oneLine(text).replace(/([\\*_`[\]#>&|~])/g, '\\$1'), /</g) }
