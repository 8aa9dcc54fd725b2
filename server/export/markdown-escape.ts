/**
 * Text from participants and from the AI, made safe to put into the Markdown lesson record: it can
 * make no heading, no speaker line ("**Host** · 22:01") and no raw HTML, so nothing in the record is
 * there that did not happen. Two schemes, because the room shows the two differently:
 *
 * - A participant's message is plain text in the room, so it is plain text in the record: every
 *   character that Markdown gives a meaning to is backslash-escaped (CommonMark §2.4: any ASCII
 *   punctuation may be), `<` becomes `&lt;`, and so are the line-start constructs that live in
 *   otherwise harmless characters (list numbers, setext underlines). It reads exactly as typed.
 * - The AI writes Markdown, and its lists, tables, emphasis and code should stay readable. Its text
 *   is put in a blockquote by the caller (every line prefixed), and inside it: headings become bold
 *   lines (their `#` is escaped instead where the line is indented or quoted), a setext underline
 *   gets a blank line before it (a thematic break, not a heading), `<` that could open a tag becomes
 *   `&lt;`, and a code fence left open is closed so the rest of the record is not swallowed. Fenced
 *   code that opens at column 0 is left exactly as written.
 *
 * Why this is sound without a Markdown parser on the server: a heading needs `#` (or a setext
 * underline) where only container markers (`>`, list markers, footnote labels) and spaces precede
 * it, and raw HTML needs a literal `<` followed by a letter, `/`, `!` or `?` (CommonMark §4.2, §4.3,
 * §4.6, §6.6). Every such line is rewritten, except inside a fence that opens at column 0: such a
 * line always opens a fenced code block (a fence interrupts a paragraph, is never a lazy
 * continuation, and ends any list item or nested quote), and the block only ends at a closing fence
 * matched by the same rule as here (or at the end of the quote). The price, inside code these rules
 * cannot follow (a fence in a list item or a nested quote, indented code, inline code): a line-start
 * `#` shows a backslash, a `<` before a letter shows as `&lt;`, and an underline-like line gets a
 * blank line before it. A blemish in some answers, never a forged line. Checked against micromark
 * (CommonMark and GFM) in test/server/export-markdown.test.ts, with random text too.
 */

/** Plain text (a participant's message): every Markdown construct is escaped; line breaks are kept. */
export function escapePlainText (text: string): string {
  const lines = splitLines(text).map(line => {
    // Leading spaces mean nothing in a paragraph but would turn the line into code that shows the escapes.
    let out = escapeTags(line.trim().replace(/[\\`*_[\]>#|~&]/g, '\\$&'), /</g)
    // Line-start constructs made of characters that are harmless elsewhere: lists and underlines.
    out = out.replace(/^([-+])(?=[ \t]|$)/, '\\$1').replace(/^(\d{1,9})([.)])(?=[ \t]|$)/, '$1\\$2')
    if (/^(?:=+|-+)$/.test(out)) out = `\\${out}`
    return out
  })
  // A backslash at the end of a line is a hard break: the lines stay lines, as the room showed them.
  return lines.map((line, i) => line !== '' && (lines[i + 1] ?? '') !== '' ? `${line}\\` : line).join('\n')
}

/**
 * The AI's Markdown, as the lines to put in a blockquote: no heading, no raw HTML, no open fence.
 * The caller prefixes each line with `> `.
 */
export function neutralizeMarkdown (text: string): string[] {
  const out: string[] = []
  let fence: { closing: RegExp, marker: string } | null = null
  let blankAfter: string | null = null
  for (const line of splitLines(text)) {
    if (blankAfter !== null && fence === null) {
      if (!isBlank(line)) out.push(blankAfter)
      blankAfter = null
    }
    if (fence !== null) {
      out.push(line)
      if (fence.closing.test(line)) fence = null
      continue
    }
    const open = FENCE_OPEN.exec(line)
    if (open !== null) {
      const marker = open[1] ?? open[2]!
      fence = { marker, closing: new RegExp(`^ {0,3}${marker[0]}{${marker.length},}[ \\t]*$`) }
      out.push(line)
      continue
    }
    const prefix = CONTAINER_PREFIX.exec(line)![0]
    const rest = line.slice(prefix.length)
    const blank = prefix.replace(/[^>]/g, '')
    if (/^#{1,6}(?:[ \t]|$)/.test(rest) && !AT_COLUMN_0.test(prefix)) {
      // indented or quoted: perhaps code in a list item or a nested quote, where a bold line would change it
      out.push(escapeTags(`${prefix}\\${rest}`))
      continue
    }
    if (/^#{1,6}(?:[ \t]|$)/.test(rest)) {
      const title = rest.replace(/^#{1,6}[ \t]*/, '').replace(/(?:^|[ \t]+)#+[ \t]*$/, '').trim()
      // a line of its own, as the heading was: blank lines keep it out of the paragraphs around it
      if (out.length > 0 && !isBlank(out.at(-1)!)) out.push(blank)
      out.push(escapeTags(prefix + (title === '' ? '' : `**${title}**`)))
      blankAfter = blank
      continue
    } else if ((UNDERLINE.test(rest) || UNDERLINE.test(line.replace(QUOTE_PREFIX, ''))) && out.length > 0 && !isBlank(out.at(-1)!)) {
      // not an underline any more: "===" is text and "---" a thematic break after a blank line
      // ("- " is one too: an empty list item cannot interrupt a paragraph)
      out.push(blank)
    }
    out.push(escapeTags(prefix + rest))
  }
  if (fence !== null) out.push(fence.marker)
  return out
}

/** A fence that opens at column 0 (CommonMark §4.5); a backtick fence's info string has no backtick. */
const FENCE_OPEN = /^(`{3,})[^`]*$|^(~{3,})/
/** What may stand before a block's first character on a line: spaces, tabs, `>`, list markers and GFM footnote labels. */
const CONTAINER_PREFIX = /^(?:[ \t]*(?:>|(?:[-+*]|\d{1,9}[.)])(?=[ \t])|\[\^[^\]]*\]:))*[ \t]*/

const QUOTE_PREFIX = /^(?:[ \t]*>)*[ \t]*/
const UNDERLINE = /^(?:=+|-+)[ \t]*$/
/** A line that starts at column 0 (at most a list marker before it) and is not in the fence above is no code. */
const AT_COLUMN_0 = /^(?:(?:[-+*]|\d{1,9}[.)])[ \t]+)?$/

/**
 * `<` as an entity, not `\<`: a GFM autolink literal ("http://x\<img …") takes the backslash into
 * its URL and would leave the `<` bare. An entity is never a tag, wherever it stands.
 */
export function escapeTags (line: string, what = /<(?=[A-Za-z/!?])/g): string { return line.replace(what, '&lt;') }

function isBlank (line: string): boolean { return /^[ \t>]*$/.test(line) }

/** CommonMark's line endings: LF, CRLF and a lone CR. */
function splitLines (text: string): string[] { return text.split(/\r\n|\r|\n/) }
