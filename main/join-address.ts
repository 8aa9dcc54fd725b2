/**
 * The address students type, for the tray and the QR window. The server decides it (GET
 * /api/admin/network orders addresses with the default route's first); until that answers, the
 * first LAN IPv4 address of this computer.
 */
import { networkInterfaces } from 'node:os'
import type { ServerInfo } from './ipc-contract.js'

/** Asks the room's own server; falls back to this computer's first LAN address. */
export async function findJoinUrl (info: ServerInfo, port: number): Promise<string> {
  try {
    const res = await fetch(`${info.baseUrl}/api/admin/network`, { headers: { authorization: `Bearer ${info.adminToken}` }, signal: AbortSignal.timeout(2000) })
    if (res.ok) {
      const body = await res.json() as { addresses?: Array<{ url?: unknown }> }
      const url = body.addresses?.[0]?.url
      if (typeof url === 'string' && url !== '') return url
    }
  } catch {
    // the server's answer is a refinement; the local guess below still lets students join
  }
  return localJoinUrl(port, networkInterfaces())
}

/** The first non-internal IPv4 address, else loopback (a computer with no network). */
export function localJoinUrl (port: number, interfaces: NodeJS.Dict<Array<{ address: string, family: string | number, internal: boolean }>>): string {
  for (const list of Object.values(interfaces)) {
    for (const a of list ?? []) {
      if ((a.family === 'IPv4' || a.family === 4) && !a.internal && !a.address.startsWith('169.254.')) return `http://${a.address}:${port}/`
    }
  }
  return `http://127.0.0.1:${port}/`
}
