/**
 * The join addresses of this computer, best first: the address on the default route (the network
 * the class is most likely on), then other LAN addresses, then virtual adapters (docker, VPNs,
 * hypervisors), link-local and loopback last. The operating system is read through injected
 * readers, so the ordering rules are tested without a network.
 */
import { readFile } from 'node:fs/promises'
import { execFile } from 'node:child_process'
import { networkInterfaces, type NetworkInterfaceInfo } from 'node:os'
import type { AddressKind, Diagnostic, JoinAddress } from '../protocol/index.js'

export interface NetworkReaders {
  interfaces: () => NodeJS.Dict<NetworkInterfaceInfo[]>
  /** The interface name of the default route, or null when unknown. */
  defaultInterface: () => Promise<string | null>
}

const VIRTUAL = /^(docker|br-|veth|virbr|vmnet|vboxnet|vethernet|utun|tun|tap|tailscale|zt|wg|lxc|lxd|cni|flannel|podman|ham|awdl|llw|bridge)|virtualbox|vmware|hyper-v|wsl|loopback pseudo/i
const KIND_ORDER: Record<AddressKind, number> = { lan: 0, virtual: 1, 'link-local': 2, loopback: 3 }

/** The real readers: /proc/net/route on Linux, `route -n get default` on macOS, none elsewhere. */
export const systemNetworkReaders: NetworkReaders = {
  interfaces: networkInterfaces,
  async defaultInterface () {
    try {
      if (process.platform === 'linux') return parseProcNetRoute(await readFile('/proc/net/route', 'utf8'))
      if (process.platform === 'darwin') return parseRouteGetDefault(await run('route', ['-n', 'get', 'default']))
    } catch {}
    return null
  }
}

/** The interface of the default route in /proc/net/route (destination 00000000, lowest metric). */
export function parseProcNetRoute (text: string): string | null {
  let best: { iface: string, metric: number } | null = null
  for (const line of text.split('\n').slice(1)) {
    const cols = line.trim().split(/\s+/)
    if (cols.length < 8 || cols[1] !== '00000000' || cols[7] !== '00000000') continue
    const metric = Number(cols[6])
    if (best === null || metric < best.metric) best = { iface: cols[0]!, metric }
  }
  return best?.iface ?? null
}

/** The `interface:` line of macOS `route -n get default`. */
export function parseRouteGetDefault (text: string): string | null {
  return /^\s*interface:\s*(\S+)/m.exec(text)?.[1] ?? null
}

/** How an address is reached. */
export function classify (iface: string, info: Pick<NetworkInterfaceInfo, 'address' | 'internal'>): AddressKind {
  if (info.internal || info.address.startsWith('127.')) return 'loopback'
  if (info.address.startsWith('169.254.')) return 'link-local'
  if (VIRTUAL.test(iface)) return 'virtual'
  return 'lan'
}

/** Join addresses (IPv4) with their URLs, best first, and what the host should know about them. */
export async function joinAddresses (o: { port: number, bindHost: string, pin: string | null, readers?: NetworkReaders }): Promise<{ addresses: JoinAddress[], diagnostics: Diagnostic[] }> {
  const readers = o.readers ?? systemNetworkReaders
  const defaultIface = await readers.defaultInterface()
  const isWildcard = o.bindHost === '0.0.0.0' || o.bindHost === '::'
  const found: Array<JoinAddress & { order: number }> = []
  let order = 0
  for (const [iface, list] of Object.entries(readers.interfaces())) {
    for (const info of list ?? []) {
      if (info.family !== 'IPv4') continue
      if (!isWildcard && info.address !== o.bindHost) continue
      const kind = classify(iface, info)
      found.push({ address: info.address, url: `http://${info.address}:${o.port}/`, interface: iface, kind, is_default: kind === 'lan' && iface === defaultIface, order: order++ })
    }
  }
  if (!isWildcard && found.length === 0) {
    const kind = o.bindHost.startsWith('127.') || o.bindHost === 'localhost' ? 'loopback' : 'lan'
    found.push({ address: o.bindHost, url: `http://${o.bindHost}:${o.port}/`, interface: '', kind, is_default: false, order: 0 })
  }
  found.sort((a, b) => Number(b.is_default) - Number(a.is_default) || KIND_ORDER[a.kind] - KIND_ORDER[b.kind] || a.order - b.order)
  const addresses = found.map(({ order: _order, ...a }) => a)

  const diagnostics: Diagnostic[] = []
  const lan = addresses.filter(a => a.kind === 'lan')
  if (!isWildcard && lan.length === 0) {
    diagnostics.push({ level: 'warn', code: 'LOOPBACK_ONLY', message: `The host listens only on ${o.bindHost}: other devices cannot join. Start it with --host 0.0.0.0 to let the class in.` })
  } else if (lan.length === 0) {
    diagnostics.push({ level: 'warn', code: 'NO_LAN_ADDRESS', message: 'This computer has no network address other devices can reach. Connect it to the classroom Wi-Fi or network.' })
  } else if (lan.length > 1 && !lan.some(a => a.is_default)) {
    diagnostics.push({ level: 'info', code: 'SEVERAL_NETWORKS', message: 'This computer is on several networks. Pick the one the class uses for the QR code.' })
  }
  if (addresses.some(a => a.kind === 'link-local') && lan.length === 0) {
    diagnostics.push({ level: 'warn', code: 'LINK_LOCAL_ONLY', message: 'Only a self-assigned address (169.254.x.x) is present: the network gave this computer no address. Check the Wi-Fi connection.' })
  }
  if (o.pin !== null) diagnostics.push({ level: 'info', code: 'PIN_REQUIRED', message: `Joining needs the PIN ${o.pin}.` })
  return { addresses, diagnostics }
}

async function run (file: string, args: string[]): Promise<string> {
  return await new Promise((resolve, reject) => {
    execFile(file, args, { timeout: 2000 }, (err, stdout) => { if (err !== null) reject(err); else resolve(stdout) })
  })
}
