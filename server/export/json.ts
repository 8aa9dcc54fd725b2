/** The lesson record as JSON: the document itself, indented for people who open it. */
import type { ExportDocument } from '../protocol/index.js'

export function toJson (doc: ExportDocument): string {
  return JSON.stringify(doc, null, 2) + '\n'
}
