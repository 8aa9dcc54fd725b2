#!/usr/bin/env node
/**
 * Builds the web pages only when needed: when dist/renderer/participant/index.html is missing or
 * older than any source under renderer/ or server/protocol/, or than vite.config.ts.
 * Prints one line either way. Plain Node, no dependencies.
 */
import { spawnSync } from 'node:child_process'
import { existsSync, readdirSync, statSync } from 'node:fs'
import { dirname, join, relative } from 'node:path'
import { fileURLToPath } from 'node:url'

const root = join(dirname(fileURLToPath(import.meta.url)), '..')
const output = join(root, 'dist/renderer/participant/index.html')
const sources = ['renderer', 'server/protocol', 'vite.config.ts'].map(p => join(root, p))

const builtAt = existsSync(output) ? statSync(output).mtimeMs : -Infinity
const newer = findNewer(sources, builtAt)

if (builtAt !== -Infinity && newer === null) {
  console.log('web build: up to date (dist/renderer)')
  process.exit(0)
}

const reason = builtAt === -Infinity ? 'no build yet' : `${relative(root, newer)} changed`
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

/** The first file under `paths` modified after `since`, or null. */
function findNewer (paths, since) {
  for (const path of paths) {
    if (!existsSync(path)) continue
    const stat = statSync(path)
    if (stat.isDirectory()) {
      const entries = readdirSync(path).filter(name => !name.startsWith('.')).map(name => join(path, name))
      const found = findNewer(entries, since)
      if (found) return found
    } else if (stat.mtimeMs > since) {
      return path
    }
  }
  return null
}
