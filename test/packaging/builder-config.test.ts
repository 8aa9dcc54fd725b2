/**
 * electron-builder.yml checked by electron-builder's own loader and schema validator (app-builder-lib,
 * pinned with electron-builder), and for what the issue asks of the installers.
 */
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { createRequire } from 'node:module'
import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import type { Configuration } from 'app-builder-lib'
import { ROOT } from './build.js'

const require = createRequire(import.meta.url)
const { getConfig, validateConfiguration } = require('app-builder-lib/out/util/config/config.js') as {
  getConfig: (projectDir: string, configPath: string | null, configFromOptions: Configuration | null) => Promise<Configuration>
  validateConfiguration: (config: Configuration, debugLogger: unknown) => Promise<void>
}
const { DebugLogger } = require('builder-util') as { DebugLogger: new (isEnabled?: boolean) => unknown }

const loadConfig = async (): Promise<Configuration> => await getConfig(ROOT, null, null)
type Targets = Array<{ target: string, arch: string[] }>

test('electron-builder.yml passes electron-builder\'s own schema validation', async () => {
  const pinned = require('electron-builder/package.json') as { version: string }
  assert.equal(pinned.version, '26.17.0', 'the validator is the pinned electron-builder\'s')
  await validateConfiguration(await loadConfig(), new DebugLogger(false))
})

test('the validator does reject a wrong configuration (so the check above means something)', async () => {
  const config = { ...await loadConfig(), nsis: { oneClick: 'sometimes' } } as unknown as Configuration
  await assert.rejects(validateConfiguration(config, new DebugLogger(false)), /oneClick/)
})

test('installers for Windows, macOS and Linux on x64 and arm64, with icons from assets/', async () => {
  const c = await loadConfig()
  assert.equal(c.appId, 'app.mindweb.host')
  assert.equal(c.productName, 'MindWeb Host')
  assert.deepEqual((c.win!.target as Targets).map(t => [t.target, t.arch]), [['nsis', ['x64', 'arm64']]])
  assert.deepEqual((c.mac!.target as Targets).map(t => [t.target, t.arch]), [['dmg', ['x64', 'arm64']], ['zip', ['x64', 'arm64']]]) // the zip is what electron-updater updates a Mac from
  assert.deepEqual((c.linux!.target as Targets).map(t => [t.target, t.arch]), [['AppImage', ['x64', 'arm64']], ['deb', ['x64', 'arm64']]])
  const resources = join(ROOT, c.directories!.buildResources!)
  for (const icon of ['icon.ico', 'icon.icns', 'icons/512x512.png', 'icons/16x16.png']) assert.ok(existsSync(join(resources, icon)), icon)
  assert.ok(existsSync(join(ROOT, 'assets/icon.svg')), 'the one source')
  assert.match(String(c.mac!.extendInfo?.NSLocalNetworkUsageDescription), /local network/)
  assert.equal(c.mac!.hardenedRuntime, true)
})

test('fuses: no run-as-node, no NODE_OPTIONS, no inspect flags, only the asar, asar integrity on', async () => {
  const f = (await loadConfig()).electronFuses!
  assert.deepEqual(
    [f.runAsNode, f.enableNodeOptionsEnvironmentVariable, f.enableNodeCliInspectArguments, f.onlyLoadAppFromAsar, f.enableEmbeddedAsarIntegrityValidation],
    [false, false, false, true, true])
})

test('updates come from GitHub releases; no rebuild of the native addon, which is unpacked from the asar with the image worker', async () => {
  const c = await loadConfig()
  assert.equal((c.publish as { provider: string }).provider, 'github')
  assert.equal(c.npmRebuild, false)
  assert.deepEqual(c.asarUnpack, ['**/*.node', 'out/main/wasm-image-worker.cjs', 'out/main/chunks/rolldown-runtime-*.cjs'])
})

test('the installers get exactly the file names docs/desktop.md gives teachers', async () => {
  const { installerNames } = await import('../../scripts/installer-names.mjs')
  const { expandMacro } = require('app-builder-lib/out/util/macroExpander.js') as { expandMacro: (pattern: string, arch: string | null, appInfo: object, extra: object) => string }
  const { Arch, getArtifactArchName } = require('builder-util') as { Arch: Record<string, number>, getArtifactArchName: (arch: number, ext: string) => string }
  const c = await loadConfig()
  const version = (require('../../package.json') as { version: string }).version
  const appInfo = { version, productName: c.productName, sanitizedProductName: c.productName }
  // electron-builder's own expansion; a pattern without ${arch} builds one installer for all archs.
  // eslint-disable-next-line no-template-curly-in-string -- electron-builder's macro, not a JS template
  const names = (pattern: string, ext: string, archs: string[]): string[] => pattern.includes('${arch}')
    ? archs.map(a => expandMacro(pattern, getArtifactArchName(Arch[a]!, ext), appInfo, { ext }))
    : [expandMacro(pattern, null, appInfo, { ext })]
  const expected = installerNames(version)
  assert.deepEqual(names(c.nsis!.artifactName!, 'exe', ['x64', 'arm64']), expected.win)
  assert.deepEqual(names(c.dmg!.artifactName!, 'dmg', ['arm64', 'x64']), expected.mac)
  assert.deepEqual([...names(c.appImage!.artifactName!, 'AppImage', ['x64', 'arm64']), ...names(c.deb!.artifactName!, 'deb', ['x64', 'arm64'])], expected.linux)
  assert.match(readFileSync(join(ROOT, '.github/workflows/release.yml'), 'utf8'), /node scripts\/installer-names\.mjs --check/)
  const docs = readFileSync(join(ROOT, 'docs/desktop.md'), 'utf8').replaceAll(version, '<version>')
  for (const name of Object.values(installerNames('<version>')).flat()) assert.ok(docs.includes(name), `docs/desktop.md names ${name}`)
})
