/**
 * The writer's side of a cluster (`--role writer`): the normal host, plus three links to Redis.
 * - Every frame its hub saves is appended to the room stream (the hub's tap, after the write-ahead
 *   save, in the hub's order), with the writer's epoch and a counter so that an edge drops a frame
 *   ioredis sent twice across a reconnect.
 * - The inbound stream (consumer group `writer`): an edge's `open` is authenticated and answered on
 *   that edge's stream with hello, the replay since= (from SQLite, so any `since` works on any edge)
 *   and snapshots, together with the room-stream id they are current to; client frames go through
 *   the same dispatcher as local sockets; `close` ends them. Entries are acknowledged after they
 *   were handled, so a writer restart reads again what it had not finished.
 * - Remote sockets count as online (hub.setRemoteSockets) and kick/ban close them on their edge.
 */
import { randomBytes } from 'node:crypto'
import type { FastifyInstance } from 'fastify'
import { Counter, Gauge, type Registry } from 'prom-client'
import type { Redis } from 'ioredis'
import type { ServerFrame } from '../protocol/index.js'
import { errorBody, Errors, type AppError } from '../errors.js'
import type { ParticipantRecord } from '../ports.js'
import type { OutboxEntry, RemoteSockets } from '../room/engine/hub.js'
import { encodeJsonFrame } from '../room/engine/ws-frame.js'
import { errorFrame, persistedFrame } from '../room/frames.js'
import { dispatchClientFrame } from '../routes/ws/client-frames.js'
import { ensureGroup, openRedis, sleep } from './redis.js'
import {
  EDGE_STREAM_MAXLEN, EDGE_TIMEOUT_MS, edgeStream, fieldsOf, Inbound, INBOUND_STREAM, Reply, ROOM_STREAM,
  ROOM_STREAM_MAXLEN, RoomEntry, WRITER_GROUP
} from './streams.js'

export interface ClusterWriter {
  /** Waits for the frames already handed to Redis, then closes its connections. */
  close (): Promise<void>
}

interface RemoteConn {
  key: string
  edge: string
  id: string
  participant: ParticipantRecord
  address: string
  gate: () => number
}

interface EdgeState {
  lastSeen: number
  conns: Set<string>
}

/** Links a built (not yet listening) host to the cluster's Redis. */
export async function attachClusterWriter (app: FastifyInstance, o: { redisUrl: string, registry: Registry }): Promise<ClusterWriter> {
  const s = app.services
  const log = app.log.child({ part: 'cluster-writer' })
  const reconnects = new Counter({ name: 'mindweb_redis_reconnects_total', help: 'Times a Redis connection came back after a loss.', registers: [o.registry] })
  const appends = new Counter({ name: 'mindweb_cluster_stream_appends_total', help: 'Frames appended to the room stream.', registers: [o.registry] })
  const inboundHandled = new Counter({ name: 'mindweb_cluster_inbound_handled_total', help: 'Inbound stream entries handled (joins, client frames, closes).', labelNames: ['type'], registers: [o.registry] })
  const cmd = openRedis(o.redisUrl, 'mindweb-writer', log, () => reconnects.inc())
  const blocking = openRedis(o.redisUrl, 'mindweb-writer-read', log, () => reconnects.inc())
  await cmd.ping()
  // eslint-disable-next-line no-new
  new Gauge({ name: 'mindweb_cluster_remote_sockets', help: 'Participants\' sockets held by edges.', registers: [o.registry], collect () { this.set(remote.size) } })

  const epoch = randomBytes(6).toString('hex')
  let counter = 0
  /** the id of the newest room-stream entry handed to Redis (resolves once Redis has it) */
  let lastAppend: Promise<string | null> = Promise.resolve(null)

  function append (fields: Array<string | Buffer>): void {
    counter++
    appends.inc()
    const p = cmd.xadd(ROOM_STREAM, 'MAXLEN', '~', String(ROOM_STREAM_MAXLEN), '*', 'w', epoch, 'i', String(counter), ...fields)
    lastAppend = p.catch((err: unknown) => { log.error({ err }, 'could not append a frame to the room stream'); return null })
  }

  function appendEntry (e: OutboxEntry): void {
    if (e.target !== undefined || e.isAdminOnly === true) return
    const fields: Array<string | Buffer> = ['k', RoomEntry.frame, 'b', e.buf]
    if (e.variantUser !== undefined && e.variantBuf !== undefined) fields.push('vu', String(e.variantUser), 'vb', e.variantBuf)
    if (e.chunk === undefined) {
      const seq = seqOf(e.buf)
      if (seq !== null) fields.push('q', String(seq))
    }
    append(fields)
  }

  // Frames the last writer saved but never appended (it stopped in between) come first.
  await appendMissed()
  s.hub.setTap(entries => { for (const e of entries) appendEntry(e) })

  // ---- remote sockets
  const remote = new Map<string, RemoteConn>()
  const remoteByUser = new Map<number, Set<RemoteConn>>()
  const edges = new Map<string, EdgeState>()

  const remoteSockets: RemoteSockets = {
    isOnline: (userId) => remoteByUser.has(userId),
    onlineCount (local) {
      let n = remoteByUser.size
      for (const id of local) if (!remoteByUser.has(id)) n++
      return n
    },
    close (userId, frame, code, reason) {
      for (const c of remoteByUser.get(userId) ?? []) reply(c.edge, c.id, Reply.close, [frame], { code, reason })
    }
  }
  s.hub.setRemoteSockets(remoteSockets)

  function reply (edge: string, connId: string, kind: string, frames: readonly ServerFrame[], meta?: object, upTo?: string): void {
    const fields: Array<string | Buffer> = ['c', connId, 'k', kind]
    if (frames.length > 0) fields.push('b', Buffer.concat(frames.map(f => encodeJsonFrame(f))))
    if (meta !== undefined) fields.push('p', JSON.stringify(meta))
    if (upTo !== undefined) fields.push('u', upTo)
    cmd.xadd(edgeStream(edge), 'MAXLEN', '~', String(EDGE_STREAM_MAXLEN), '*', ...fields).catch((err: unknown) => log.warn({ err }, 'could not answer an edge'))
  }

  function edgeOf (id: string): EdgeState {
    let e = edges.get(id)
    if (e === undefined) { e = { lastSeen: Date.now(), conns: new Set() }; edges.set(id, e) }
    return e
  }

  /** Registers a socket held by an edge; true when its participant was online nowhere before. */
  function addRemote (edge: string, id: string, participant: ParticipantRecord, address: string): boolean {
    const key = `${edge}/${id}`
    if (remote.has(key)) return false
    const wasOnline = s.hub.isOnline(participant.id)
    const c: RemoteConn = { key, edge, id, participant, address, gate: s.limits.frameGate() }
    remote.set(key, c)
    edgeOf(edge).conns.add(key)
    let set = remoteByUser.get(participant.id)
    if (set === undefined) { set = new Set(); remoteByUser.set(participant.id, set) }
    set.add(c)
    return !wasOnline
  }

  function removeRemote (key: string): void {
    const c = remote.get(key)
    if (c === undefined) return
    remote.delete(key)
    edges.get(c.edge)?.conns.delete(key)
    s.limits.releaseConnection(c.address)
    const set = remoteByUser.get(c.participant.id)
    set?.delete(c)
    if (set !== undefined && set.size === 0) {
      remoteByUser.delete(c.participant.id)
      if (!s.hub.isOnline(c.participant.id)) s.hub.presenceLeft(c.participant.id)
    }
    touch(c.participant.id, null)
  }

  function touch (userId: number, address: string | null): void {
    try { s.store.touchParticipant(userId, address, Date.now()) } catch (err) { log.warn({ err: (err as Error).message }, 'could not record when a participant was seen') }
    s.feed.participantChanged(userId)
    s.feed.onlineChanged()
  }

  function open (edge: string, id: string, f: Map<string, Buffer>): void {
    const meta = JSON.parse(f.get('p')?.toString('utf8') ?? '{}') as { token?: string, since?: number | null, address?: string }
    const participant = s.participants.authenticate(meta.token)
    if (participant === null) {
      const e = Errors.participantUnauthorized()
      reply(edge, id, Reply.refused, [], refusal(e.statusCode, e.code, e.message))
      return
    }
    const address = meta.address ?? 'unknown'
    const capped = s.limits.reserveConnection(address)
    if (capped !== null) {
      reply(edge, id, Reply.refused, [], { ...refusal(capped.statusCode, capped.code, capped.message), retry_after_ms: capped.retryAfterMs ?? 0 })
      return
    }
    const isFirst = addRemote(edge, id, participant, address)
    // Everything queued is appended first: the replay below and the stream then meet exactly at `upTo`.
    s.hub.flush()
    const frames = [...s.room.connectFrames(participant, meta.since ?? null, 'participant')]
    const upTo = lastAppend
    upTo.then(
      (at) => { reply(edge, id, Reply.accepted, frames, { user_id: participant.id }, at ?? '0-0') },
      () => {}
    )
    if (isFirst) s.hub.presenceJoined({ user_id: participant.id, username: participant.username, emoji: participant.emoji })
    touch(participant.id, address)
  }

  function frame (edge: string, id: string, f: Map<string, Buffer>): void {
    const data = f.get('d')
    if (data === undefined) return
    const c = remote.get(`${edge}/${id}`) ?? adopt(edge, id, f)
    if (c === undefined) return
    const send = (fr: ServerFrame): void => { reply(edge, id, Reply.frames, [fr]) }
    const sendError = (err: AppError, clientMsgId?: string): void => {
      send(errorFrame({ code: err.code, message: err.message, retryAfterMs: err.retryAfterMs }, clientMsgId))
    }
    if (c.gate() > 0) return
    dispatchClientFrame(s, data, false, { participant: c.participant, address: c.address, send, sendError }, log)
  }

  /** A frame from a socket this writer has not heard of (it restarted since): counted again, without presence frames. */
  function adopt (edge: string, id: string, f: Map<string, Buffer>): RemoteConn | undefined {
    const participant = s.participants.authenticate(f.get('tk')?.toString('utf8') ?? null)
    if (participant === null) { reply(edge, id, Reply.close, [], { code: 4001, reason: 'Removed by the host' }); return undefined }
    const address = f.get('a')?.toString('utf8') ?? 'unknown'
    s.limits.reserveConnection(address)
    addRemote(edge, id, participant, address)
    s.feed.onlineChanged()
    return remote.get(`${edge}/${id}`)
  }

  /** After a writer restart the edges list the sockets they hold: counted again, without presence frames. */
  function sync (edge: string, f: Map<string, Buffer>): void {
    const list = JSON.parse(f.get('p')?.toString('utf8') ?? '[]') as Array<[string, string, string]>
    for (const [id, token, address] of list) {
      const participant = s.participants.authenticate(token)
      if (participant === null) { reply(edge, id, Reply.close, [], { code: 4001, reason: 'Removed by the host' }); continue }
      s.limits.reserveConnection(address)
      addRemote(edge, id, participant, address)
    }
    s.feed.onlineChanged()
  }

  function handle (f: Map<string, Buffer>): void {
    const type = f.get('t')?.toString('latin1') ?? ''
    const edge = f.get('e')?.toString('latin1') ?? ''
    const id = f.get('c')?.toString('latin1') ?? ''
    inboundHandled.inc({ type })
    edgeOf(edge).lastSeen = Date.now()
    switch (type) {
      case Inbound.open: open(edge, id, f); break
      case Inbound.frame: frame(edge, id, f); break
      case Inbound.close: removeRemote(`${edge}/${id}`); break
      case Inbound.sync: sync(edge, f); break
      case Inbound.heartbeat: break
      default: log.warn({ type }, 'unknown inbound entry')
    }
  }

  // ---- the inbound loop: what this consumer had not acknowledged first (a restart), then new entries
  await ensureGroup(cmd, INBOUND_STREAM, WRITER_GROUP)
  const state = { isClosing: false }
  const consumer = 'writer'
  const loop = (async () => {
    let cursor = '0'
    while (!state.isClosing) {
      try {
        const res = await blocking.callBuffer('XREADGROUP', 'GROUP', WRITER_GROUP, consumer, 'COUNT', '500', 'BLOCK', '1000', 'STREAMS', INBOUND_STREAM, cursor) as Array<[Buffer, Array<[Buffer, Buffer[]]>]> | null
        const entries = res?.[0]?.[1] ?? []
        if (cursor === '0' && entries.length === 0) { cursor = '>'; continue }
        const ids: string[] = []
        for (const [idBuf, flat] of entries) {
          ids.push(idBuf.toString('latin1'))
          try { handle(fieldsOf(flat)) } catch (err) { log.error({ err }, 'could not handle an inbound entry') }
        }
        if (ids.length > 0) await cmd.xack(INBOUND_STREAM, WRITER_GROUP, ...ids)
        if (cursor === '0' && ids.length > 0) cursor = `${ids[ids.length - 1]}`
      } catch (err) {
        if (state.isClosing) break
        log.warn({ err: (err as Error).message }, 'reading the inbound stream failed; retrying')
        await sleep(200)
        if (String((err as Error).message).includes('NOGROUP')) await ensureGroup(cmd, INBOUND_STREAM, WRITER_GROUP).catch(() => {})
      }
    }
  })()

  // Edges that fell silent are gone: their sockets stop counting.
  const sweep = setInterval(() => {
    const now = Date.now()
    for (const [id, e] of edges) {
      if (now - e.lastSeen < EDGE_TIMEOUT_MS) continue
      for (const key of [...e.conns]) removeRemote(key)
      edges.delete(id)
      log.warn({ edge: id }, 'an edge stopped answering; its sockets no longer count')
    }
  }, 1000)
  sweep.unref()

  // Edges that held sockets for the last writer list them again.
  append(['k', RoomEntry.resync])

  return {
    async close () {
      state.isClosing = true
      clearInterval(sweep)
      s.hub.setTap(null)
      await Promise.race([lastAppend, sleep(3000)])
      blocking.disconnect()
      await loop.catch(() => {})
      await cmd.quit().catch(() => {})
    }
  }

  /** Appends the persisted frames the room stream lacks (seq above its newest). */
  async function appendMissed (): Promise<void> {
    const newest = await newestStreamSeq(cmd)
    if (newest === null) return
    let cursor = newest
    for (;;) {
      const page = s.store.eventsSince(cursor, 1000)
      for (const { event, message } of page) {
        const f = persistedFrame(event, message, null)
        if (f !== null) append(['k', RoomEntry.frame, 'b', encodeJsonFrame(f), 'q', String(event.seq)])
      }
      if (page.length < 1000) break
      cursor = page[page.length - 1]!.event.seq
    }
    if (cursor > newest) log.info({ from: newest, to: cursor }, 'appended frames the last writer had saved but not streamed')
  }
}

function refusal (status: number, code: string, message: string): { status: number } & ReturnType<typeof errorBody> {
  return { status, ...errorBody(code, message) }
}

/** The seq of a persisted frame in a ready-made WebSocket frame, or null. */
function seqOf (buf: Buffer): number | null {
  const len = buf[1]! & 0x7f
  const offset = len < 126 ? 2 : len === 126 ? 4 : 10
  const m = /"seq":(\d+)/.exec(buf.toString('utf8', offset, Math.min(buf.length, offset + 200)))
  return m === null ? null : Number(m[1])
}

/** The highest seq among the room stream's newest entries; null when the stream holds none. */
async function newestStreamSeq (redis: Redis): Promise<number | null> {
  const rows = await redis.xrevrangeBuffer(ROOM_STREAM, '+', '-', 'COUNT', 500) as Array<[Buffer, Buffer[]]>
  if (rows.length === 0) return null
  let best: number | null = null
  for (const [, flat] of rows) {
    const q = fieldsOf(flat).get('q')
    if (q !== undefined) best = Math.max(best ?? 0, Number(q.toString('latin1')))
  }
  return best
}
