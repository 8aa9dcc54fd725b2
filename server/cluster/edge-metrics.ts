/**
 * An edge's `/metrics` (its own prom-client registry): sockets, frames in and socket writes, the
 * room stream's lag and gaps, upgrades by outcome and Redis reconnects. The fan-out engine's
 * counters are read from its stats at scrape time, as the single host does.
 * @see https://github.com/siimon/prom-client#usage
 */
import { Counter, Gauge, Registry } from 'prom-client'
import type { FanOutStats } from '../room/engine/fan-out.js'

export interface EdgeMetrics {
  readonly registry: Registry
  readonly reconnects: Counter
  readonly framesIn: Counter
  readonly opens: Counter<'outcome'>
  readonly gaps: Counter
  /** age of the newest room-stream entry when it was read */
  lagMs: number
}

/** Creates the registry; `sockets` and `stats` are read at scrape time. */
export function createEdgeMetrics (sockets: () => number, stats: FanOutStats): EdgeMetrics {
  const registry = new Registry()
  const m: EdgeMetrics = {
    registry,
    reconnects: new Counter({ name: 'mindweb_redis_reconnects_total', help: 'Times a Redis connection came back after a loss.', registers: [registry] }),
    framesIn: new Counter({ name: 'mindweb_edge_frames_in_total', help: 'Room frames read from the room stream.', registers: [registry] }),
    opens: new Counter({ name: 'mindweb_edge_opens_total', help: 'Socket upgrades by outcome.', labelNames: ['outcome'], registers: [registry] }),
    gaps: new Counter({ name: 'mindweb_edge_stream_gaps_total', help: 'Times room-stream entries were lost to this edge (its sockets were sent to resume).', registers: [registry] }),
    lagMs: 0
  }
  /* eslint-disable no-new */
  new Gauge({ name: 'mindweb_ws_connections', help: 'Open participant WebSocket connections on this edge.', registers: [registry], collect () { this.set(sockets()) } })
  new Gauge({ name: 'mindweb_edge_stream_lag_seconds', help: 'Age of the newest room-stream entry when this edge read it.', registers: [registry], collect () { this.set(m.lagMs / 1000) } })
  new Counter({ name: 'mindweb_ws_writes_total', help: 'Socket writes (one per socket per flush).', registers: [registry], collect () { this.reset(); this.inc(stats.writes) } })
  new Counter({ name: 'mindweb_ws_bytes_written_total', help: 'Bytes written to participant sockets.', registers: [registry], collect () { this.reset(); this.inc(stats.bytesWritten) } })
  new Counter({ name: 'mindweb_ws_slow_consumers_dropped_total', help: 'Connections dropped because they stopped reading.', registers: [registry], collect () { this.reset(); this.inc(stats.slowConsumersDropped) } })
  /* eslint-enable no-new */
  return m
}
