/**
 * The app's own payload in a packaged build: app.asar, app.asar.unpacked and the other files
 * electron-builder writes next to them in resources/ (Electron's own files there are not counted).
 * Budget: 27 MB for one platform. Used by `npm run dist` and test/packaging/.
 */
import { existsSync, readdirSync, statSync } from 'node:fs'
import { join } from 'node:path'

// Was 15 MB; photos brought sharp, whose libvips cannot be trimmed or bundled. Measured on
// linux-x64 with sharp 0.35.6: 25.0 MB in all, of which sharp brings 18.8 MB (libvips-cpp.so
// 18.0 MB, its addon 0.4 MB, its JavaScript 0.4 MB); the app without it: 6.2 MB. The budget keeps
// about 1 MB of headroom over that. Since then the app itself grew by 1.0 MB (26.0 MB measured):
// KaTeX's math chunk and fonts in the pages, the Markdown parser read-aloud uses, and ioredis.
export const PAYLOAD_BUDGET_BYTES = 27 * 1024 * 1024
// What Electron itself puts in resources/ (macOS: the .icns and language folders; Windows/Linux: nothing of ours).
const ELECTRON_OWN = /^(default_app\.asar|electron\.icns|.*\.lproj)$/

/** Total bytes under `path` (a file or a folder). */
export function sizeOf (path) {
  const stat = statSync(path)
  if (!stat.isDirectory()) return stat.size
  return readdirSync(path).reduce((sum, name) => sum + sizeOf(join(path, name)), 0)
}

/** The app's files in one resources/ folder, with their sizes. */
export function measurePayload (resourcesDir) {
  const entries = readdirSync(resourcesDir)
    .filter(name => !ELECTRON_OWN.test(name) && name !== 'icon.icns')
    .map(name => ({ name, bytes: sizeOf(join(resourcesDir, name)) }))
  return { resourcesDir, entries, bytes: entries.reduce((sum, e) => sum + e.bytes, 0) }
}

/** Every resources/ folder of the unpacked builds under `releaseDir` (one per platform and arch). */
export function findResourcesDirs (releaseDir) {
  if (!existsSync(releaseDir)) return []
  const found = []
  for (const name of readdirSync(releaseDir)) {
    const dir = join(releaseDir, name)
    if (!statSync(dir).isDirectory()) continue
    if (existsSync(join(dir, 'resources', 'app.asar'))) found.push(join(dir, 'resources'))
    for (const app of readdirSync(dir).filter(n => n.endsWith('.app'))) {
      const res = join(dir, app, 'Contents', 'Resources')
      if (existsSync(join(res, 'app.asar'))) found.push(res)
    }
  }
  return found
}

/** One line per build, e.g. "app payload: 26.0 MB of 27 MB (release/linux-unpacked/resources)". */
export function describePayload (payload, relativeTo = '') {
  const mb = (b) => `${(b / 1024 / 1024).toFixed(1)} MB`
  const where = relativeTo !== '' && payload.resourcesDir.startsWith(relativeTo) ? payload.resourcesDir.slice(relativeTo.length + 1) : payload.resourcesDir
  const parts = payload.entries.map(e => `${e.name} ${mb(e.bytes)}`).join(', ')
  const verdict = payload.bytes <= PAYLOAD_BUDGET_BYTES ? 'within' : 'OVER'
  return `app payload: ${mb(payload.bytes)} (${verdict} the ${mb(PAYLOAD_BUDGET_BYTES)} budget) in ${where}: ${parts}`
}
