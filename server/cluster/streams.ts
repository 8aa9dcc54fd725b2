/**
 * The Redis keys and entry fields the writer and the edges share. Streams hold flat field/value
 * lists; frame bytes are stored as ready-made WebSocket frames, so an edge writes them unchanged.
 * @see https://redis.io/docs/latest/develop/data-types/streams/
 */

/** Every room frame (persisted and live), appended by the writer in the order its hub made them. */
export const ROOM_STREAM = 'mindweb:room'
/** Joins, client frames, closes and heartbeats from the edges; the writer reads it with a consumer group. */
export const INBOUND_STREAM = 'mindweb:inbound'
export const WRITER_GROUP = 'writer'
/** Answers for one edge's connections. */
export const edgeStream = (edgeId: string): string => `mindweb:edge:${edgeId}`

/** Approximate lengths kept (XADD MAXLEN ~): the room stream covers reconnects, older frames come from SQLite. */
export const ROOM_STREAM_MAXLEN = 20_000
export const INBOUND_STREAM_MAXLEN = 200_000
export const EDGE_STREAM_MAXLEN = 20_000

/** An edge not heard from for this long is gone: its sockets no longer count as online. */
export const EDGE_TIMEOUT_MS = 15_000
export const EDGE_HEARTBEAT_MS = 3_000

/** Inbound entry types (field `t`). */
export const Inbound = { open: 'open', frame: 'frame', close: 'close', heartbeat: 'hb', sync: 'sync' } as const
/** Per-edge reply kinds (field `k`). */
export const Reply = { accepted: 'ok', refused: 'no', frames: 'frames', close: 'close' } as const
/** Room stream entry kinds (field `k`). */
export const RoomEntry = { frame: 'f', resync: 'resync' } as const

/** A stream id as two numbers, so ids compare exactly (ms, then sequence). */
export type StreamId = readonly [number, number]

export function parseId (id: string): StreamId {
  const dash = id.indexOf('-')
  return dash < 0 ? [Number(id), 0] : [Number(id.slice(0, dash)), Number(id.slice(dash + 1))]
}

/** Negative, zero or positive like a comparator. */
export function compareIds (a: StreamId, b: StreamId): number {
  return a[0] !== b[0] ? a[0] - b[0] : a[1] - b[1]
}

/** A stream entry's flat [field, value, …] list as a map of buffers. */
export function fieldsOf (flat: readonly Buffer[]): Map<string, Buffer> {
  const out = new Map<string, Buffer>()
  for (let i = 0; i + 1 < flat.length; i += 2) out.set(flat[i]!.toString('latin1'), flat[i + 1]!)
  return out
}
