/**
 * `GET /api/admin/export?format=json|md|csv[&session=current|all]`: the lesson record as a download
 * (PROTOCOL.md "Export"). The formatting is pure (server/export/); this route gathers the rows.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { EXPORT_FORMATS, ExportQuery, type ExportDocument, type ExportFormat } from '../../protocol/index.js'
import { Errors } from '../../errors.js'
import type { StoredMessage } from '../../ports.js'
import { buildExportDocument, exportFileName } from '../../export/document.js'
import { toJson } from '../../export/json.js'
import { toMarkdown } from '../../export/markdown.js'
import { toCsv } from '../../export/csv.js'
import { adminPoll } from './polls.js'

const PAGE = 1000
const FORMATS = {
  json: { type: 'application/json; charset=utf-8', write: toJson },
  md: { type: 'text/markdown; charset=utf-8', write: toMarkdown },
  csv: { type: 'text/csv; charset=utf-8', write: toCsv }
} as const

const exportRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { store, room, gate, summary, privacy, feedback, polls, photos } = app.services

  // No response schema: the body is the file itself (errors still go through the error handler).
  app.get('/api/admin/export', { schema: { querystring: ExportQuery } }, async (request, reply) => {
    const { format: name, session = 'current' } = request.query
    if (name === undefined || !(EXPORT_FORMATS as readonly string[]).includes(name)) {
      throw Errors.validation(`format must be one of ${EXPORT_FORMATS.join(', ')} (got ${JSON.stringify(name ?? null)}).`)
    }
    if (session !== 'current' && session !== 'all') {
      throw Errors.validation(`session must be "current" or "all" (got ${JSON.stringify(session)}).`)
    }
    const doc = lessonRecord(session)
    const format = FORMATS[name as ExportFormat]
    request.log.info({ format: name, session, messages: doc.messages.length }, 'lesson exported')
    // The Markdown record is one file that holds the photos themselves, as data URIs.
    const images = name === 'md' ? await photoData(doc) : new Map<string, string>()
    return await reply
      .type(format.type)
      .header('cache-control', 'no-store')
      .header('content-disposition', contentDisposition(exportFileName(doc.room.name, doc.exported_at, name)))
      .send(name === 'md' ? toMarkdown(doc, id => images.get(id) ?? null) : format.write(doc))
  })

  /** The document for the current session or all of them. */
  function lessonRecord (scope: 'current' | 'all'): ExportDocument {
    const sessions = summary.sessions()
    const current = sessions.at(-1)?.id ?? 1
    const erased = new Set(privacy.erasedMessageIds())
    const messages: Array<StoredMessage & { erasedAt: number | null }> = []
    for (let cursor = 0; ;) {
      const page = store.messagesSince(cursor, PAGE)
      for (const m of page) if (scope === 'all' || m.sessionId === current) messages.push({ ...m, erasedAt: erased.has(m.id) ? 1 : null })
      if (page.length < PAGE) break
      cursor = page[page.length - 1]!.seq
    }
    const doc = buildExportDocument({
      room: room.info(),
      sessions: scope === 'all' ? sessions : sessions.filter(s => s.id === current),
      messages,
      questions: gate.list('all'),
      photo: id => photos.file(id),
      feedback: new Map((scope === 'all' ? sessions : sessions.filter(s => s.id === current)).flatMap(s => [...feedback.countsOf(s.id)])),
      now: Date.now()
    })
    // the lesson's polls with every answer (the JSON carries them, the Markdown their results)
    const inScope = polls.list('all').filter(p => scope === 'all' || p.sessionId === current)
    doc.polls = inScope.map(p => {
      const { poll_id: pollId, question, kind, options, correct, status, counts, total, answers, created_at: createdAt, closed_at: closedAt } = adminPoll(polls, p)
      return { poll_id: pollId, session_id: p.sessionId, question, kind, options, correct, status, counts, total, created_at: createdAt, closed_at: closedAt, answers }
    })
    return doc
  }

  /** Every photo of the record as a data URI, read one at a time. */
  async function photoData (doc: ExportDocument): Promise<Map<string, string>> {
    const out = new Map<string, string>()
    for (const m of doc.messages) {
      for (const f of m.files ?? []) {
        const file = await photos.read(f.file_id, 'full')
        if (file !== null) out.set(f.file_id, `data:${file.mimeType};base64,${file.data.toString('base64')}`)
      }
    }
    return out
  }
}

/** RFC 6266: an ASCII fallback and the UTF-8 name (room names may be Chinese). */
function contentDisposition (name: string): string {
  const ascii = name.replace(/[^\x20-\x7e]/g, '_').replace(/["\\]/g, '_')
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(name)}`
}

export default exportRoutes
