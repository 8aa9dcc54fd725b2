#!/usr/bin/env node
/**
 * The installers a release publishes, by exact file name: the names docs/desktop.md "Download" tells
 * teachers to pick from, electron-builder.yml's artifactName patterns produce (checked by
 * test/packaging/builder-config), and the release workflow checks after building.
 * `node scripts/installer-names.mjs --check win|mac|linux` compares release/ with the list.
 */
import { readdirSync, readFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

/** The installers of `version`, per OS. Windows has one installer for x64 and arm64 (it picks). */
export function installerNames (version) {
  return {
    win: [`MindWeb-Host-Setup-${version}.exe`],
    mac: [`MindWeb-Host-${version}-arm64.dmg`, `MindWeb-Host-${version}-x64.dmg`],
    linux: [
      `MindWeb-Host-${version}-x86_64.AppImage`, `MindWeb-Host-${version}-arm64.AppImage`,
      `mindweb-host_${version}_amd64.deb`, `mindweb-host_${version}_arm64.deb`
    ]
  }
}

const INSTALLER = /\.(exe|dmg|AppImage|deb)$/

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const os = process.argv[process.argv.indexOf('--check') + 1]
  const root = join(dirname(fileURLToPath(import.meta.url)), '..')
  const { version } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'))
  const expected = installerNames(version)[os]
  if (!process.argv.includes('--check') || expected === undefined) {
    console.error('usage: node scripts/installer-names.mjs --check win|mac|linux')
    process.exit(2)
  }
  const built = readdirSync(join(root, 'release')).filter(f => INSTALLER.test(f)).sort()
  if (JSON.stringify(built) !== JSON.stringify([...expected].sort())) {
    console.error(`release/ holds ${built.join(', ') || 'no installer'}, not the names docs/desktop.md gives teachers: ${expected.join(', ')}.`)
    process.exit(1)
  }
  console.log(`installers: ${built.join(', ')}`)
}
