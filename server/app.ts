/**
 * The app factory: builds a fully registered Fastify instance from a config and ports, never listens.
 * Composition roots (server/start.ts headless, main/server-host.ts in the desktop shell) call it.
 */
import { join } from 'node:path'
import Fastify, { LogController, type FastifyBaseLogger, type FastifyInstance, type FastifyServerOptions } from 'fastify'
import websocket from '@fastify/websocket'
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import type { Config } from './config.js'
import type { ChatStore, Ports, StoredMessage } from './ports.js'
import type { RoomServices } from './types.js'
import './types.js'
import { createHub } from './room/engine/hub.js'
import { createAiOrchestrator } from './room/ai/ai-orchestrator.js'
import { createFeedback } from './room/ai/feedback.js'
import { createSignals } from './room/signals/signals.js'
import { createReactions } from './room/signals/reactions.js'
import { createRoom } from './room/room.js'
import { createParticipants } from './room/participants.js'
import { createLimits } from './limits/index.js'
import { createQuestionBudget } from './limits/question-budget.js'
import { capConnectionsPerAddress } from './limits/tcp-connections.js'
import { createGate } from './room/gate/gate-service.js'
import { createHeldMessages } from './room/safety/held-messages.js'
import { createMemoryRateLimitStore } from './limits/memory-rate-limit-store.js'
import { createConsoleFeed } from './room/console-feed.js'
import { messageHeldFrame } from './room/frames.js'
import { createModeration } from './room/safety/moderation.js'
import { createLiveSettings } from './settings/live-settings.js'
import { createHostNames, registerHostCheck } from './plugins/host-check.js'
import adminSocketRoutes from './routes/ws/admin-socket.js'
import { registerRateLimit } from './plugins/rate-limit.js'
import { handleClientError, handleFrameworkError, registerErrorHandlers } from './plugins/error-handler.js'
import { registerWeb } from './plugins/web.js'
import { registerSecurityHeaders } from './plugins/security-headers.js'
import { registerValidation } from './plugins/validation.js'
import metricsRoutes, { createMetrics, type Metrics } from './plugins/metrics.js'
import { resolveServices, service, type Registration, type Registry } from './services.js'
import { createPrivacy } from './room/safety/privacy.js'
import { createPhotos } from './room/media/photos.js'
import fileRoutes from './routes/participant/files.js'
import { createLessonSummary } from './room/ai/lesson-summary.js'
import { createQuizDrafts } from './room/polls/quiz-draft.js'
import { createTeaching } from './room/ai/teach.js'
import { createReadAloud } from './room/ai/read-aloud.js'
import { createPolls } from './room/polls/poll-service.js'
import usersRoutes from './routes/participant/users.js'
import messagesRoutes from './routes/participant/messages.js'
import roomInfoRoutes from './routes/participant/room-info.js'
import chatStreamRoutes from './routes/participant/chat-stream.js'
import roomSocketRoutes from './routes/ws/room-socket.js'
import adminRoutes from './routes/admin/index.js'
import participantQuestionRoutes from './routes/participant/questions.js'
import participantPollRoutes from './routes/participant/polls.js'

export interface BuildOptions {
  config: Config
  ports: Ports
  /** where log lines go (default stdout) */
  logStream?: NodeJS.WritableStream
}

const ROOM_ID_KEY = 'room_id'

/** Builds the host app. Closing it ends replies as interrupted, closes sockets with 1001, then the ports. */
export async function buildApp ({ config, ports, logStream }: BuildOptions): Promise<FastifyInstance> {
  const logger: FastifyServerOptions['logger'] = {
    level: config.logLevel,
    ...(logStream !== undefined ? { stream: logStream } : {}),
    redact: { paths: ['req.headers.authorization', 'headers.authorization', '*.token', 'token', '*.apiKey', 'apiKey'], censor: '[redacted]' },
    serializers: {
      req: (req: { method: string, url: string, ip?: string }) => ({ method: req.method, url: redactUrl(req.url), ip: req.ip }),
      res: (res: { statusCode: number }) => ({ statusCode: res.statusCode })
    }
  }
  // Node refuses a headers timeout longer than the request timeout.
  const headersTimeout = Math.min(config.httpHeadersTimeoutMs, config.httpRequestTimeoutMs)
  const app = Fastify({
    logger,
    trustProxy: config.trustProxy,
    bodyLimit: 256 * 1024,
    // The request timeouts cover receiving a request only: a socket upgrade or an SSE answer outlives
    // them. The idle timeout (ws turns it off on upgrade) is longer than the AI may be silent mid-answer.
    requestTimeout: config.httpRequestTimeoutMs,
    keepAliveTimeout: config.httpKeepAliveTimeoutMs,
    connectionTimeout: Math.max(config.httpIdleTimeoutMs, config.aiIdleTimeoutMs + 5000),
    http: {
      headersTimeout,
      requestTimeout: config.httpRequestTimeoutMs,
      // Node checks both timeouts on this interval (30 s by default, which would triple a 10 s limit).
      connectionsCheckingInterval: Math.max(25, Math.min(1000, Math.floor(headersTimeout / 4))),
      // The host check answers a missing Host itself, in the protocol's error shape (Node's is bodiless).
      requireHostHeader: false
    },
    clientErrorHandler: handleClientError,
    frameworkErrors: handleFrameworkError,
    // One line per request comes from the onResponse hook below, with the token redacted.
    logController: new LogController({ disableRequestLogging: true }),
    routerOptions: { maxParamLength: 200 }
  }).withTypeProvider<TypeBoxTypeProvider>()
  if (config.limitsEnabled) {
    capConnectionsPerAddress(app.server, config.maxHttpConnectionsPerAddress, (address) => {
      app.log.debug({ address, max: config.maxHttpConnectionsPerAddress }, 'refused a connection over the per-address cap')
    })
  }

  const metrics = createMetrics()
  // The metrics wrapper goes on once, where the store enters the room: every service sees it.
  const store = metrics.instrumentStore(ports.store)
  let roomId = store.getSetting(ROOM_ID_KEY)
  if (roomId === null) {
    roomId = Math.random().toString(36).slice(2, 10)
    store.setSetting(ROOM_ID_KEY, roomId)
  }
  const interrupted = store.interruptStreamingReplies(Date.now())
  if (interrupted > 0) app.log.warn({ count: interrupted }, 'AI replies were interrupted by the last shutdown; kept their text as interrupted')

  const { services } = resolveServices(roomRegistry({ config, ports, store, logger: app.log, metrics, roomId }))
  await services.settings.init()
  const { hub, ai, feed, limits, hostNames, polls, signals, reactions } = services
  app.decorate('services', routeServices(services))
  // A cluster writer (server/cluster/writer.ts) adds its stream counters to the same /metrics.
  app.decorate('metricsRegistry', metrics.registry)
  app.decorateRequest('participant', null)

  registerErrorHandlers(app)
  registerValidation(app)
  registerSecurityHeaders(app)
  await app.register(websocket, {
    options: { maxPayload: config.wsMaxPayload, perMessageDeflate: false, clientTracking: false },
    preClose: (done) => {
      // Replies end as interrupted and every queued frame is written before the close frames.
      ai.shutdown()
      hub.close()
      hub.forEach(conn => { hub.closeAfterFlush(conn, 1001, 'The host is shutting down') })
      done()
    }
  })

  // After the websocket plugin: its onRequest hook must mark upgrades first, so a refused one is closed.
  registerHostCheck(app, hostNames)

  const heartbeat = setInterval(() => {
    hub.forEach(conn => {
      if (!conn.isAlive) { conn.ws.terminate(); return }
      conn.isAlive = false
      conn.ws.ping()
    })
  }, config.heartbeatMs)
  heartbeat.unref()

  app.addHook('onResponse', async (request, reply) => {
    const level = reply.statusCode >= 400 ? 'info' : 'debug'
    request.log[level]({ method: request.method, url: redactUrl(request.url), status: reply.statusCode, ms: Math.round(reply.elapsedTime) }, 'request')
  })
  app.addHook('onClose', async () => {
    clearInterval(heartbeat)
    feed.close()
    polls.stop()
    signals.close()
    reactions.close()
    limits.close()
    // the gateway in use now: the host may have replaced the launch one (closed when replaced)
    await ai.gateway()?.close()
    store.close()
  })

  await registerRateLimit(app, limits)
  await app.register(roomInfoRoutes)
  await app.register(usersRoutes)
  await app.register(messagesRoutes)
  await app.register(chatStreamRoutes)
  await app.register(fileRoutes)
  await app.register(roomSocketRoutes)
  await app.register(adminRoutes)
  await app.register(adminSocketRoutes)
  await app.register(participantQuestionRoutes)
  await app.register(participantPollRoutes)
  await app.register(metricsRoutes, { metrics })
  if (config.webRoot !== null) await registerWeb(app, config.webRoot)
  return app
}

/** What the registry starts from: the adapters and what the app itself made. */
interface Seeds {
  config: Config
  ports: Ports
  /** the chat store with the metrics wrapper, the only one services see */
  store: ChatStore
  logger: FastifyBaseLogger
  metrics: Metrics
  roomId: string
}

/** The services and the seeds they are made from, by name. */
type Wiring = RoomServices & Omit<Seeds, 'config' | 'store'>

const seed = <K extends keyof Wiring>(value: Wiring[K]): Registration<Wiring, K> => ({ needs: [], make: () => value })

/**
 * Every room service, registered once with the services it needs (server/services.ts makes them
 * in order). A new service is one entry here and one field of RoomServices (server/types.ts).
 */
function roomRegistry (s: Seeds): Registry<Wiring> {
  const define = service<Wiring>()
  return {
    config: seed(s.config),
    ports: seed(s.ports),
    store: seed(s.store),
    logger: seed(s.logger),
    metrics: seed(s.metrics),
    roomId: seed(s.roomId),
    hub: define(['config', 'logger', 'metrics'], d => createHub({
      maxBufferedBytes: d.config.wsMaxBufferedBytes,
      presenceListMax: d.config.presenceListMax,
      flushGroupSize: d.config.flushGroupSize,
      onSlowConsumer: (conn) => d.logger.info({ userId: conn.userId }, 'dropped a connection that stopped reading'),
      onFlush: d.metrics.onFlush,
      onWriteAheadError: (err) => d.logger.error({ err }, 'could not save streaming answers; their deltas wait for the next try')
    })),
    ai: define(['config', 'store', 'hub', 'ports', 'logger', 'metrics', 'roomId'], d => createAiOrchestrator({
      store: d.store,
      hub: d.hub,
      ai: d.ports.ai,
      logger: d.logger,
      concurrency: d.config.aiConcurrency,
      perUserQueue: d.config.aiPerUserQueue,
      isLimited: d.config.limitsEnabled,
      checkpointMs: d.config.checkpointMs,
      aiUser: `mindweb-room-${d.roomId}`,
      // read when each question starts: the live settings, the word list and the console (made later)
      inputs: () => d.settings.inputs(),
      isReviewed: () => d.settings.reviewAnswers(),
      holdsAnswer: (before, delta) => d.heldMessages.matchAnswer(before, delta),
      markEditedByHost: (seq) => d.ports.gate.markEditedByHost(seq),
      photoForAi: (id) => d.photos.forAi(id),
      maxAnswerChars: () => d.settings.maxAnswerChars(),
      onFirstToken: (ms) => { d.metrics.onFirstToken(ms); d.feed.firstToken(ms) },
      onFinished: d.metrics.onFinished,
      onFlushWrite: d.metrics.onFlushWrite
    }), { late: ['settings', 'heldMessages', 'feed', 'photos'] }),
    feed: define(['store', 'hub'], d => createConsoleFeed({ store: d.store, hub: d.hub, aiWaiting: () => { const c = d.ai.counts(); return c.active + c.queued } }), { late: ['ai'] }),
    participants: define(['store'], d => createParticipants(d.store)),
    moderation: define(['store', 'hub', 'participants', 'feed', 'photos'], d => createModeration({ store: d.store, hub: d.hub, participants: d.participants, feed: d.feed, photos: d.photos })),
    photos: define(['store', 'ports', 'limits'], d => createPhotos({ store: d.store, photos: d.ports.photos, files: d.ports.photoFiles, images: d.ports.images, limits: d.limits })),
    limits: define(['config', 'ports', 'logger'], d => createLimits({
      config: d.config,
      rates: () => d.settings.rates(),
      store: d.ports.rateLimits ?? createMemoryRateLimitStore(),
      logger: d.logger
    }), { late: ['settings'] }),
    gate: define(['config', 'ports', 'store', 'hub', 'ai', 'logger', 'limits'], d => createGate({
      gate: d.ports.gate,
      store: d.store,
      hub: d.hub,
      ai: d.ai,
      logger: d.logger,
      maxPendingPerUser: d.config.aiPerUserQueue,
      chargeQuestion: createQuestionBudget(d.limits, d.limits.rates)
    })),
    feedback: define(['store', 'ports', 'hub'], d => createFeedback({ store: d.store, feedback: d.ports.feedback, hub: d.hub })),
    signals: define(['hub'], d => createSignals({ hub: d.hub })),
    reactions: define(['store', 'ports', 'hub'], d => createReactions({ store: d.store, reactions: d.ports.reactions, hub: d.hub })),
    heldMessages: define(['store', 'ports', 'hub', 'photos'], d => createHeldMessages({ store: d.store, held: d.ports.held, onHeld: held => d.hub.broadcastAdmin(messageHeldFrame(held, d.photos.size)) })),
    room: define(['config', 'store', 'hub', 'ai', 'limits', 'logger', 'roomId', 'gate', 'moderation', 'heldMessages', 'signals', 'photos'], d => createRoom({
      store: d.store,
      hub: d.hub,
      ai: d.ai,
      limits: d.limits,
      logger: d.logger,
      room: { id: d.roomId, name: d.config.roomName },
      defaultAiMode: d.config.aiMode,
      gate: d.gate,
      moderation: d.moderation,
      filter: d.heldMessages,
      signals: d.signals,
      photos: d.photos
    })),
    settings: define(['config', 'store', 'ports', 'room', 'ai', 'hub', 'feed', 'logger'], d => createLiveSettings({ config: d.config, store: d.store, ports: d.ports, room: d.room, ai: d.ai, hub: d.hub, feed: d.feed, logger: d.logger })),
    hostNames: define([], d => createHostNames({ extra: () => d.settings.allowedHosts() }), { late: ['settings'] }),
    privacy: define(['store', 'ports', 'photos'], d => createPrivacy({ store: d.store, privacy: d.ports.privacy, photos: d.photos })),
    polls: define(['ports', 'hub', 'limits', 'logger'], d => createPolls({ polls: d.ports.polls, hub: d.hub, limits: d.limits, logger: d.logger })),
    quiz: define(['store', 'ports', 'ai', 'settings', 'roomId'], d => createQuizDrafts({
      messages: () => sessionMessages(d.store, d.ports.lessons.listSessions().at(-1)?.id ?? 1),
      gateway: () => d.ai.gateway(),
      inputs: () => d.settings.inputs(),
      aiUser: `mindweb-quiz-${d.roomId}`,
      maxChars: () => d.settings.maxAnswerChars()
    })),
    teaching: define(['store', 'ai', 'roomId'], d => createTeaching({ store: d.store, gateway: () => d.ai.gateway(), aiUser: `mindweb-room-${d.roomId}` })),
    readAloud: define(['config', 'store', 'ai', 'roomId'], d => createReadAloud({
      store: d.store,
      gateway: () => d.ai.gateway(),
      aiUser: `mindweb-room-${d.roomId}`,
      dir: join(d.config.dataDir, 'audio')
    })),
    summary: define(['config', 'store', 'ports', 'ai', 'settings', 'roomId'], d => createLessonSummary({
      lessons: d.ports.lessons,
      messages: (sessionId) => sessionMessages(d.store, sessionId),
      gateway: () => d.ai.gateway(),
      inputs: () => d.settings.inputs(),
      aiUser: `mindweb-summary-${d.roomId}`,
      maxChars: () => d.settings.maxAnswerChars()
    }))
  }
}

/** What routes and sockets see: the services, never the adapters behind them. */
function routeServices (w: Wiring): RoomServices {
  const { ports: _ports, logger: _logger, metrics: _metrics, roomId: _roomId, ...services } = w
  return services
}

const PAGE = 1000

/** Every message of one session, oldest first, read in pages. */
function sessionMessages (store: ChatStore, sessionId: number): StoredMessage[] {
  const out: StoredMessage[] = []
  for (let cursor = 0; ;) {
    const page = store.messagesSince(cursor, PAGE)
    for (const m of page) if (m.sessionId === sessionId) out.push(m)
    if (page.length < PAGE) break
    cursor = page[page.length - 1]!.seq
  }
  return out
}

/** A URL with its token query parameter hidden. */
function redactUrl (url: string): string {
  return url.replace(/([?&]token=)[^&]*/gi, '$1[redacted]')
}
