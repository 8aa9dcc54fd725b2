/**
 * Shared by the ensure-*-build scripts: is a build output older than its sources?
 * Plain Node, no dependencies (it runs before anything is built).
 */
import { existsSync, readdirSync, statSync } from 'node:fs'
import { join } from 'node:path'

/** When `file` was last written, or -Infinity when it does not exist. */
export function builtAt (file) {
  return existsSync(file) ? statSync(file).mtimeMs : -Infinity
}

/** The first file under `paths` modified after `since`, or null. */
export function findNewer (paths, since) {
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
