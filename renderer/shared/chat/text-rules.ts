/** Small text rules of the conversation, kept apart from the components (and unit-tested). */

/** Longer messages are folded to about a phone screen's worth: a whole lesson must not scroll by one post. */
export const FOLD_CHARS = 300
const FOLD_LINES = 8

/** The start of a long text, cut at a word or line (null when it is short enough to show whole). */
export function foldText (text: string): string | null {
  let lines = 0
  let cut = -1
  for (let i = 0; i < text.length && i <= FOLD_CHARS; i++) {
    if (text.charCodeAt(i) === 10 && ++lines >= FOLD_LINES) { cut = i; break }
  }
  if (cut < 0) {
    if (text.length <= FOLD_CHARS * 1.25 && lines < FOLD_LINES) return null
    const space = text.lastIndexOf(' ', FOLD_CHARS)
    cut = space > FOLD_CHARS * 0.7 ? space : FOLD_CHARS
  }
  // Never split a surrogate pair (an emoji).
  const code = text.charCodeAt(cut - 1)
  if (code >= 0xD800 && code <= 0xDBFF) cut--
  return `${text.slice(0, cut).trimEnd()}…`
}

/**
 * The host's reason without the wait it wrote at that moment ("Please wait 17 s."): the page
 * counts down itself, so the text never goes stale.
 */
export function withoutStaticWait (message: string): string {
  return message.replace(/\s*Please wait [^.]*\.\s*$/u, '').trim()
}
