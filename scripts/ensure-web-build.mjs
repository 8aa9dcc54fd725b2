#!/usr/bin/env node
/**
 * Builds the web pages only when needed: when dist/renderer/participant/index.html is missing or
 * older than any source under renderer/ or server/protocol/, or than vite.config.ts.
 * Prints one line either way. Plain Node, no dependencies.
 */
import { spawnSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import { dirname, join, relative } from 'node:path'
import { fileURLToPath } from 'node:url'
import { builtAt, findNewer } from './find-newer.mjs'

const root = join(dirname(fileURLToPath(import.meta.url)), '..')
const output = join(root, 'dist/renderer/participant/index.html')
const sources = ['renderer', 'server/protocol', 'vite.config.ts'].map(p => join(root, p))

const at = builtAt(output)
const newer = findNewer(sources, at)

if (at !== -Infinity && newer === null) {
  console.log('web build: up to date (dist/renderer)')
  process.exit(0)
}

const reason = at === -Infinity ? 'no build yet' : `${relative(root, newer)} changed`
console.log(`web build: building (${reason})…`)
const localVite = join(root, 'node_modules/vite/bin/vite.js')
const [command, args] = existsSync(localVite)
  ? [process.execPath, [localVite, 'build', '--logLevel', 'warn']]
  : ['npx', ['vite', 'build', '--logLevel', 'warn']]
const result = spawnSync(command, args, { cwd: root, stdio: 'inherit', shell: process.platform === 'win32' && command === 'npx' })
if (result.status !== 0) {
  console.error('web build: failed')
  process.exit(result.status ?? 1)
}
