/**
 * One audit entry as a sentence ("Muted Kim for 5 minutes"): the catalogue has one sentence per
 * action (t.audit.say), which reads the entry's details through `AuditWords`; an action the
 * catalogue does not know reads as its code, so a newer server's entries still show.
 */
import type { AuditEntry } from '../../../server/protocol/index.js'

/** What a sentence may read from an entry: who it was about and its details, typed on read. */
export interface AuditWords {
  /** the person it was about ("Kim"), else the target ("#12"), else '' */
  who: string
  target: string | null
  n (key: string): number | null
  s (key: string): string | null
  b (key: string): boolean
  has (key: string): boolean
  list (key: string): string[]
}

export type AuditSentence = (w: AuditWords) => string

/** The name the detail carries (who it was about); else the target id; else ''. */
export function targetText (target: string | null, detail: Record<string, unknown> | null): string {
  const name = detail?.username ?? detail?.from_user
  if (typeof name === 'string' && name !== '') return name
  return target === null ? '' : `#${target}`
}

export function auditWords (e: Pick<AuditEntry, 'target' | 'detail'>): AuditWords {
  const d = e.detail ?? {}
  return {
    who: targetText(e.target, e.detail),
    target: e.target,
    n: k => typeof d[k] === 'number' ? d[k] : null,
    s: k => typeof d[k] === 'string' ? d[k] : null,
    b: k => d[k] === true,
    has: k => d[k] !== undefined,
    list: k => Array.isArray(d[k]) ? d[k].filter((x): x is string => typeof x === 'string') : []
  }
}

/** The entry as one sentence in the console's language. */
export function auditSentence (e: Pick<AuditEntry, 'action' | 'target' | 'detail'>, say: Record<string, AuditSentence>): string {
  const sentence = say[e.action]
  return sentence === undefined ? e.action : sentence(auditWords(e))
}
