/**
 * A cap on raw TCP connections per client address, counted on the HTTP server's 'connection' event:
 * the WebSocket caps (connections.ts) count upgraded sockets only, so one device could otherwise
 * hold thousands of idle HTTP connections (each a file descriptor and a parser). A connection over
 * the cap is destroyed before a byte is read; the slot frees when the socket closes.
 */
import type { Server } from 'node:net'
import { addressKey } from './index.js'

/** Counts connections per address on `server` and destroys the ones over `perAddress`. */
export function capConnectionsPerAddress (server: Server, perAddress: number, onRefused: (address: string) => void = () => {}): { count: (address: string) => number } {
  const byAddress = new Map<string, number>()
  server.on('connection', (socket) => {
    const raw = socket.remoteAddress
    // A socket already gone has no address: nothing to count, nothing to free.
    if (raw === undefined) return
    const address = addressKey(raw)
    const n = byAddress.get(address) ?? 0
    if (n >= perAddress) {
      onRefused(address)
      socket.destroy()
      return
    }
    byAddress.set(address, n + 1)
    socket.once('close', () => {
      const left = (byAddress.get(address) ?? 1) - 1
      if (left <= 0) byAddress.delete(address)
      else byAddress.set(address, left)
    })
  })
  return { count: (address) => byAddress.get(addressKey(address)) ?? 0 }
}
