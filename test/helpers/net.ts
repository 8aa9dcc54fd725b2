/**
 * Simulated LAN devices: every loopback address (127.x.y.z) is its own client address, so tests
 * bind a distinct source address per "device" (the undici Agent option `localAddress`; inside
 * `connect: {}` it is ignored).
 */
import { createServer } from 'node:net'
import type { AddressInfo } from 'node:net'
import { Agent, fetch, type RequestInit } from 'undici'

const agents = new Map<string, Agent>()

/** fetch() from a given local source address (e.g. '127.0.0.7'). */
export async function fetchFrom (localAddress: string, url: string, init: RequestInit = {}): Promise<Response> {
  let agent = agents.get(localAddress)
  if (agent === undefined) {
    agent = new Agent({ localAddress })
    agents.set(localAddress, agent)
  }
  return await fetch(url, { ...init, dispatcher: agent }) as unknown as Response
}

/** Closes the agents made so far (call from an `after` hook). */
export async function closeAgents (): Promise<void> {
  const list = [...agents.values()]
  agents.clear()
  await Promise.all(list.map(async a => { await a.close() }))
}

/** A loopback port that was free a moment ago: a server can bind it, and connecting to it is refused. */
export async function freePort (): Promise<number> {
  const server = createServer()
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  await new Promise<void>((resolve) => server.close(() => resolve()))
  return port
}
