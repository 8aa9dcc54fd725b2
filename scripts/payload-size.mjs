/**
 * The app's own payload in a packaged build: app.asar, app.asar.unpacked and the other files
 * electron-builder writes next to them in resources/ (Electron's own files there are not counted).
 * Budget: 15 MB for one platform. Used by `npm run dist` and test/packaging/.
 */
import { existsSync, readdirSync, statSync } from 'node:fs'
import { join } from 'node:path'

// Measured on linux-x64: 8.4 MB in all (app.asar 6.1 MB, app.asar.unpacked 2.3 MB, most of it the
// SQLite addon). Photos take 1.2 MB of it: the codecs' WebAssembly (MozJPEG, libwebp, PNG, resize:
// 1.1 MB, the same file on every platform) and the image worker's JavaScript (0.1 MB). With sharp,
// whose libvips alone is 18.0 MB, it was 26.0 MB.
export const PAYLOAD_BUDGET_BYTES = 15 * 1024 * 1024
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

/** One line per build, e.g. "app payload: 8.4 MB (within the 15.0 MB budget) in release/linux-unpacked/resources: …". */
export function describePayload (payload, relativeTo = '') {
  const mb = (b) => `${(b / 1024 / 1024).toFixed(1)} MB`
  const where = relativeTo !== '' && payload.resourcesDir.startsWith(relativeTo) ? payload.resourcesDir.slice(relativeTo.length + 1) : payload.resourcesDir
  const parts = payload.entries.map(e => `${e.name} ${mb(e.bytes)}`).join(', ')
  const verdict = payload.bytes <= PAYLOAD_BUDGET_BYTES ? 'within' : 'OVER'
  return `app payload: ${mb(payload.bytes)} (${verdict} the ${mb(PAYLOAD_BUDGET_BYTES)} budget) in ${where}: ${parts}`
}
