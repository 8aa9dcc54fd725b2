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
import type { FastifyInstance, FastifyReply } from 'fastify'
import { errorBody, Errors, type AppError } from '../errors.js'

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

/** A Host header's parts: the name (brackets kept for IPv6) and the port, or null when none. */
export interface ParsedHost {
  name: string
  port: number | null
}

const REG_NAME = /^(?=.{1,254}$)(?:[a-z0-9_](?:[a-z0-9_-]{0,61}[a-z0-9_])?\.)*[a-z0-9_](?:[a-z0-9_-]{0,61}[a-z0-9_])?\.?$/i

/**
 * Parses a Host header strictly (RFC 9110 §7.2: `uri-host [ ":" port ]`): a DNS name, an IPv4
 * address or a bracketed IPv6 address, and an optional port 1–65535. Anything else (userinfo, a
 * path, spaces, `localhost:1@evil`, an empty port) is null: servers and proxies disagree on how to
 * read such values, which is what smuggling and rebinding tricks live on.
 */
export function parseHost (host: string): ParsedHost | null {
  const m = /^(\[[^\]]*\]|[^:[\]]*)(?::(\d{1,5}))?$/.exec(host)
  if (m === null) return null
  const name = m[1]!
  const port = m[2] === undefined ? null : Number(m[2])
  if (port !== null && (port < 1 || port > 65535)) return null
  if (name.startsWith('[')) return isIP(name.slice(1, -1)) === 6 ? { name, port } : null
  return REG_NAME.test(name) ? { name, port } : null
}

/**
 * Refuses requests whose Host cannot be read (400 ERR_BAD_REQUEST) or is not one of this
 * computer's names (403 ERR_HOST_NOT_ALLOWED). Only HTTP/1.0 may leave it out.
 */
export function registerHostCheck (app: FastifyInstance, names: HostNames): void {
  app.addHook('onRequest', async (request, reply) => {
    const host = request.headers.host
    // HTTP/1.0 clients may send none; browsers always do (and a rebinding attack needs one).
    if (host === undefined && request.raw.httpVersion === '1.0') return
    const parsed = host === undefined ? null : parseHost(host)
    if (parsed === null) return await refuse(reply, Errors.badHost())
    if (names.isAllowed(parsed.name)) return
    const name = parsed.name
    return await refuse(reply, Errors.hostNotAllowed(`This computer does not answer to the name "${name}". Open the room by its address (the join link the host shows), ` +
      `or, if "${name}" really names this computer, add it in the host console under Settings → Allowed host names (or start the host with --allowed-host ${name}).`))
  })
}

/**
 * Answered here rather than thrown: a refused WebSocket upgrade must end its request too (a thrown
 * error left it pending, and closing the app waited for it).
 */
async function refuse (reply: FastifyReply, e: AppError): Promise<FastifyReply> {
  return await reply.code(e.statusCode).header('connection', 'close').send(errorBody(e.code, e.message))
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

function localAddresses (): string[] {
  const out: string[] = []
  for (const list of Object.values(networkInterfaces())) for (const a of list ?? []) out.push(a.address.split('%')[0]!)
  return out
}
