/**
 * Caps how deeply an answer can nest before it reaches the Markdown parser. micromark needs time
 * quadratic in the nesting depth and stack linear in it: 3,000 `>` overflow the stack of every
 * page that shows the answer, 100,000 take minutes. Markers past the cap are escaped with a
 * backslash, so they show as the characters they are instead of opening one more level:
 * - a line opens at most 32 containers (`>`, list markers), and none past column 96;
 * - a paragraph nests at most 32 emphasis openers and 32 `[`; a run of more than 32 `*`, `_` or
 *   `~` is text, and so are brackets that pair with nothing and emphasis past 1,000 runs (see
 *   boundInline: these keep micromark's quadratic corners small).
 * Escaping an opener that would never have matched changes nothing on screen; only answers deeper
 * than the cap look different. Inside what looks like a fenced code block the caps are 256, so code
 * keeps its banners and indentation while a disguised "fence" still cannot nest without bound.
 */

/** Containers, emphasis openers and brackets one line or paragraph may nest. */
export const MAX_DEPTH = 32
/** The column past which no list marker or `>` opens a container. */
const MAX_COLUMN = 96
/** The same caps inside fenced code, where markers are usually code (see the module comment). */
const FENCE_DEPTH = 256
const FENCE_COLUMN = 1024

/**
 * `isText`: the line is read for inline Markdown. Inside a (presumed) fence it is code, where an
 * escape would show as a backslash, so only the depth caps apply there.
 */
interface Caps { depth: number, column: number, isText: boolean }
const NORMAL: Caps = { depth: MAX_DEPTH, column: MAX_COLUMN, isText: true }
const IN_FENCE: Caps = { depth: FENCE_DEPTH, column: FENCE_COLUMN, isText: false }

interface Fence { char: string, length: number, quotes: number, column: number | null }

/** `text` with every marker nested past the caps escaped (the same string when there are none). */
export function boundNesting (text: string): string {
  // Markdown ends a line at CR too, so a CR must start a line here as well.
  const lines = text.split(/\r\n?|\n/)
  let fence: Fence | null = null
  let isHtml = false
  let paragraph: number[] = []
  const flush = (): void => {
    if (paragraph.length === 0) return
    const first = paragraph[0]!
    const bounded = boundInline(paragraph.map(i => lines[i]!).join('\n'), NORMAL)
    bounded.split('\n').forEach((line, k) => { lines[first + k] = line })
    paragraph = []
  }
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!
    const prefix = scanPrefix(line)
    if (fence !== null && !isInside(fence, prefix, line)) fence = null
    if (fence !== null) {
      if (closesFence(fence, line.slice(prefix.end))) {
        lines[i] = boundContainers(line, NORMAL)
        fence = null
      } else {
        lines[i] = boundInline(boundContainers(line, IN_FENCE), IN_FENCE)
      }
      continue
    }
    const bounded = boundContainers(line, NORMAL)
    if (isHtml && prefix.end === line.length) isHtml = false
    if (!isHtml && prefix.gap < 4 && opensHtml(line.slice(prefix.end), paragraph.length > 0)) {
      flush()
      isHtml = true
    }
    if (isHtml) {
      // Raw HTML (shown as text) is not read for Markdown: like code.
      lines[i] = boundInline(bounded, IN_FENCE)
      continue
    }
    const opened = opensFence(line, prefix)
    if (opened !== null) {
      flush()
      lines[i] = bounded
      fence = opened
    } else if (prefix.end === line.length || isThematicBreak(line.slice(prefix.end))) {
      // A rule such as 50 `*` stays a rule, so it is kept out of the inline caps.
      flush()
      lines[i] = bounded
    } else if (paragraph.length === 0 && prefix.gap >= 4) {
      // Indented code (four columns in, not continuing a paragraph): code, like a fence.
      lines[i] = boundInline(bounded, IN_FENCE)
    } else {
      lines[i] = bounded
      paragraph.push(i)
    }
  }
  flush()
  return lines.join('\n')
}

// ---------------------------------------------------------------- block containers

/** Escapes the first container marker of `line` that is nested past `caps`. */
function boundContainers (line: string, caps: Caps): string {
  let at = 0
  let column = 0
  let depth = 0
  while (at < line.length) {
    const c = line[at]!
    if (c === ' ') { at++; column++; continue }
    if (c === '\t') { at++; column += 4 - column % 4; continue }
    const end = markerEnd(line, at)
    if (end === -1) return line
    if (depth >= caps.depth || column > caps.column) {
      // An ordered marker is escaped at its `.` or `)`; `>`, `-`, `+` and `*` before themselves.
      const escapeAt = isDigit(c) ? end - 1 : at
      return line.slice(0, escapeAt) + '\\' + line.slice(escapeAt)
    }
    depth++
    column += end - at
    at = end
  }
  return line
}

/** Where the container marker at `at` ends, or -1 when there is none. */
function markerEnd (line: string, at: number): number {
  const c = line[at]!
  if (c === '>') return at + 1
  if ((c === '-' || c === '+' || c === '*') && isGap(line, at + 1)) return at + 1
  if (!isDigit(c)) return -1
  let end = at
  while (end < line.length && end - at < 9 && isDigit(line[end]!)) end++
  const after = line[end]
  return (after === '.' || after === ')') && isGap(line, end + 1) ? end + 1 : -1
}

interface Prefix {
  /** Where the line's content starts (after spaces, `>` and list markers). */
  end: number
  quotes: number
  hasList: boolean
  /** Columns of the content start, and of the spaces right before it. */
  column: number
  gap: number
}

function scanPrefix (line: string): Prefix {
  let at = 0
  let column = 0
  let gap = 0
  let quotes = 0
  let hasList = false
  while (at < line.length) {
    const c = line[at]!
    if (c === ' ' || c === '\t') {
      const width = c === ' ' ? 1 : 4 - column % 4
      column += width
      gap += width
      at++
      continue
    }
    // Four columns in, a marker is not one: the line is indented code (or continues a paragraph).
    if (gap >= 4) break
    const end = markerEnd(line, at)
    if (end === -1) break
    if (c === '>') quotes++
    else hasList = true
    column += end - at
    gap = 0
    at = end
  }
  return { end: at, quotes, hasList, column, gap }
}

// ---------------------------------------------------------------- fenced code (a cautious guess)

function opensFence (line: string, prefix: Prefix): Fence | null {
  // Four spaces make indented code, in which a fence is only text.
  if (prefix.gap >= 4) return null
  const match = /^(`{3,}|~{3,})/.exec(line.slice(prefix.end))
  if (match === null) return null
  const run = match[1]!
  if (run[0] === '`' && line.indexOf('`', prefix.end + run.length) !== -1) return null
  return { char: run[0]!, length: run.length, quotes: prefix.quotes, column: prefix.hasList ? prefix.column : null }
}

/**
 * Whether `line` can still be inside `fence`. Stricter than Markdown (a fence in a list item needs
 * its lines indented as far as the fence itself): a wrong "no" only applies the normal caps to code.
 */
function isInside (fence: Fence, prefix: Prefix, line: string): boolean {
  if (prefix.end === line.length) return true
  if (prefix.quotes < fence.quotes) return false
  return fence.column === null || prefix.column >= fence.column
}

function closesFence (fence: Fence, content: string): boolean {
  let end = 0
  while (content[end] === fence.char) end++
  return end >= fence.length && content.slice(end).trim() === ''
}

// ---------------------------------------------------------------- inline

/**
 * Escapes, in one paragraph:
 * - emphasis openers nested past `caps.depth`, runs of `*`, `_` or `~` longer than it, and every
 *   run past the paragraph's first MAX_RUNS (micromark pairs emphasis in time quadratic in the
 *   runs of one paragraph; a table row is parsed apart, so each starts a new count);
 * - `[` and `]` that pair with nothing, whose pair is more than MAX_LABEL characters away, or
 *   that nest past `caps.depth` (one open `[` makes GFM's autolink and footnote steps walk back
 *   over the whole paragraph at every word: quadratic; they show as the same text escaped).
 * Code spans are skipped.
 * Only the depth caps apply to code (`caps.isText` false) and to bare URLs, where a backslash
 * is not an escape but part of the text. A `]` right after a URL is not part of it, but its
 * backslash would be (GFM reads `https://a.b\]` as one URL, and the `]` stays a closer): the
 * first MAX_URL_CLOSERS of those that close nothing stay as they are; the rest, and those nested
 * too deep, get a hair space before the backslash to end the URL. Every `]` left as a closer
 * makes micromark walk back over the paragraph: 3,000 of them took seconds to draw.
 */
function boundInline (text: string, caps: Caps): string {
  const closers = backtickClosers(text)
  const inUrl = caps.isText ? urlMask(text) : null
  const escaped = new Set<number>()
  // Escapes a reader would never see: what closes nothing, or nests too deep to be shown.
  const escapeText = (from: number, to: number): void => {
    if (inUrl === null || inUrl[from] !== 0) return
    addRange(escaped, from, to)
  }
  // Escapes that get a hair space before them, to end the bare URL they follow.
  const urlEnds = new Set<number>()
  for (const at of bracketsToEscape(text, closers, caps, inUrl, urlEnds)) escaped.add(at)
  let emphasis = 0
  let runs = 0
  for (let at = 0; at < text.length;) {
    const c = text[at]!
    if (c === '\\') { at += 2; continue }
    if (c === '\n' && isTableRow(text, at + 1)) { runs = 0; emphasis = 0 }
    if (c === '`') {
      const end = runEnd(text, at)
      // A run that closes nothing stays as it is: micromark looks ahead once per distinct length,
      // and an escaped backtick can still close a span (a backslash is text inside one).
      at = closers.get(at) ?? end
      continue
    }
    if (c === '*' || c === '_' || c === '~') {
      const end = runEnd(text, at)
      const before = text[at - 1]
      const after = text[end]
      const canClose = before !== undefined && !isSpace(before)
      const canOpen = after !== undefined && !isSpace(after)
      runs++
      if (end - at > caps.depth) addRange(escaped, at, end)
      else if (runs > MAX_RUNS) escapeText(at, end)
      else if (canClose && emphasis > 0) emphasis--
      else if (canOpen) {
        if (emphasis >= caps.depth) addRange(escaped, at, end)
        else emphasis++
      }
      at = end
      continue
    }
    at++
  }
  if (escaped.size === 0) return text
  const out: string[] = []
  let last = 0
  for (const at of [...escaped].sort((a, b) => a - b)) {
    out.push(text.slice(last, at), urlEnds.has(at) ? HAIR_SPACE + '\\' : '\\')
    last = at
  }
  out.push(text.slice(last))
  return out.join('')
}

/** Emphasis runs one paragraph (or table row) may pair; later ones are text. */
const MAX_RUNS = 1000
/** The longest link text, in characters, that still makes a link. */
const MAX_LABEL = 2000
/** The `]` right after a bare URL that one paragraph keeps unescaped (see boundInline). */
const MAX_URL_CLOSERS = 64
/** Whitespace to GFM, so it ends a bare URL, and next to invisible. */
const HAIR_SPACE = '\u200A'

/**
 * The positions of the `[` and `]` to escape (see boundInline), outside code spans; `inUrl` null
 * means code, where only the depth cap applies.
 */
function bracketsToEscape (text: string, closers: Map<number, number>, caps: Caps, inUrl: Uint8Array | null, urlEnds: Set<number>): number[] {
  const out: number[] = []
  const open: number[] = []
  const isText = (at: number): boolean => inUrl !== null && inUrl[at] === 0
  const isCloserText = (at: number): boolean => inUrl !== null && inUrl[at] !== IN_URL
  let urlClosers = 0
  // A `]` right after a URL: a backslash would join the URL, so a hair space ends the URL first.
  const escapeCloser = (at: number, always: boolean): void => {
    if (inUrl === null || inUrl[at - 1] !== IN_URL) {
      out.push(at)
    } else if (always || ++urlClosers > MAX_URL_CLOSERS) {
      out.push(at)
      urlEnds.add(at)
    }
  }
  for (let at = 0; at < text.length;) {
    const c = text[at]!
    if (c === '\\') { at += 2; continue }
    if (c === '`' && inUrl !== null) { at = closers.get(at) ?? runEnd(text, at); continue }
    if (c === '[') open.push(at)
    else if (c === ']') {
      const start = open.pop()
      if (start === undefined) {
        if (isCloserText(at)) escapeCloser(at, false)
      } else if (open.length >= caps.depth) {
        out.push(start)
        if (isCloserText(at)) escapeCloser(at, true)
        else out.push(at)
      } else if (at - start > MAX_LABEL && isText(start)) {
        // The escaped `[` alone unmakes the link (an open one makes every later URL walk back).
        out.push(start)
        if (isCloserText(at)) escapeCloser(at, false)
      }
    }
    at++
  }
  for (const at of open) if (isText(at)) out.push(at)
  return out
}

/** Where bare URLs are, for each character of a paragraph (see urlMask). */
const IN_URL = 1
const AFTER_URL = 2

/**
 * IN_URL where a bare URL runs: from its `://` or `www.` to the next space or `<`, or to a `]`
 * that GFM reads as the URL's end (followed by `(`, `[`, a space or the end: `https://a.b](…)`
 * ends a link's text). GFM links it as it is, so a backslash there would show. AFTER_URL from
 * such a `]` to the next space: text, but an escape there can move the URL's end (`]\[` no longer
 * ends it), so only closers are escaped there. Found with regexes that cannot backtrack.
 */
function urlMask (text: string): Uint8Array {
  const mask = new Uint8Array(text.length)
  for (const match of text.matchAll(/(?::\/\/|www\.)\S*/g)) mask.fill(AFTER_URL, match.index, match.index + match[0].length)
  for (const match of text.matchAll(/(?::\/\/|www\.)(?:[^\s<\]]|\](?=[^\s([]))*/g)) mask.fill(IN_URL, match.index, match.index + match[0].length)
  return mask
}

/** Whether the line starting at `at` looks like a table row (it starts with a pipe). */
function isTableRow (text: string, at: number): boolean {
  let i = at
  while (text[i] === ' ') i++
  return text[i] === '|'
}

/** A table's delimiter row (`|---|:-:|`), which makes the lines around it a table. */
const DELIMITER_ROW = /^ {0,3}\|?[ \t]*:?-+:?[ \t]*\|/m

function addRange (set: Set<number>, from: number, to: number): void {
  for (let i = from; i < to; i++) set.add(i)
}

/**
 * For each backtick run that opens a code span, where its closing run ends: the next run of the
 * same length (CommonMark's rule), found in one pass. A table row's cells are parsed apart, so
 * spans there end at a pipe (on a line that starts with one, beside a `|---|` row); a span longer than
 * MAX_LABEL counts as none, so text between two distant backticks never escapes the caps.
 */
function backtickClosers (text: string): Map<number, number> {
  // `isEscaped`: a backslash before it, so its first backtick is text and only the rest can open
  // a span; a backslash does not escape inside a span, so the whole run can close one.
  const runs: Array<{ at: number, end: number, segment: number, isEscaped: boolean }> = []
  let segment = 0
  const isTable = DELIMITER_ROW.test(text)
  let isRow = isTable && isTableRow(text, 0)
  for (let at = 0; at < text.length;) {
    const c = text[at]
    if (c === '\\' && text[at + 1] !== '`') { at += 2; continue }
    if (c === '\n') isRow = isTable && isTableRow(text, at + 1)
    if (c === '|' && isRow) segment++
    const isEscaped = c === '\\'
    if (isEscaped) at++
    else if (c !== '`') { at++; continue }
    const end = runEnd(text, at)
    runs.push({ at, end, segment, isEscaped })
    at = end
  }
  const next = new Map<number, number>()
  let nextOfLength = new Map<number, number>()
  for (let i = runs.length - 1; i >= 0; i--) {
    const run = runs[i]!
    if (i === runs.length - 1 || runs[i + 1]!.segment !== run.segment) nextOfLength = new Map()
    const length = run.end - run.at
    const following = nextOfLength.get(run.isEscaped ? length - 1 : length)
    if (following !== undefined) next.set(i, following)
    nextOfLength.set(length, i)
  }
  const closers = new Map<number, number>()
  for (let i = 0; i < runs.length;) {
    const partner = next.get(i)
    if (partner === undefined || runs[partner]!.at - runs[i]!.end > MAX_LABEL) { i++; continue }
    const run = runs[i]!
    closers.set(run.isEscaped ? run.at + 1 : run.at, runs[partner]!.end)
    i = partner + 1
  }
  return closers
}

/**
 * Whether a line opens an HTML block (CommonMark's kinds 1 to 7; each is taken to end at a blank
 * line). Kind 7, a complete tag alone on its line, cannot interrupt a paragraph.
 */
function opensHtml (content: string, isInParagraph: boolean): boolean {
  if (content[0] !== '<') return false
  if (HTML_START.test(content)) return true
  return !isInParagraph && HTML_TAG_LINE.test(content)
}

const HTML_BLOCK_NAMES = 'address|article|aside|base|basefont|blockquote|body|caption|center|col|colgroup|dd|details|' +
  'dialog|dir|div|dl|dt|fieldset|figcaption|figure|footer|form|frame|frameset|h[1-6]|head|header|hr|html|iframe|' +
  'legend|li|link|main|menu|menuitem|nav|noframes|ol|optgroup|option|p|param|search|section|summary|table|tbody|' +
  'td|tfoot|th|thead|title|tr|track|ul'
const HTML_START = new RegExp(`^<(?:(?:script|pre|style|textarea)(?:[\\s>]|$)|!--|\\?|![a-z]|!\\[CDATA\\[|/?(?:${HTML_BLOCK_NAMES})(?:[\\s>]|/>|$))`, 'i')
const HTML_TAG_LINE = /^<\/?[a-z][a-z\d-]*(?:\s+[a-z_:][\w.:-]*(?:\s*=\s*(?:"[^"]*"|'[^']*'|[^\s"'=<>`]+))?)*\s*\/?>\s*$/i

function isThematicBreak (content: string): boolean {
  return /^([*_-])(?:[ \t]*\1){2,}[ \t]*$/.test(content)
}

function runEnd (text: string, at: number): number {
  const c = text[at]
  let end = at
  while (text[end] === c) end++
  return end
}

function isGap (line: string, at: number): boolean {
  return at >= line.length || line[at] === ' ' || line[at] === '\t'
}

function isSpace (c: string): boolean {
  return c === ' ' || c === '\t' || c === '\n'
}

function isDigit (c: string): boolean {
  return c >= '0' && c <= '9'
}
