/**
 * Builds the desktop app once for the packaging tests: `electron-vite build` (main, preload, web
 * pages), then `electron-builder --linux dir` with a stand-in Electron binary, since the real one
 * cannot be downloaded here. The stand-in carries Electron's fuse wire, so the fuses are flipped
 * in it exactly as in a real build.
 */
import { execFile } from 'node:child_process'
import { chmodSync, mkdtempSync, rmSync, writeFileSync, mkdirSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'

export const ROOT = fileURLToPath(new URL('../..', import.meta.url))
const run = promisify(execFile)

/** Electron's fuse sentinel, then wire version 1 with 8 fuses, all enabled as in a stock binary. */
const FUSE_WIRE = Buffer.concat([Buffer.from('dL7pKGdnNz796PbbjQWNKmHXBZaB9tsX'), Buffer.from([1, 8]), Buffer.from('11111111')])

export interface PackagedApp {
  /** release/linux-unpacked equivalent */
  appDir: string
  resourcesDir: string
  executable: string
  cleanup (): void
}

/** Builds and packages; resolves with where the unpacked app is. */
export async function buildPackagedApp (): Promise<PackagedApp> {
  await run(process.execPath, [join(ROOT, 'node_modules/electron-vite/bin/electron-vite.js'), 'build', '--logLevel', 'warn'], { cwd: ROOT, maxBuffer: 16 * 1024 * 1024 })
  const work = mkdtempSync(join(tmpdir(), 'mindweb-packaging-'))
  const electronDist = join(work, 'electron-dist')
  mkdirSync(electronDist)
  const standIn = join(electronDist, 'electron')
  writeFileSync(standIn, Buffer.concat([Buffer.from('#!/bin/sh\n# stand-in for the Electron binary (packaging test)\nexit 0\n# '), FUSE_WIRE, Buffer.from('\n')]))
  chmodSync(standIn, 0o755)
  const output = join(work, 'release')
  await run(process.execPath, [
    join(ROOT, 'node_modules/electron-builder/cli.js'), '--linux', 'dir', `--${process.arch}`, '--publish', 'never',
    `-c.electronDist=${electronDist}`, `-c.directories.output=${output}`
  ], { cwd: ROOT, maxBuffer: 16 * 1024 * 1024 })
  const appDir = join(output, process.arch === 'x64' ? 'linux-unpacked' : `linux-${process.arch}-unpacked`)
  return {
    appDir,
    resourcesDir: join(appDir, 'resources'),
    executable: join(appDir, 'mindweb-host'),
    cleanup: () => rmSync(work, { recursive: true, force: true })
  }
}
