import { test } from 'node:test'
import assert from 'node:assert/strict'
import { desktopDiagnostics, parseProfiles, type CommandRunner } from '../../main/network-diagnostics.js'

const never: CommandRunner = async () => { throw new Error('must not run') }

test('outside Windows nothing runs: the phone test and where the firewall is', async () => {
  const linux = await desktopDiagnostics('linux', 8001, never)
  assert.deepEqual(linux.map(d => d.code), ['TEST_FROM_PHONE', 'LINUX_FIREWALL'])
  assert.match(linux[1]!.message, /sudo ufw allow 8001\/tcp/)
  assert.deepEqual((await desktopDiagnostics('darwin', 8000, never)).map(d => d.code), ['TEST_FROM_PHONE', 'MACOS_FIREWALL'])
  assert.match(linux[0]!.message, /phone/)
})

test('on Windows, a network classified Public is a warning that says where to change it', async () => {
  const runs: Array<{ file: string, args: readonly string[] }> = []
  const run: CommandRunner = async (file, args) => {
    runs.push({ file, args })
    return JSON.stringify([{ name: 'School-WiFi', alias: 'Wi-Fi', category: 'Public' }, { name: 'Office', alias: 'Ethernet', category: 'Private' }])
  }
  const out = await desktopDiagnostics('win32', 8000, run)
  assert.equal(runs[0]!.file, 'powershell.exe')
  assert.match(runs[0]!.args.join(' '), /Get-NetConnectionProfile/)
  assert.deepEqual(out.map(d => [d.level, d.code]), [['info', 'TEST_FROM_PHONE'], ['info', 'WINDOWS_FIREWALL'], ['warn', 'WINDOWS_PUBLIC_NETWORK']])
  assert.match(out[2]!.message, /"School-WiFi" \(Wi-Fi\) is set to Public/)
  assert.match(out[2]!.message, /Private/)
})

test('on Windows, private networks only give the firewall note', async () => {
  const out = await desktopDiagnostics('win32', 8000, async () => '{"name":"Home","alias":"Wi-Fi","category":"Private"}')
  assert.deepEqual(out.map(d => d.code), ['TEST_FROM_PHONE', 'WINDOWS_FIREWALL'])
})

test('a PowerShell that fails or is missing says the profile is unknown, without failing', async () => {
  const out = await desktopDiagnostics('win32', 8000, async () => { throw new Error('spawn powershell.exe ENOENT') })
  assert.deepEqual(out.map(d => [d.level, d.code]), [['info', 'TEST_FROM_PHONE'], ['info', 'WINDOWS_FIREWALL'], ['info', 'NETWORK_PROFILE_UNKNOWN']])
})

test('PowerShell JSON: one object, an array, nothing, or the numeric enum', () => {
  assert.deepEqual(parseProfiles(''), [])
  assert.deepEqual(parseProfiles('{"name":"A","alias":"Wi-Fi","category":"Public"}'), [{ name: 'A', alias: 'Wi-Fi', category: 'Public' }])
  assert.equal(parseProfiles('[{"name":"A","alias":"x","category":0}]')[0]!.category, '0')
})
