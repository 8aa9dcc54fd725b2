/**
 * The one error catalogue: every error is made from `Errors`, every code it uses has one status,
 * and docs/errors.md lists exactly the catalogue's codes with those statuses.
 */
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { readdirSync, readFileSync, statSync } from 'node:fs'
import { join, relative } from 'node:path'
import { fileURLToPath } from 'node:url'
import { AppError, ErrorCode, Errors, ErrorStatus } from '../../server/errors.js'

const ROOT = fileURLToPath(new URL('../..', import.meta.url))
/** Codes of other libraries the server compares against (never made by the host). */
const FOREIGN_CODES = new Set([
  'ERR_LISTEN', // server/listen.ts: a listen failure's own code when Node gives none
  'ERR_HTTP_REQUEST_TIMEOUT', // Node's http server
  // the pages' own, never sent by the host
  'ERR_NETWORK', // renderer/shared/api.ts: the page could not reach the host
  'ERR_NOT_SENT' // renderer/shared/chat/outbox.ts: a chat not sent yet
])

function sources (dir: string, ext: RegExp): string[] {
  return readdirSync(dir).flatMap(name => {
    const path = join(dir, name)
    if (statSync(path).isDirectory()) return sources(path, ext)
    return ext.test(name) ? [path] : []
  })
}

const serverFiles = sources(join(ROOT, 'server'), /\.ts$/).filter(f => !f.endsWith(join('server', 'errors.ts')))
const pageFiles = sources(join(ROOT, 'renderer'), /\.tsx?$/)

test('the server makes every error from the catalogue, never by hand', () => {
  const byHand = serverFiles.filter(f => /new AppError\(/.test(readFileSync(f, 'utf8'))).map(f => relative(ROOT, f))
  assert.deepEqual(byHand, [], 'use Errors.<name>(…) from server/errors.ts')
})

test('every error code named in the server or the pages is a catalogue code', () => {
  const known = new Set<string>(Object.values(ErrorCode))
  const unknown: string[] = []
  for (const f of [...serverFiles, ...pageFiles]) {
    for (const [, code] of readFileSync(f, 'utf8').matchAll(/['"`](ERR_[A-Z0-9_]*[A-Z0-9])['"`]/g)) {
      // A prefix (`code.startsWith('ERR_PIN')`) must start some catalogue code.
      const isPrefixOfOne = [...known].some(k => k.startsWith(`${code!}_`))
      if (!known.has(code!) && !FOREIGN_CODES.has(code!) && !isPrefixOfOne) unknown.push(`${relative(ROOT, f)}: ${code}`)
    }
  }
  assert.deepEqual(unknown, [])
})

test('each catalogue error carries its code\'s one status, and every code is made by some error', () => {
  const made = new Set<string>()
  for (const [name, def] of Object.entries(Errors)) {
    assert.equal(def.statusCode, ErrorStatus[def.code], name)
    made.add(def.code)
  }
  const unused = Object.values(ErrorCode).filter(code => !made.has(code))
  assert.deepEqual(unused, [], 'a code no error uses belongs out of the catalogue')
  const e = Errors.muted(4).with({ retryAfterMs: 1000 })
  assert.ok(e instanceof AppError)
  assert.deepEqual([e.code, e.statusCode, e.message, e.retryAfterMs], ['ERR_MUTED', 403, 'The host has muted you for 4 more minutes.', 1000])
})

test('docs/errors.md lists exactly the catalogue\'s codes, each with its status', () => {
  const table = new Map<string, number>()
  for (const [, code, status] of readFileSync(join(ROOT, 'docs/errors.md'), 'utf8').matchAll(/^\| `(ERR_[A-Z_]+)` \| (\d{3}) \|/gm)) {
    table.set(code!, Number(status))
  }
  assert.deepEqual([...table.keys()].sort(), Object.keys(ErrorStatus).sort())
  for (const [code, status] of Object.entries(ErrorStatus)) assert.equal(table.get(code), status, code)
})
