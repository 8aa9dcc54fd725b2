/**
 * Math in answers: LaTeX between `$$…$$`, `\(…\)` or `\[…\]` is drawn with KaTeX. The KaTeX chunk
 * (its code, CSS and fonts) loads only when an answer has math. A single `$` is never math ("it
 * costs $5 and $10" stays prose). `\(…\)` and `\[…\]` are rewritten to remark-math's `$$` first
 * (Markdown would otherwise read `\(` as an escaped parenthesis); code blocks and code spans are
 * left as they are. An expression nested deeper than KaTeX should be asked to draw stays text.
 */
import type { PluggableList } from 'unified'

/** Deepest brace nesting drawn; deeper stays text (KaTeX recurses per level). */
const MAX_BRACE_DEPTH = 40
/** Longest single expression drawn. */
const MAX_EXPRESSION_CHARS = 4000

/** Math delimiters, display first. */
const PAIRS: ReadonlyArray<readonly [string, string]> = [['$$', '$$'], ['\\[', '\\]'], ['\\(', '\\)']]

/** True when the text has something to draw as math (linear: an opener, then its closer). */
export function hasMath (text: string): boolean {
  return PAIRS.some(([open, close]) => {
    const at = text.indexOf(open)
    return at >= 0 && text.indexOf(close, at + open.length) > at + open.length
  })
}

/** The text with `\(…\)` and `\[…\]` as remark-math's `$$`, outside code; unsafe expressions left alone. */
export function normalizeMath (text: string): string {
  // Split off fenced code blocks and code spans: their backslashes are code.
  return text.split(/(```[\s\S]*?(?:```|$)|`[^`\n]*`)/).map((part, i) => {
    if (i % 2 === 1) return part
    let out = replacePairs(part, '\\[', '\\]', (tex, whole) => isDrawable(tex) ? `\n$$\n${tex.trim()}\n$$\n` : whole)
    out = replacePairs(out, '\\(', '\\)', (tex, whole) => isDrawable(tex) && !tex.includes('\n\n') ? `$$${tex.trim()}$$` : whole)
    // A `$$` expression too deep to draw shows as code.
    return replacePairs(out, '$$', '$$', (tex, whole) => isDrawable(tex) ? whole : `\`${whole.replace(/`/g, '')}\``)
  }).join('')
}

/** Each `open…close` (in order, not nested) replaced by `render(inside, whole)`; linear in the text. */
function replacePairs (text: string, open: string, close: string, render: (inside: string, whole: string) => string): string {
  let out = ''
  let at = 0
  for (;;) {
    const start = text.indexOf(open, at)
    if (start < 0) break
    const end = text.indexOf(close, start + open.length)
    if (end < 0) break
    out += text.slice(at, start) + render(text.slice(start + open.length, end), text.slice(start, end + close.length))
    at = end + close.length
  }
  return out + text.slice(at)
}

function isDrawable (tex: string): boolean {
  if (tex.length > MAX_EXPRESSION_CHARS) return false
  let depth = 0
  for (const ch of tex) {
    if (ch === '{') { if (++depth > MAX_BRACE_DEPTH) return false } else if (ch === '}') depth--
  }
  return true
}

/** KaTeX as rehype plugins, with its CSS: one chunk, loaded on first use. */
let loaded: { remark: PluggableList, rehype: PluggableList } | null = null
let loading: Promise<void> | null = null

export function mathPlugins (): { remark: PluggableList, rehype: PluggableList } | null {
  return loaded
}

export async function loadMath (): Promise<void> {
  loading ??= import('./math-plugins.js').then(m => { loaded = m.MATH_PLUGINS })
  await loading
}
