/**
 * The one way the host starts listening, shared by both composition roots (`npm run serve` and the
 * desktop shell): the configured port, or the next free one when it is taken, so that a second
 * program on port 8000 does not keep a teacher from starting the room.
 */
import type { FastifyInstance } from 'fastify'

/** Where the host ended up listening. */
export interface Listening {
  port: number
  /** The configured port when it was taken and a later one is used; null when the configured port was free. */
  fallbackFrom: number | null
}

export interface ListenOptions {
  port: number
  host: string
  /** How many ports after `port` to try when it is taken (default 20; 0 = no fallback). */
  fallbackTries?: number
}

/** Thrown when neither the port nor any fallback could be used; the message says what to do. */
export class ListenError extends Error {
  override name = 'ListenError'
  readonly code: string
  constructor (message: string, code: string, options?: ErrorOptions) {
    super(message, options)
    this.code = code
  }
}

/** Listens on `port`, or on the first free port after it; closes nothing on failure (the caller owns the app). */
export async function listen (app: FastifyInstance, { port, host, fallbackTries = 20 }: ListenOptions): Promise<Listening> {
  // Port 0 asks the OS for any free port: nothing to fall back from.
  const last = port === 0 ? 0 : Math.min(port + fallbackTries, 65535)
  let firstError: NodeJS.ErrnoException | null = null
  for (let candidate = port; candidate <= last; candidate++) {
    try {
      await app.listen({ port: candidate, host })
      return { port: boundPort(app, candidate), fallbackFrom: candidate === port ? null : port }
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code
      if (code !== 'EADDRINUSE' && code !== 'EACCES') throw describe(err as NodeJS.ErrnoException, port, host)
      firstError ??= err as NodeJS.ErrnoException
    }
  }
  throw describe(firstError!, port, host, last)
}

function boundPort (app: FastifyInstance, fallback: number): number {
  const address = app.server.address()
  return typeof address === 'object' && address !== null ? address.port : fallback
}

function describe (err: NodeJS.ErrnoException, port: number, host: string, last?: number): ListenError {
  const isRange = last !== undefined && last > port
  const range = isRange ? `Ports ${port} to ${last}` : `Port ${port}`
  const are = isRange ? 'are' : 'is'
  switch (err.code) {
    case 'EADDRINUSE':
      return new ListenError(`${range} on ${host} ${are} already in use (is another MindWeb Host running?). Close the other program or choose another port.`, 'EADDRINUSE', { cause: err })
    case 'EACCES':
      return new ListenError(`${range} on ${host} may not be used by this user. Choose a port above 1024.`, 'EACCES', { cause: err })
    case 'EADDRNOTAVAIL':
      return new ListenError(`The address ${host} does not belong to this computer. Use 0.0.0.0 (every network) or one of its own addresses.`, 'EADDRNOTAVAIL', { cause: err })
    default:
      return new ListenError(`Could not listen on ${host}:${port}: ${err.message}`, err.code ?? 'ERR_LISTEN', { cause: err })
  }
}
