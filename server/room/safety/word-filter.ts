/**
 * The host's word and phrase list (off by default): a message or question that contains one is
 * held for the host or refused with a notice to the sender, before anything reaches the AI.
 * Matching is case-insensitive on NFKC text (full-width letters match too). A Latin word matches
 * only as a whole word ("ass" does not match "class"); a phrase in CJK script matches anywhere,
 * since those scripts do not separate words with spaces.
 */
import { words as en } from './word-lists/en.js'
import { words as zhCN } from './word-lists/zh-CN.js'

export const FILTER_ACTIONS = ['hold', 'refuse'] as const
export type FilterAction = typeof FILTER_ACTIONS[number]
export const STARTER_LISTS = ['en', 'zh-CN'] as const
export type StarterList = typeof STARTER_LISTS[number]

export interface WordFilterSettings {
  isEnabled: boolean
  action: FilterAction
  words: string[]
}

export const DEFAULT_FILTER: WordFilterSettings = { isEnabled: false, action: 'hold', words: [] }
export const MAX_FILTER_WORDS = 2000
export const MAX_FILTER_WORD_LENGTH = 100

export interface WordFilter {
  /** The first listed word or phrase the text contains, or null. */
  match (text: string): string | null
}

/** Compiles a list into one matcher (one regular expression for all entries). */
export function createWordFilter (words: readonly string[]): WordFilter {
  const entries = cleanList(words)
  if (entries.length === 0) return { match: () => null }
  const parts = entries.map(w => {
    const body = escape(w).replace(/\s+/g, '\\s+')
    // Whole words for scripts that space their words; anywhere for CJK.
    const start = /^[\p{L}\p{N}]/u.test(w) && !CJK.test(w[0]!) ? '(?<![\\p{L}\\p{N}])' : ''
    const end = /[\p{L}\p{N}]$/u.test(w) && !CJK.test(w[w.length - 1]!) ? '(?![\\p{L}\\p{N}])' : ''
    return `${start}${body}${end}`
  })
  const pattern = new RegExp(parts.join('|'), 'iu')
  return {
    match (text) {
      const m = pattern.exec(fold(text))
      if (m === null) return null
      const found = m[0].toLowerCase().replace(/\s+/g, ' ')
      return entries.find(e => e === found) ?? found
    }
  }
}

/** Trimmed, folded, without blanks, duplicates or comment lines; at most MAX_FILTER_WORDS. */
export function cleanList (words: readonly string[]): string[] {
  const out = new Set<string>()
  for (const raw of words) {
    const w = fold(raw).trim().replace(/\s+/g, ' ')
    if (w === '' || w.startsWith('#') || w.length > MAX_FILTER_WORD_LENGTH) continue
    out.add(w)
    if (out.size >= MAX_FILTER_WORDS) break
  }
  return [...out]
}

/** A starter list shipped with the host (data: server/room/safety/word-lists/<lang>.ts). */
export function starterList (lang: StarterList): string[] {
  return cleanList(lang === 'en' ? en : zhCN)
}

const CJK = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}]/u

function fold (text: string): string {
  return text.normalize('NFKC').toLowerCase()
}

function escape (text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
}
