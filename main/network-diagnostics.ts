/**
 * Network advice only the desktop can give: on Windows, the firewall prompt explained before it
 * appears and a warning when the active network is classified Public (Windows then blocks inbound
 * connections, so students cannot join). Which address to use is the server's GET /api/admin/network.
 * @see https://learn.microsoft.com/powershell/module/netconnection/get-netconnectionprofile
 */
import type { DesktopDiagnostic } from './ipc-contract.js'

/** Runs a program and resolves with its standard output (injected: tests pass a double). */
export type CommandRunner = (file: string, args: readonly string[], timeoutMs: number) => Promise<string>

// NetworkCategory is an enum: ToString() gives Public/Private/DomainAuthenticated on every PowerShell.
const PROFILE_SCRIPT = 'Get-NetConnectionProfile | ForEach-Object { [pscustomobject]@{ name = $_.Name; alias = $_.InterfaceAlias; category = $_.NetworkCategory.ToString() } } | ConvertTo-Json -Compress'

export interface NetworkProfile {
  name: string
  alias: string
  category: string
}

/** The advice for this platform and port; never throws (a failed check is one more 'info' line). */
export async function desktopDiagnostics (platform: NodeJS.Platform, port: number, run: CommandRunner): Promise<DesktopDiagnostic[]> {
  const phone: DesktopDiagnostic = {
    level: 'info',
    code: 'TEST_FROM_PHONE',
    message: 'To check before class, open the join address on a phone connected to the same Wi-Fi: the console shows the connection arriving. If the page does not load, the network or a firewall is keeping devices out.'
  }
  if (platform === 'darwin') {
    return [phone, { level: 'info', code: 'MACOS_FIREWALL', message: 'If the macOS firewall is on, allow incoming connections for MindWeb Host (System Settings > Network > Firewall > Options).' }]
  }
  if (platform !== 'win32') {
    return [phone, { level: 'info', code: 'LINUX_FIREWALL', message: `If a firewall is on (ufw, firewalld), allow TCP port ${port}, for example: sudo ufw allow ${port}/tcp` }]
  }
  const out: DesktopDiagnostic[] = [phone, {
    level: 'info',
    code: 'WINDOWS_FIREWALL',
    message: 'The first time the room opens, Windows asks whether MindWeb Host may communicate on networks. Allow it on private networks, or students\' devices cannot reach this computer.'
  }]
  let profiles: NetworkProfile[]
  try {
    profiles = parseProfiles(await run('powershell.exe', ['-NoProfile', '-NonInteractive', '-Command', PROFILE_SCRIPT], 5000))
  } catch {
    out.push({ level: 'info', code: 'NETWORK_PROFILE_UNKNOWN', message: 'Could not read the Windows network profile. If students cannot join, check that this network is set to Private in Settings > Network & internet.' })
    return out
  }
  for (const p of profiles.filter(p => p.category === 'Public' || p.category === '0')) {
    out.push({
      level: 'warn',
      code: 'WINDOWS_PUBLIC_NETWORK',
      message: `The network "${p.name}" (${p.alias}) is set to Public, so Windows blocks devices that try to connect to this computer. If it is your school or office network, set it to Private in Settings > Network & internet > ${p.alias} > Network profile type.`
    })
  }
  return out
}

/** Get-NetConnectionProfile as JSON: one object, or an array of them, or nothing. */
export function parseProfiles (json: string): NetworkProfile[] {
  const text = json.trim()
  if (text === '') return []
  const raw: unknown = JSON.parse(text)
  const list = Array.isArray(raw) ? raw : [raw]
  return list.flatMap((item: unknown) => {
    if (typeof item !== 'object' || item === null) return []
    const r = item as Record<string, unknown>
    return [{ name: String(r.name ?? 'Unknown network'), alias: String(r.alias ?? ''), category: String(r.category ?? '') }]
  })
}
