#!/usr/bin/env node
/**
 * `npm run dist`: electron-builder for this OS (or --win / --mac / --linux), after `npm run build`,
 * then the app payload of each build against its 15 MB budget. Extra arguments go to
 * electron-builder (e.g. `npm run dist -- --linux dir`, `-c.publish=null`).
 */
import { spawnSync } from 'node:child_process'
import { rmSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { describePayload, findResourcesDirs, measurePayload, PAYLOAD_BUDGET_BYTES } from './payload-size.mjs'

const root = join(dirname(fileURLToPath(import.meta.url)), '..')
const release = join(root, 'release')
const args = process.argv.slice(2)
const hasPlatform = args.some(a => ['--win', '--mac', '--linux', '-w', '-m', '-l'].includes(a))
const platformArg = { win32: '--win', darwin: '--mac', linux: '--linux' }[process.platform]
// Only this run's builds are measured.
rmSync(release, { recursive: true, force: true })
const builder = join(root, 'node_modules/electron-builder/cli.js')
const result = spawnSync(process.execPath, [builder, ...(hasPlatform || platformArg === undefined ? [] : [platformArg]), ...args], { cwd: root, stdio: 'inherit' })
if (result.status !== 0) process.exit(result.status ?? 1)

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
