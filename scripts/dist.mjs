#!/usr/bin/env node
/**
 * `npm run dist`: Electron's binary (scripts/ensure-electron.mjs: offline, one sentence and stop,
 * before a minute of building), `npm run build`, electron-builder for this OS (or --win / --mac /
 * --linux), then the app payload of each build against its 15 MB budget. Extra arguments go to
 * electron-builder (e.g. `npm run dist -- --linux dir`, `-c.publish=null`); with
 * `-c.electronDist=<folder>` the binary comes from that folder and is not downloaded.
 */
import { spawn, spawnSync } from 'node:child_process'
import { rmSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { downloadFailureMessage, networkFailureReason } from './electron-binary.mjs'
import { describePayload, findResourcesDirs, measurePayload, PAYLOAD_BUDGET_BYTES } from './payload-size.mjs'

const root = join(dirname(fileURLToPath(import.meta.url)), '..')
const release = join(root, 'release')
const args = process.argv.slice(2)
const hasPlatform = args.some(a => ['--win', '--mac', '--linux', '-w', '-m', '-l'].includes(a))
const platformArg = { win32: '--win', darwin: '--mac', linux: '--linux' }[process.platform]
const hasElectronDist = args.some(a => /^(-c|--config)\.electronDist=/.test(a))

if (!hasElectronDist) runOrExit(process.execPath, [join(root, 'scripts/ensure-electron.mjs')])
// npm_execpath is npm's own script when run through npm; by hand, npm from the PATH.
const npm = process.env.npm_execpath
runOrExit(npm ? process.execPath : 'npm', [...(npm ? [npm] : []), 'run', 'build'], { shell: !npm && process.platform === 'win32' })

// Only this run's builds are measured.
rmSync(release, { recursive: true, force: true })
const builder = join(root, 'node_modules/electron-builder/cli.js')
const status = await runBuilder([builder, ...(hasPlatform || platformArg === undefined ? [] : [platformArg]), ...args])
if (status !== 0) process.exit(status)

let isOver = false
for (const dir of findResourcesDirs(release)) {
  const payload = measurePayload(dir)
  console.log(describePayload(payload, root))
  if (payload.bytes > PAYLOAD_BUDGET_BYTES) isOver = true
}
if (isOver) {
  console.error('The app payload is over budget: check electron-builder.yml `files` (only the target platform\'s SQLite addon, no development tools).')
  process.exit(1)
}

/** Runs a step with inherited output; stops `dist` with its exit code when it fails. */
function runOrExit (command, commandArgs, options = {}) {
  const result = spawnSync(command, commandArgs, { cwd: root, stdio: 'inherit', ...options })
  if (result.status !== 0) process.exit(result.status ?? 1)
}

/**
 * electron-builder with its output passed through as it comes, except the failure: from its error
 * line (`⨯ … failedTask=… stackTrace=…`) on, the output is held back. A network failure becomes one
 * sentence (Electron's zip when it was packaging, else one of its build tools); any other failure is
 * shown in full.
 */
async function runBuilder (builderArgs) {
  const child = spawn(process.execPath, builderArgs, { cwd: root, stdio: ['inherit', 'pipe', 'pipe'] })
  let held = ''
  let lastStep = ''
  const pass = (stream, out) => {
    let partial = ''
    stream.setEncoding('utf8')
    stream.on('data', chunk => {
      const lines = (partial + chunk).split('\n')
      partial = lines.pop()
      for (const line of lines) take(line, out)
    })
    stream.on('end', () => { if (partial !== '') take(partial, out) })
  }
  const take = (line, out) => {
    if (held === '' && /failedTask=|stackTrace=/.test(line)) held = '\n'
    if (held !== '') {
      held += line + '\n'
      return
    }
    if (/^\s*•/.test(line)) lastStep = line
    out.write(line + '\n')
  }
  pass(child.stdout, process.stdout)
  pass(child.stderr, process.stderr)
  const code = await new Promise(resolve => child.on('close', (c, signal) => resolve(c ?? (signal ? 1 : 0))))
  if (code === 0) return 0
  const reason = networkFailureReason(held)
  if (reason === null) {
    process.stderr.write(held)
  } else if (/^\s*•\s+(packaging|downloading)\b.*electron/.test(lastStep)) {
    const [, platform, arch] = lastStep.match(/platform=(\S+)\s+arch=(\S+)/) ?? []
    console.error(downloadFailureMessage(reason, { isBuilder: true, ...(platform ? { target: `${platform}-${arch}` } : {}) }))
  } else {
    console.error(`electron-builder could not download one of its build tools (${reason}): it needs them once, from the internet, into its cache (ELECTRON_BUILDER_CACHE), see docs/desktop.md "Electron's binary".`)
  }
  return code
}
