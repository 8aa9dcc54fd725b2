#!/usr/bin/env node
/**
 * Compiles the server to out/server only when needed (missing, or older than a file under server/
 * or the TypeScript settings), so that `npm run serve` runs plain JavaScript with no TypeScript
 * runtime. Prints one line either way. Plain Node, no dependencies.
 */
import { spawnSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import { dirname, join, relative } from 'node:path'
import { fileURLToPath } from 'node:url'
import { builtAt, findNewer } from './find-newer.mjs'

const root = join(dirname(fileURLToPath(import.meta.url)), '..')
const output = join(root, 'out/server/start.js')
const sources = ['server', 'tsconfig.server.json', 'tsconfig.base.json'].map(p => join(root, p))

const at = builtAt(output)
const newer = findNewer(sources, at)
if (at !== -Infinity && newer === null) {
  console.log('server build: up to date (out/server)')
  process.exit(0)
}

const reason = at === -Infinity ? 'no build yet' : `${relative(root, newer)} changed`
console.log(`server build: compiling (${reason})…`)
const tsc = join(root, 'node_modules/typescript/bin/tsc')
if (!existsSync(tsc)) {
  console.error('server build: TypeScript is not installed; run `npm ci` first (it installs the build tools).')
  process.exit(1)
}
const result = spawnSync(process.execPath, [tsc, '-p', 'tsconfig.server.json'], { cwd: root, stdio: 'inherit' })
// noEmitOnError: a server with a type error is never written, so it can never be the one that runs.
if (result.status !== 0 || builtAt(output) <= at) {
  console.error('server build: failed: the type errors above must be fixed before the host can start (npm run typecheck lists them)')
  process.exit(result.status || 1)
}
