/**
 * DNS rebinding defence: the host answers only requests whose `Host` names this computer (its own
 * addresses, loopback, `localhost`, its hostname and `<hostname>.local`, and the names the host
 * added in the settings or with --allowed-host), as Vite's `server.allowedHosts` does. A page on the
 * internet that rebinds its own DNS name to this computer's address sends its own name as `Host`
 * and is refused before any route runs. The WebSocket `Origin` check uses the same list.
 * @see https://vite.dev/config/server-options#server-allowedhosts
 */
import { hostname as osHostname, networkInterfaces } from 'node:os'
import { isIP } from 'node:net'
import type { FastifyInstance } from 'fastify'
import { errorBody, Errors } from '../errors.js'

export interface HostNames {
  /** True when `name` (a Host value's name part, without port or brackets) names this computer. */
  isAllowed (name: string): boolean
}

/** Readers of the operating system, injected so tests are pure. */
export interface HostSources {
  hostname: () => string
  /** this computer's addresses */
  addresses: () => string[]
  /** names added by the host (settings, --allowed-host) */
  extra: () => readonly string[]
}

const ADDRESS_CACHE_MS = 5000

/** The list of names and addresses this computer answers to; addresses are re-read every few seconds (DHCP). */
export function createHostNames (sources: Partial<HostSources> & Pick<HostSources, 'extra'>): HostNames {
  const hostname = sources.hostname ?? osHostname
  const addresses = sources.addresses ?? localAddresses
  let cached: { at: number, set: Set<string> } | null = null
  const own = (): Set<string> => {
    if (cached === null || Date.now() - cached.at > ADDRESS_CACHE_MS) cached = { at: Date.now(), set: new Set(addresses().map(a => a.toLowerCase())) }
    return cached.set
  }
  return {
    isAllowed (raw) {
      const name = raw.toLowerCase().replace(/^\[|\]$/g, '').replace(/\.$/, '')
      if (name === '') return false
      const ip = isIP(name)
      if (ip !== 0) {
        const plain = name.startsWith('::ffff:') ? name.slice(7) : name
        return plain.startsWith('127.') || plain === '::1' || own().has(plain)
      }
      if (name === 'localhost' || name.endsWith('.localhost')) return true
      const host = hostname().toLowerCase()
      if (name === host || name === `${host}.local` || name === host.split('.')[0]) return true
      return sources.extra().some(h => h.toLowerCase() === name)
    }
  }
}

/** The name part of a Host header (`name:port`, `[v6]:port`). */
export function hostPart (host: string): string {
  if (host.startsWith('[')) return host.slice(0, host.indexOf(']') + 1)
  const i = host.lastIndexOf(':')
  return i < 0 ? host : host.slice(0, i)
}

/**
 * True when a WebSocket `Origin` names this computer: a name on the same allow-list as the Host
 * check (never just "whatever Host the request sent", which a rebinding DNS name controls) and the
 * same port as the request's Host. Both sockets (room and console) use this one rule.
 */
export function isSameOrigin (origin: string, host: string | undefined, names: HostNames): boolean {
  if (host === undefined) return false
  try {
    const url = new URL(origin)
    const request = new URL(`http://${host}`)
    return (url.protocol === 'http:' || url.protocol === 'https:') && names.isAllowed(url.hostname) && url.port === request.port
  } catch {
    return false
  }
}

/** Refuses requests whose Host is not one of this computer's names (403 ERR_HOST_NOT_ALLOWED). */
export function registerHostCheck (app: FastifyInstance, names: HostNames): void {
  app.addHook('onRequest', async (request, reply) => {
    const host = request.headers.host
    // HTTP/1.0 clients may send none; browsers always do (and a rebinding attack needs one).
    if (host === undefined || host === '') return
    const name = hostPart(host)
    if (names.isAllowed(name)) return
    const e = Errors.hostNotAllowed(`This computer does not answer to the name "${name}". Open the room by its address (the join link the host shows), ` +
      `or, if "${name}" really names this computer, add it in the host console under Settings → Allowed host names (or start the host with --allowed-host ${name}).`)
    // Answered here rather than thrown: a refused WebSocket upgrade must end its request too
    // (a thrown error left it pending, and closing the app waited for it).
    return await reply.code(e.statusCode).header('connection', 'close').send(errorBody(e.code, e.message))
  })
}

function localAddresses (): string[] {
  const out: string[] = []
  for (const list of Object.values(networkInterfaces())) for (const a of list ?? []) out.push(a.address.split('%')[0]!)
  return out
}
