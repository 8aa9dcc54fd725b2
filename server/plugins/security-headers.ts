/**
 * One set of security headers on every answer: pages, API answers, SSE streams, static files and
 * errors, the ones the router and Node's parser make included (those never reach a hook, so a
 * per-request middleware such as helmet missed them). The values are helmet's defaults, tightened:
 * frames are refused both ways (`X-Frame-Options: DENY` with `frame-ancestors 'none'`), and the
 * pages connect to their own origin only (`connect-src 'self'` covers the same host's ws: in CSP3).
 * Plain HTTP on a LAN: no HSTS, and no cross-origin isolation that would break LAN addresses.
 * @see https://helmetjs.github.io/
 * @see https://www.w3.org/TR/CSP3/#match-url-to-source-expression
 */
import type { FastifyInstance } from 'fastify'

const CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "script-src-attr 'none'",
  "connect-src 'self'",
  "img-src 'self' data: blob:",
  // read-aloud plays the host's audio from a blob URL
  "media-src 'self' blob:",
  "style-src 'self' 'unsafe-inline'",
  "font-src 'self' data:",
  "object-src 'none'",
  "base-uri 'self'",
  "form-action 'self'",
  "frame-ancestors 'none'"
].join('; ')

/** Every security header, by name (lowercase). */
export const SECURITY_HEADERS: Readonly<Record<string, string>> = Object.freeze({
  'content-security-policy': CSP,
  'cross-origin-resource-policy': 'same-origin',
  'referrer-policy': 'no-referrer',
  'x-content-type-options': 'nosniff',
  'x-dns-prefetch-control': 'off',
  'x-download-options': 'noopen',
  'x-frame-options': 'DENY',
  'x-permitted-cross-domain-policies': 'none',
  'x-xss-protection': '0'
})

/** The headers as raw HTTP lines (`name: value\r\n` each), for answers written to the socket itself. */
export const SECURITY_HEADER_LINES = Object.entries(SECURITY_HEADERS).map(([name, value]) => `${name}: ${value}\r\n`).join('')

/**
 * Sets the headers on the raw response of every request as it arrives (first hook of the root), so
 * answers that bypass Fastify's reply (a hijacked SSE stream) carry them too.
 */
export function registerSecurityHeaders (app: FastifyInstance): void {
  app.addHook('onRequest', (request, reply, done) => {
    setSecurityHeaders(reply.raw)
    done()
  })
}

/** Sets every security header on a response not sent yet. */
export function setSecurityHeaders (res: { setHeader: (name: string, value: string) => unknown, headersSent: boolean }): void {
  if (res.headersSent) return
  for (const [name, value] of Object.entries(SECURITY_HEADERS)) res.setHeader(name, value)
}
