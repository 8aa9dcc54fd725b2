#!/usr/bin/env node
/**
 * Before `npm start` and `npm run dist`: makes sure Electron's binary is in node_modules/electron,
 * downloading it with the package's own install.js when it is not (once; later runs print one line).
 * A failed download ends in one sentence and exit code 1, never in a stack trace.
 * Plain Node, no dependencies.
 */
import { spawnSync } from 'node:child_process'
import { join } from 'node:path'
import { downloadFailureMessage, electronPackageDir, electronVersion, isElectronInstalled, networkFailureReason, probeDownloadHost } from './electron-binary.mjs'

const dir = electronPackageDir()
const version = electronVersion(dir)

if (isElectronInstalled(dir)) {
  console.log(`electron: binary present (${version})`)
  process.exit(0)
}

console.log(`electron: downloading Electron ${version}'s binary (once, about 100 MB)…`)
// install.js prints only a stack trace on failure: keep its output and say what happened instead.
const result = spawnSync(process.execPath, [join(dir, 'install.js')], { cwd: dir, encoding: 'utf8' })
if (result.status === 0 && isElectronInstalled(dir)) {
  console.log(`electron: binary downloaded (${version})`)
  process.exit(0)
}
const output = `${result.stdout ?? ''}\n${result.stderr ?? ''}`
const reason = networkFailureReason(output) ?? (/fetch failed/.test(output) ? await probeDownloadHost() : null) ?? firstLine(output) ?? result.error?.message ?? `install.js exited with ${result.status}`
console.error(downloadFailureMessage(reason, { version }))
process.exit(1)

/** The error's message line (not its stack), when there is one. */
function firstLine (text) {
  const line = text.split(/\r?\n/).find(l => l.trim() !== '' && !/^\s+at /.test(l))
  return line === undefined ? null : line.trim().replace(/^(\w*Error: )+/, '')
}
