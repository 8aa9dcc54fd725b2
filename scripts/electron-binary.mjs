/**
 * Electron's binary, which the `electron` package does not bring with it: `npm ci` installs only the
 * package, and its install.js downloads the binary (with @electron/get, into its cache, then unzips it
 * into node_modules/electron/dist) the first time something asks for it. electron-builder downloads
 * its own copy of the same zip for each platform and arch it packages. Offline, both end in a stack
 * trace that never says Electron was being fetched; this module turns that into one sentence.
 * Used by scripts/ensure-electron.mjs and scripts/dist.mjs. Plain JavaScript, no dependencies.
 */
import { existsSync, readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { join } from 'node:path'

const require = createRequire(import.meta.url)
// What install.js writes into path.txt, by platform.
const EXECUTABLE = { darwin: 'Electron.app/Contents/MacOS/Electron', mas: 'Electron.app/Contents/MacOS/Electron', win32: 'electron.exe' }
// Network failures worth one sentence; anything else is shown in full.
const NETWORK = /\b(ENOTFOUND|EAI_AGAIN|ECONNREFUSED|ECONNRESET|ETIMEDOUT|ENETUNREACH|EHOSTUNREACH|ERR_SOCKET_TIMEOUT|Response code \d{3}|CERT_[A-Z_]+|SELF_SIGNED_CERT[A-Z_]*)\b/

/** The electron package's folder: MINDWEB_ELECTRON_DIR (tests point it at a copy), else the installed one. */
export function electronPackageDir (env = process.env) {
  return env.MINDWEB_ELECTRON_DIR || join(require.resolve('electron/package.json'), '..')
}

/** The package's version (the binary must be the same one). */
export function electronVersion (dir = electronPackageDir()) {
  return JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')).version
}

/** Whether the binary is in place, by the same test as install.js (dist/version, path.txt, the executable). */
export function isElectronInstalled (dir = electronPackageDir()) {
  try {
    const executable = EXECUTABLE[process.platform] ?? 'electron'
    if (readFileSync(join(dir, 'dist/version'), 'utf8').trim().replace(/^v/, '') !== electronVersion(dir)) return false
    if (readFileSync(join(dir, 'path.txt'), 'utf8') !== executable) return false
    return existsSync(join(dir, 'dist', executable))
  } catch {
    return false
  }
}

/**
 * The reason in a failed download's output ("getaddrinfo ENOTFOUND github.com"), or null when the
 * output shows no network failure: the message line of the error, without its stack.
 */
export function networkFailureReason (output) {
  const line = output.split(/\r?\n/).find(l => NETWORK.test(l) && !/^\s+at /.test(l))
  if (line === undefined) return null
  return line
    .replace(/^.*stackTrace=/, '')
    .replace(/^\s*(⨯|x)\s+/, '')
    .replace(/\s+failedTask=\S+.*$/, '')
    .replace(/^\s*(\w*Error: )+/, '')
    .trim()
}

/**
 * Why the download host cannot be reached ("getaddrinfo ENOTFOUND github.com"), asked again with one
 * request: install.js prints only "fetch failed", whose cause (the DNS or socket error) is dropped.
 */
export async function probeDownloadHost (env = process.env) {
  const mirror = env.ELECTRON_MIRROR || env.npm_config_electron_mirror || 'https://github.com/electron/electron/releases/download/'
  try {
    await fetch(mirror, { method: 'HEAD', signal: AbortSignal.timeout(10_000) })
    return null
  } catch (err) {
    return err?.cause?.message ?? err?.message ?? null
  }
}

/**
 * The one sentence for a failed Electron download; `isBuilder` for electron-builder's own copy,
 * which reads ~/.cache/electron (not electron_config_cache) and takes a folder of zips instead.
 */
export function downloadFailureMessage (reason, { version = electronVersion(), target = `${process.platform}-${process.arch}`, isBuilder = false } = {}) {
  const folder = isBuilder
    ? `from a folder holding electron-v${version}-${target}.zip (npm run dist -- -c.electronDist=<folder>)`
    : 'from a folder holding its zip (electron_config_cache)'
  return `Electron's binary could not be downloaded (${reason}): the desktop app needs Electron ${version} (${target}) once, ` +
    `from the internet, from a mirror (ELECTRON_MIRROR=https://…/) or ${folder}, see docs/desktop.md "Electron's binary"; ` +
    'the headless host needs none: npm run serve.'
}
