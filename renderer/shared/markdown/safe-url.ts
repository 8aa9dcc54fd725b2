/**
 * Link policy for AI answers: only http(s) and mailto URLs survive; everything else
 * (`javascript:`, `data:`, `vbscript:`, relative paths) becomes an empty string and renders as text.
 */
const ALLOWED = /^(https?:|mailto:)/i

/** `urlTransform` for react-markdown. */
export function safeUrl (url: string): string {
  // Browsers ignore tabs, newlines and leading spaces/controls in URLs: so must the check.
  // eslint-disable-next-line no-control-regex -- stripping exactly what URL parsing ignores
  const cleaned = url.replace(/[\u0000-\u0020\u007F-\u009F]/g, '')
  if (!ALLOWED.test(cleaned)) return ''
  try {
    const parsed = new URL(cleaned)
    return parsed.protocol === 'http:' || parsed.protocol === 'https:' || parsed.protocol === 'mailto:' ? parsed.href : ''
  } catch {
    return ''
  }
}
