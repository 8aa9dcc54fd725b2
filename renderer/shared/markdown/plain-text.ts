/**
 * Most chat answers and welcome texts are plain sentences. Those render as paragraphs straight
 * away, with no Markdown renderer downloaded or run; anything that could be Markdown (or a GFM
 * autolink) goes to the real renderer. The test is deliberately cautious: a false "Markdown" only
 * costs a download, a false "plain" would show syntax as text.
 */

// Inline syntax, escapes, entities, HTML tags, autolinks (also GFM's bare e-mail addresses) and NUL
// (Markdown replaces it). A lone `&`, `<`, `!`, `#` or `@` in a sentence ("Q&A", "3 < 5", "@ai") is plain.
const INLINE = /[\\`*_[\]~|\0]|&(?:#\d+|#x[\da-f]+|[a-z][\da-z]*);|<[a-z/!?]|https?:|www\.|mailto:|xmpp:|[\w.+-]@/i
// Line starts that open a block (lists, quotes, headings, rules, setext underlines, indented code)
// and the two trailing spaces of a hard line break (exactly two: ` {2,}$` retries every space of a
// long run, quadratic on a line of 50,000 spaces).
const BLOCK = /^(?: {0,3}(?:[-+=>#\t:]|\d{1,9}[.)])| {4})| {2}$/m

/** True when `text` renders the same with or without a Markdown parser. */
export function isPlainText (text: string): boolean {
  return !INLINE.test(text) && !BLOCK.test(text)
}

/**
 * The paragraphs Markdown would make of plain text: split at blank lines, each line trimmed (a
 * soft line break stays a newline, which the browser shows as a space, as Markdown does).
 */
export function plainParagraphs (text: string): string[] {
  return text.split(/\n[ \t]*\n/)
    .map(block => block.split('\n').map(line => line.trim()).filter(line => line !== '').join('\n'))
    .filter(block => block !== '')
}
