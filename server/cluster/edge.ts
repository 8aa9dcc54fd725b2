/**
 * A fan-out edge (`--role edge --redis URL`): holds participants' sockets and serves the pages,
 * `/healthz` and `/metrics`; knows no SQLite, no AI and no writer address. The room stream's
 * entries are ready-made WebSocket frames, written with the single host's fan-out engine (one
 * buffer per group of sockets); a socket's own frames (hello and replay, errors, kicks) come on this
 * edge's stream. A new socket joins the shared stream exactly where its replay ended (`upTo`): frames
 * the edge read after that point are replayed from a short ring, so it misses nothing and sees
 * nothing twice. The edge resumes its streams from the last ids it read after any Redis loss.
 */
import { hostname } from 'node:os'
import { randomBytes } from 'node:crypto'
import Fastify, { LogController, type FastifyInstance } from 'fastify'
import websocket from '@fastify/websocket'
import type { Config } from '../config.js'
import { errorBody, Errors } from '../errors.js'
import { createConnection, SLOW_CONSUMER_CLOSE, type HubConnection, type OutboxEntry } from '../room/engine/hub.js'
import { createFanOut } from '../room/engine/fan-out.js'
import { encodeJsonFrame } from '../room/engine/ws-frame.js'
import { isLoopback } from '../plugins/auth.js'
import { registerWeb } from '../plugins/web.js'
import { listen } from '../listen.js'
import { createEdgeMetrics } from './edge-metrics.js'
import { openRedis, sleep } from './redis.js'
import {
  compareIds, EDGE_HEARTBEAT_MS, edgeStream, fieldsOf, Inbound, INBOUND_STREAM, INBOUND_STREAM_MAXLEN, parseId, Reply,
  ROOM_STREAM, RoomEntry, type StreamId
} from './streams.js'

export interface RunningEdge {
  app: FastifyInstance
  port: number
  edgeId: string
  close (): Promise<void>
}

interface Accepted {
  upTo: StreamId
  userId: number
  bytes: Buffer | undefined
}

interface OpenAnswer {
  accepted?: Accepted
  refused?: { status: number, body: { error: { code: string, message: string } }, retryAfterMs?: number }
}

interface EdgeSocket {
  id: string
  conn: HubConnection
  token: string
  address: string
}

/** How long an upgrade waits for the writer's answer before it is refused with 503. */
const OPEN_TIMEOUT_MS = 10_000
/** Room-stream entries kept to bring a new socket from its replay's end to now. */
const RING_SIZE = 5000

/** Starts an edge and listens; closing it closes its sockets with 1001. */
export async function startEdge (config: Config, o: { logStream?: NodeJS.WritableStream } = {}): Promise<RunningEdge> {
  if (config.redisUrl == null) throw new Error('an edge needs --redis')
  const edgeId = `${hostname()}-${process.pid}-${randomBytes(3).toString('hex')}`
  const app = Fastify({
    logger: { level: config.logLevel, ...(o.logStream !== undefined ? { stream: o.logStream } : {}), redact: { paths: ['req.headers.authorization', '*.token', 'token'], censor: '[redacted]' } },
    trustProxy: config.trustProxy,
    logController: new LogController({ disableRequestLogging: true }),
    connectionTimeout: config.httpIdleTimeoutMs
  })
  const log = app.log.child({ part: 'edge', edge: edgeId })

  const stats = { bytesWritten: 0, writes: 0, slowConsumersDropped: 0, flushes: 0, flushIntervalMs: 0 }
  const metrics = createEdgeMetrics(() => sockets.size, stats)
  const { registry, reconnects, framesIn, opens, gaps } = metrics

  const cmd = openRedis(config.redisUrl, `mindweb-edge-${edgeId}`, log, () => reconnects.inc())
  const blocking = openRedis(config.redisUrl, `mindweb-edge-read-${edgeId}`, log, () => reconnects.inc())
  await cmd.ping()

  // ---- sockets and the fan-out engine (nothing to save first: the writer saved it)
  const sockets = new Map<string, EdgeSocket>()
  const byUser = new Map<number, Set<EdgeSocket>>()
  const fanOut = createFanOut({
    maxBufferedBytes: config.wsMaxBufferedBytes,
    gapFactor: 0.5,
    groupSize: config.flushGroupSize,
    retryMs: 200,
    stats,
    beforeWrite: () => true,
    savedThrough: () => Infinity,
    hasPendingDeltas: () => false,
    onSlowConsumer: (conn) => { closeDetached(conn, SLOW_CONSUMER_CLOSE, 'You stopped reading; reconnect with since= to catch up.') }
  })
  const closeDetached = (conn: HubConnection, code: number, reason: string): void => {
    conn.isClosed = true
    conn.ws.close(code, reason)
    setTimeout(() => conn.ws.terminate(), 2000).unref()
  }
  const closeAfterFlush = (conn: HubConnection, code: number, reason: string): void => {
    if (conn.isClosed) return
    fanOut.flushConnection(conn)
    closeDetached(conn, code, reason)
  }
  const sendTo = (conn: HubConnection, buf: Buffer): void => {
    fanOut.markSpecial(conn)
    fanOut.push({ buf, target: conn, epoch: -1 })
  }

  // ---- the room stream: dedupe, ring, fan-out
  let lastRoomId: StreamId = [0, 0]
  let lastRoomIdText = '0-0'
  let lastEdgeIdText = '0-0'
  let writerEpoch = ''
  let writerCounter = 0
  const ring: Array<{ id: StreamId, entry: OutboxEntry }> = []
  const waiting: Array<{ upTo: StreamId, go: () => void }> = []

  const newest = await cmd.xrevrange(ROOM_STREAM, '+', '-', 'COUNT', 1)
  if (newest.length > 0) { lastRoomIdText = newest[0]![0]; lastRoomId = parseId(lastRoomIdText) }

  function onRoomEntry (idText: string, f: Map<string, Buffer>): void {
    const id = parseId(idText)
    lastRoomId = id
    lastRoomIdText = idText
    metrics.lagMs = Math.max(0, Date.now() - id[0])
    const w = f.get('w')?.toString('latin1') ?? ''
    const i = Number(f.get('i')?.toString('latin1') ?? '0')
    // A frame ioredis sent twice across a reconnect comes with the counter it already had.
    if (w === writerEpoch && i <= writerCounter) return
    // Entries this edge never got (trimmed while it lagged far behind, or lost by Redis): its
    // sockets resume with since= from the writer's history rather than show a gap.
    if (w === writerEpoch && i > writerCounter + 1) dropEverySocket(i - writerCounter - 1)
    writerEpoch = w
    writerCounter = i
    const kind = f.get('k')?.toString('latin1')
    if (kind === RoomEntry.resync) { sendSync(); return }
    const buf = f.get('b')
    if (kind !== RoomEntry.frame || buf === undefined) return
    framesIn.inc()
    const entry: OutboxEntry = { buf, epoch: -1 }
    const vu = f.get('vu')
    const vb = f.get('vb')
    if (vu !== undefined && vb !== undefined) {
      entry.variantUser = Number(vu.toString('latin1'))
      entry.variantBuf = vb
      for (const sock of byUser.get(entry.variantUser) ?? []) fanOut.markSpecial(sock.conn)
    }
    ring.push({ id, entry })
    if (ring.length > RING_SIZE) ring.splice(0, ring.length - RING_SIZE)
    fanOut.push(entry)
  }

  function dropEverySocket (missed: number): void {
    log.warn({ missed, sockets: sockets.size }, 'room-stream entries were lost to this edge; its sockets resume with since=')
    gaps.inc()
    ring.length = 0
    for (const sk of sockets.values()) closeAfterFlush(sk.conn, SLOW_CONSUMER_CLOSE, 'Reconnect with since= to catch up.')
  }

  // ---- this edge's stream: answers to upgrades, frames and closes for one socket
  const pendingOpens = new Map<string, (answer: OpenAnswer) => void>()

  function onEdgeEntry (f: Map<string, Buffer>): void {
    const id = f.get('c')?.toString('latin1') ?? ''
    const kind = f.get('k')?.toString('latin1')
    const meta = JSON.parse(f.get('p')?.toString('utf8') ?? '{}') as Record<string, unknown>
    const bytes = f.get('b')
    if (kind === Reply.accepted || kind === Reply.refused) {
      const resolve = pendingOpens.get(id)
      if (resolve === undefined) {
        // The upgrade gave up waiting: the writer must not count this socket. (A live socket's open
        // answered twice, by a writer that restarted before acknowledging it, is left alone.)
        if (kind === Reply.accepted && !sockets.has(id)) inbound(Inbound.close, id)
        return
      }
      pendingOpens.delete(id)
      if (kind === Reply.accepted) resolve({ accepted: { upTo: parseId(f.get('u')?.toString('latin1') ?? '0-0'), userId: Number(meta.user_id), bytes } })
      else resolve({ refused: { status: Number(meta.status ?? 503), body: { error: meta.error as { code: string, message: string } }, ...(typeof meta.retry_after_ms === 'number' ? { retryAfterMs: meta.retry_after_ms } : {}) } })
      return
    }
    const sock = sockets.get(id)
    if (sock === undefined) return
    if (bytes !== undefined) sendTo(sock.conn, bytes)
    if (kind === Reply.close) closeAfterFlush(sock.conn, Number(meta.code ?? 4001), String(meta.reason ?? 'Closed by the host'))
  }

  function inbound (type: string, connId: string, extra: Array<string | Buffer> = []): void {
    cmd.xadd(INBOUND_STREAM, 'MAXLEN', '~', String(INBOUND_STREAM_MAXLEN), '*', 't', type, 'e', edgeId, 'c', connId, ...extra)
      .catch((err: unknown) => log.warn({ err }, 'could not reach the writer through Redis'))
  }

  function sendSync (): void {
    const list = [...sockets.values()].map(sk => [sk.id, sk.token, sk.address])
    inbound(Inbound.sync, '', ['p', JSON.stringify(list)])
    log.info({ sockets: list.length }, 'listed this edge\'s sockets for a new writer')
  }

  // ---- one reader for both streams; it goes on from the last ids after any loss
  const state = { isClosing: false }
  const reader = (async () => {
    while (!state.isClosing) {
      try {
        const res = await blocking.xreadBuffer('COUNT', 1000, 'BLOCK', 1000, 'STREAMS', ROOM_STREAM, edgeStream(edgeId), lastRoomIdText, lastEdgeIdText) as Array<[Buffer, Array<[Buffer, Buffer[]]>]> | null
        if (res === null) continue
        // Room frames first: an answer in the same batch may point at one of them.
        for (const [key, entries] of res) {
          if (key.toString('latin1') !== ROOM_STREAM) continue
          for (const [idBuf, flat] of entries) onRoomEntry(idBuf.toString('latin1'), fieldsOf(flat))
        }
        for (const [key, entries] of res) {
          if (key.toString('latin1') === ROOM_STREAM) continue
          for (const [idBuf, flat] of entries) { lastEdgeIdText = idBuf.toString('latin1'); onEdgeEntry(fieldsOf(flat)) }
        }
        for (let n = waiting.length - 1; n >= 0; n--) {
          const w = waiting[n]!
          if (compareIds(lastRoomId, w.upTo) >= 0) { waiting.splice(n, 1); w.go() }
        }
      } catch (err) {
        if (state.isClosing) break
        log.warn({ err: (err as Error).message }, 'reading the room stream failed; retrying')
        await sleep(200)
      }
    }
  })()

  const heartbeat = setInterval(() => { inbound(Inbound.heartbeat, '', ['n', String(sockets.size)]) }, EDGE_HEARTBEAT_MS)
  heartbeat.unref()
  inbound(Inbound.heartbeat, '', ['n', '0'])

  const ping = setInterval(() => {
    for (const sk of sockets.values()) {
      if (!sk.conn.isAlive) { sk.conn.ws.terminate(); continue }
      sk.conn.isAlive = false
      sk.conn.ws.ping()
    }
  }, config.heartbeatMs)
  ping.unref()

  // ---- HTTP and the socket
  await app.register(websocket, {
    options: { maxPayload: config.wsMaxPayload, perMessageDeflate: false, clientTracking: false },
    preClose: (done) => {
      for (const sk of sockets.values()) closeAfterFlush(sk.conn, 1001, 'The host is shutting down')
      done()
    }
  })
  app.get('/healthz', async () => ({ ok: true, role: 'edge' }))
  app.get('/metrics', async (request, reply) => {
    if (!(isLoopback(request.socket.remoteAddress) && isLoopback(request.ip))) {
      const auth = request.headers.authorization ?? ''
      if (auth !== `Bearer ${config.adminToken}`) {
        const e = Errors.metricsUnauthorized()
        return await reply.code(e.statusCode).send(errorBody(e.code, e.message))
      }
    }
    return await reply.header('content-type', registry.contentType).header('cache-control', 'no-store').send(await registry.metrics())
  })

  let nextSocket = 1
  app.get('/api/broadcast/ws', {
    websocket: true,
    preValidation: async (request, reply) => {
      const q = request.query as { token?: string, since?: string }
      const origin = request.headers.origin
      if (origin !== undefined && !sameOrigin(origin, request.headers.host)) {
        const e = Errors.badOrigin()
        return await reply.code(e.statusCode).send(errorBody(e.code, e.message))
      }
      const since = q.since === undefined ? null : Number(q.since)
      if (since !== null && (!Number.isInteger(since) || since < 0)) {
        const e = Errors.validation('querystring/since must be an integer of at least 0')
        return await reply.code(e.statusCode).send(errorBody(e.code, e.message))
      }
      const id = `${nextSocket++}`
      const answer = await new Promise<OpenAnswer | null>((resolve) => {
        const timer = setTimeout(() => { pendingOpens.delete(id); resolve(null) }, OPEN_TIMEOUT_MS)
        pendingOpens.set(id, (a) => { clearTimeout(timer); resolve(a) })
        inbound(Inbound.open, id, ['p', JSON.stringify({ token: q.token ?? null, since, address: request.ip })])
      })
      if (answer === null) {
        opens.inc({ outcome: 'timeout' })
        return await reply.code(503).header('retry-after', '2').send(errorBody('ERR_SHUTTING_DOWN', 'The room is not reachable right now; try again in a moment.'))
      }
      if (answer.refused !== undefined) {
        opens.inc({ outcome: 'refused' })
        if (answer.refused.retryAfterMs !== undefined) reply.header('retry-after', Math.ceil(answer.refused.retryAfterMs / 1000))
        return await reply.code(answer.refused.status).send(answer.refused.body)
      }
      opens.inc({ outcome: 'accepted' })
      // An upgrade that never completes still releases the writer's count of it.
      request.raw.socket.once('close', () => { if (!sockets.has(id)) inbound(Inbound.close, id) });
      (request as unknown as { clusterOpen: { id: string, accepted: Accepted, token: string } }).clusterOpen = { id, accepted: answer.accepted!, token: q.token ?? '' }
    }
  }, (ws, request) => {
    const { id, accepted, token } = (request as unknown as { clusterOpen: { id: string, accepted: Accepted, token: string } }).clusterOpen
    const conn = createConnection({ ws, role: 'participant', userId: accepted.userId, address: request.ip })
    const sock: EdgeSocket = { id, conn, token, address: request.ip }
    let isLive = false
    const early: Buffer[] = []
    // Each frame carries its socket's token: a writer that restarted handles it even before this
    // edge has listed its sockets again, so a post sent while the writer was down is not lost.
    const forward = (d: Buffer): void => { inbound(Inbound.frame, id, ['d', d, 'tk', token, 'a', sock.address]) }

    ws.on('message', (data, isBinary) => {
      conn.isAlive = true
      const text = data as Buffer
      if (!isBinary && text.length < 32 && /^\s*\{\s*"type"\s*:\s*"ping"\s*\}\s*$/.test(text.toString('utf8'))) {
        if (isLive) sendTo(conn, PONG)
        return
      }
      if (isBinary) { if (isLive) sendTo(conn, encodeJsonFrame({ type: 'error', code: 'ERR_BAD_REQUEST', message: 'Frames must be JSON text.' })); return }
      if (!isLive) { early.push(Buffer.from(text)); return }
      forward(text)
    })
    ws.on('pong', () => { conn.isAlive = true })
    ws.on('error', (err) => { log.debug({ err: err.message }, 'socket error') })
    ws.on('close', () => {
      conn.isClosed = true
      fanOut.detach(conn)
      if (sockets.delete(id)) {
        const set = byUser.get(accepted.userId)
        set?.delete(sock)
        if (set?.size === 0) byUser.delete(accepted.userId)
      }
      inbound(Inbound.close, id)
    })

    const go = (): void => {
      if (conn.isClosed || ws.readyState !== ws.OPEN) return
      const first = ring[0]
      if (first !== undefined && compareIds(first.id, accepted.upTo) > 0 && compareIds(lastRoomId, accepted.upTo) > 0 && ring.length >= RING_SIZE) {
        // The ring no longer reaches back to where the replay ended: the client resumes with since=.
        closeDetached(conn, SLOW_CONSUMER_CLOSE, 'Reconnect with since= to catch up.')
        return
      }
      fanOut.add(conn)
      sockets.set(id, sock)
      let set = byUser.get(accepted.userId)
      if (set === undefined) { set = new Set(); byUser.set(accepted.userId, set) }
      set.add(sock)
      if (accepted.bytes !== undefined) sendTo(conn, accepted.bytes)
      for (const r of ring) {
        if (compareIds(r.id, accepted.upTo) <= 0) continue
        sendTo(conn, r.entry.variantUser === accepted.userId && r.entry.variantBuf !== undefined ? r.entry.variantBuf : r.entry.buf)
      }
      isLive = true
      for (const d of early.splice(0)) forward(d)
    }
    if (compareIds(lastRoomId, accepted.upTo) >= 0) go()
    else waiting.push({ upTo: accepted.upTo, go })
  })

  if (config.webRoot !== null) await registerWeb(app, config.webRoot)

  app.addHook('onClose', async () => {
    state.isClosing = true
    clearInterval(heartbeat)
    clearInterval(ping)
    fanOut.flushAll()
    for (const sk of sockets.values()) inbound(Inbound.close, sk.id)
    await sleep(50)
    blocking.disconnect()
    await reader.catch(() => {})
    await cmd.quit().catch(() => {})
  })

  let listening
  try {
    listening = await listen(app, { port: config.port, host: config.host, fallbackTries: 0 })
  } catch (err) {
    await app.close()
    throw err
  }
  log.info({ port: listening.port }, 'edge listening')
  return { app, port: listening.port, edgeId, close: async () => { await app.close() } }
}

const PONG = encodeJsonFrame({ type: 'pong' })

/** True when the Origin names the host the browser asked for (scripts send no Origin). */
function sameOrigin (origin: string, host: string | undefined): boolean {
  try {
    return host !== undefined && new URL(origin).host === host
  } catch {
    return false
  }
}
