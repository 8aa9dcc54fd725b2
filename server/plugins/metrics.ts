/**
 * `GET /metrics` in the Prometheus text format, from a registry of its own (never prom-client's
 * global one, so many apps can live in one process). Loopback callers, or the admin token.
 * Counters of the fan-out hub are read from its stats at scrape time: the hot path only adds numbers.
 * @see https://github.com/siimon/prom-client#usage
 */
import { monitorEventLoopDelay } from 'node:perf_hooks'
import type { FastifyPluginAsync } from 'fastify'
import { Counter, Gauge, Histogram, Registry } from 'prom-client'
import type { ChatStore } from '../ports.js'
import type { Hub } from '../room/engine/hub.js'
import type { AiOrchestrator } from '../room/ai/ai-orchestrator.js'
import { requireMetricsAccess } from './auth.js'

/** The app's metrics: created before the services (their hooks feed it), served by the plugin. */
export interface Metrics {
  readonly registry: Registry
  /** orchestrator hook: ms from a reply's start to its first token */
  onFirstToken (ms: number): void
  /** orchestrator hook: ms from a reply's start to its end */
  onFinished (ms: number, status: string): void
  /** hub hook: one flush took `ms` and wrote to `writes` sockets */
  onFlush (ms: number, writes: number): void
  /** orchestrator hook: the SQLite transaction that saved a flush's streaming text took `ms` for `answers` answers */
  onFlushWrite (ms: number, answers: number): void
  /** The store with its writes timed (same behaviour). */
  instrumentStore (store: ChatStore): ChatStore
  /** Lets the collectors read the hub and the orchestrator at scrape time. */
  attach (sources: { hub: Hub, ai: AiOrchestrator }): void
  close (): void
}

const TIMED_WRITES = ['postUserMessage', 'createReply', 'checkpointReplies', 'finishReply', 'createParticipant'] as const

/** Creates the metrics registry and its collectors. */
export function createMetrics (): Metrics {
  const registry = new Registry()
  let sources: { hub: Hub, ai: AiOrchestrator } | null = null
  const loop = monitorEventLoopDelay({ resolution: 5 })
  loop.enable()

  const fromHub = (name: string, help: string, read: (s: Hub['stats']) => number): void => {
    // A counter read from the hub's running total at scrape time.
    // eslint-disable-next-line no-new
    new Counter({ name, help, registers: [registry], collect () { if (sources !== null) { this.reset(); this.inc(read(sources.hub.stats)) } } })
  }
  fromHub('mindweb_ws_frames_broadcast_total', 'Frames broadcast to the room (each serialised once).', s => s.framesBroadcast)
  fromHub('mindweb_ws_bytes_written_total', 'Bytes written to participant sockets.', s => s.bytesWritten)
  fromHub('mindweb_ws_writes_total', 'Socket writes (one per socket per flush).', s => s.writes)
  fromHub('mindweb_ws_flushes_total', 'Hub flushes (each writes one shared buffer to every socket).', s => s.flushes)
  fromHub('mindweb_ws_slow_consumers_dropped_total', 'Connections dropped because they stopped reading.', s => s.slowConsumersDropped)
  fromHub('mindweb_ai_deltas_in_total', 'AI answer deltas received from the AI service.', s => s.deltasIn)
  fromHub('mindweb_ai_chunks_out_total', 'ai_message_chunk frames built from them (after coalescing).', s => s.chunksOut)
  fromHub('mindweb_sqlite_flush_write_failures_total', 'Flushes that wrote nothing because saving the streaming text failed (retried).', s => s.writeAheadFailures)

  new Gauge({ name: 'mindweb_ws_connections', help: 'Open participant WebSocket connections.', registers: [registry], collect () { this.set(sources?.hub.size ?? 0) } }) // eslint-disable-line no-new
  new Gauge({ name: 'mindweb_participants_online', help: 'Participants with at least one open connection.', registers: [registry], collect () { this.set(sources?.hub.onlineCount() ?? 0) } }) // eslint-disable-line no-new
  new Gauge({ // eslint-disable-line no-new
    name: 'mindweb_ai_coalescing_ratio',
    help: 'AI deltas in per chunk frame out (higher: more deltas share a frame).',
    registers: [registry],
    collect () { const s = sources?.hub.stats; this.set(s === undefined || s.chunksOut === 0 ? 0 : s.deltasIn / s.chunksOut) }
  })
  new Gauge({ name: 'mindweb_hub_flush_interval_seconds', help: 'Current smallest gap between two hub flushes (adapts to the cost of a flush).', registers: [registry], collect () { this.set((sources?.hub.stats.flushIntervalMs ?? 0) / 1000) } }) // eslint-disable-line no-new
  new Gauge({ name: 'mindweb_ai_streams_active', help: 'AI replies streaming now.', registers: [registry], collect () { this.set(sources?.ai.counts().active ?? 0) } }) // eslint-disable-line no-new
  new Gauge({ name: 'mindweb_ai_streams_queued', help: 'AI replies waiting for a free stream.', registers: [registry], collect () { this.set(sources?.ai.counts().queued ?? 0) } }) // eslint-disable-line no-new
  new Gauge({ // eslint-disable-line no-new
    name: 'mindweb_event_loop_delay_seconds',
    help: 'Event-loop delay since the previous scrape (quantile 1 is the maximum).',
    labelNames: ['quantile'],
    registers: [registry],
    collect () {
      const s = (ns: number): number => Number.isFinite(ns) ? ns / 1e9 : 0
      this.set({ quantile: '0.5' }, s(loop.percentile(50)))
      this.set({ quantile: '0.99' }, s(loop.percentile(99)))
      this.set({ quantile: '1' }, s(loop.max))
      loop.reset()
    }
  })
  new Gauge({ // eslint-disable-line no-new
    name: 'mindweb_process_memory_bytes',
    help: 'Host process memory.',
    labelNames: ['kind'],
    registers: [registry],
    collect () {
      const m = process.memoryUsage()
      this.set({ kind: 'rss' }, m.rss)
      this.set({ kind: 'heap_used' }, m.heapUsed)
      this.set({ kind: 'external' }, m.external)
      this.set({ kind: 'array_buffers' }, m.arrayBuffers)
    }
  })
  const firstToken = new Histogram({ name: 'mindweb_dify_first_token_seconds', help: 'From a reply starting (leaving the queue) to its first token.', buckets: [0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 30], registers: [registry] })
  const duration = new Histogram({ name: 'mindweb_dify_reply_duration_seconds', help: 'From a reply starting to its end, by final status.', labelNames: ['status'], buckets: [0.5, 1, 2, 5, 10, 20, 60, 120, 300], registers: [registry] })
  const flush = new Histogram({ name: 'mindweb_hub_flush_seconds', help: 'Duration of one hub flush (one write per socket).', buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5], registers: [registry] })
  const flushWrite = new Histogram({ name: 'mindweb_sqlite_flush_write_seconds', help: 'The one SQLite transaction per hub flush that saves streaming answers before sockets show them.', buckets: [0.00005, 0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.1], registers: [registry] })
  const flushAnswers = new Histogram({ name: 'mindweb_sqlite_flush_answers', help: 'Streaming answers saved by one such transaction.', buckets: [1, 2, 5, 10, 20, 50, 100], registers: [registry] })
  const sqliteWrite = new Histogram({ name: 'mindweb_sqlite_write_seconds', help: 'SQLite write calls on the room hot path, by operation.', labelNames: ['op'], buckets: [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.05, 0.25], registers: [registry] })

  return {
    registry,
    onFirstToken: (ms) => firstToken.observe(ms / 1000),
    onFinished: (ms, status) => duration.observe({ status }, ms / 1000),
    onFlush: (ms) => flush.observe(ms / 1000),
    onFlushWrite (ms, answers) {
      flushWrite.observe(ms / 1000)
      flushAnswers.observe(answers)
    },
    instrumentStore (store) {
      const timed: ChatStore = Object.create(store) as ChatStore
      for (const op of TIMED_WRITES) {
        const original = store[op].bind(store) as (...args: unknown[]) => unknown
        const child = sqliteWrite.labels({ op })
        ;(timed as unknown as Record<string, unknown>)[op] = (...args: unknown[]) => {
          const t0 = performance.now()
          try { return original(...args) } finally { child.observe((performance.now() - t0) / 1000) }
        }
      }
      return timed
    },
    attach (s) { sources = s },
    close () { loop.disable() }
  }
}

/** Registers `GET /metrics`. */
const metricsRoutes: FastifyPluginAsync<{ metrics: Metrics }> = async (app, { metrics }) => {
  const { hub, ai } = app.services
  metrics.attach({ hub, ai })
  app.addHook('onClose', async () => metrics.close())

  app.get('/metrics', {
    onRequest: requireMetricsAccess
  }, async (_request, reply) => {
    const text = await metrics.registry.metrics()
    return await reply.header('content-type', metrics.registry.contentType).header('cache-control', 'no-store').send(text)
  })
}

export default metricsRoutes
