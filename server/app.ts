/**
 * The app factory: builds a fully registered Fastify instance from a config and ports, never listens.
 * Composition roots (server/start.ts headless, main/server-host.ts in the desktop shell) call it.
 */
import Fastify, { LogController, type FastifyInstance, type FastifyServerOptions } from 'fastify'
import websocket from '@fastify/websocket'
import helmet from '@fastify/helmet'
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import type { Config } from './config.js'
import type { Ports } from './ports.js'
import type { RoomServices } from './types.js'
import './types.js'
import { createHub } from './room/engine/hub.js'
import { createAiOrchestrator } from './room/ai/ai-orchestrator.js'
import { createRoom } from './room/room.js'
import { createParticipants } from './room/participants.js'
import { createLimits } from './limits/index.js'
import { createQuestionBudget } from './limits/question-budget.js'
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
import { handleClientError, registerErrorHandlers } from './plugins/error-handler.js'
import { registerWeb } from './plugins/web.js'
import { registerValidation } from './plugins/validation.js'
import metricsRoutes, { createMetrics } from './plugins/metrics.js'
import usersRoutes from './routes/participant/users.js'
import messagesRoutes from './routes/participant/messages.js'
import roomInfoRoutes from './routes/participant/room-info.js'
import chatStreamRoutes from './routes/participant/chat-stream.js'
import roomSocketRoutes from './routes/ws/room-socket.js'
import adminRoutes from './routes/admin/index.js'
import participantQuestionRoutes from './routes/participant/questions.js'

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
  const app = Fastify({
    logger,
    trustProxy: config.trustProxy,
    bodyLimit: 256 * 1024,
    clientErrorHandler: handleClientError,
    // One line per request comes from the onResponse hook below, with the token redacted.
    logController: new LogController({ disableRequestLogging: true }),
    routerOptions: { maxParamLength: 200 }
  }).withTypeProvider<TypeBoxTypeProvider>()

  const metrics = createMetrics()
  const store = metrics.instrumentStore(ports.store)
  let roomId = store.getSetting(ROOM_ID_KEY)
  if (roomId === null) {
    roomId = Math.random().toString(36).slice(2, 10)
    store.setSetting(ROOM_ID_KEY, roomId)
  }
  const interrupted = store.interruptStreamingReplies(Date.now())
  if (interrupted > 0) app.log.warn({ count: interrupted }, 'AI replies were interrupted by the last shutdown; kept their text as interrupted')

  const hub = createHub({
    maxBufferedBytes: config.wsMaxBufferedBytes,
    presenceListMax: config.presenceListMax,
    flushGroupSize: config.flushGroupSize,
    onSlowConsumer: (conn) => app.log.info({ userId: conn.userId }, 'dropped a connection that stopped reading'),
    onFlush: metrics.onFlush,
    onWriteAheadError: (err) => app.log.error({ err }, 'could not save streaming answers; their deltas wait for the next try')
  })
  const ai = createAiOrchestrator({
    store,
    hub,
    ai: ports.ai,
    logger: app.log,
    concurrency: config.aiConcurrency,
    perUserQueue: config.aiPerUserQueue,
    isLimited: config.limitsEnabled,
    checkpointMs: config.checkpointMs,
    aiUser: `mindweb-room-${roomId}`,
    // the host's values for the AI app's input form (live settings), with every question
    inputs: () => settings.inputs(),
    // review answers first (a live setting): answers stream to the host's sockets until released
    isReviewed: () => settings.reviewAnswers(),
    holdsAnswer: (before, delta) => heldMessages.matchAnswer(before, delta),
    markEditedByHost: (seq) => ports.gate.markEditedByHost(seq),
    // the answer limit (a live setting kept in config), read as each answer starts
    maxAnswerChars: () => config.aiMaxAnswerChars,
    onFirstToken: (ms) => { metrics.onFirstToken(ms); feed.firstToken(ms) },
    onFinished: metrics.onFinished,
    onFlushWrite: metrics.onFlushWrite
  })
  const feed = createConsoleFeed({ store, hub, aiWaiting: () => { const c = ai.counts(); return c.active + c.queued } })
  const participants = createParticipants(store)
  const moderation = createModeration({ store, hub, participants, feed })
  const limits = createLimits({ config, store: ports.rateLimits ?? createMemoryRateLimitStore(), logger: app.log })
  const gate = createGate({ gate: ports.gate, store, hub, ai, logger: app.log, maxPendingPerUser: config.aiPerUserQueue, chargeQuestion: createQuestionBudget(limits, () => config) })
  const heldMessages = createHeldMessages({ store, held: ports.held, onHeld: held => hub.broadcastAdmin(messageHeldFrame(held)) })
  const room = createRoom({ store, hub, ai, limits, logger: app.log, room: { id: roomId, name: config.roomName }, defaultAiMode: config.aiMode, gate, moderation, filter: heldMessages })
  const settings = createLiveSettings({ config, store, ports, room, ai, hub, feed, logger: app.log })
  await settings.init()
  const hostNames = createHostNames({ extra: () => settings.allowedHosts() })
  const services: RoomServices = { config, ports, hub, room, ai, limits, participants, gate, feed, moderation, settings, hostNames, heldMessages }
  app.decorate('services', services)
  app.decorateRequest('participant', null)

  registerErrorHandlers(app)
  registerValidation(app)
  await app.register(helmet, {
    contentSecurityPolicy: {
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        connectSrc: ["'self'", 'ws:', 'wss:'],
        imgSrc: ["'self'", 'data:', 'blob:'],
        styleSrc: ["'self'", "'unsafe-inline'"],
        frameAncestors: ["'none'"],
        upgradeInsecureRequests: null
      }
    },
    // Plain HTTP on a LAN: no HSTS, and no cross-origin isolation that would break LAN addresses.
    strictTransportSecurity: false,
    crossOriginOpenerPolicy: false,
    originAgentCluster: false
  })
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
    limits.close()
    await ports.ai?.close()
    store.close()
  })

  await registerRateLimit(app, limits)
  await app.register(roomInfoRoutes)
  await app.register(usersRoutes)
  await app.register(messagesRoutes)
  await app.register(chatStreamRoutes)
  await app.register(roomSocketRoutes)
  await app.register(adminRoutes)
  await app.register(adminSocketRoutes)
  await app.register(participantQuestionRoutes)
  await app.register(metricsRoutes, { metrics })
  if (config.webRoot !== null) await registerWeb(app, config.webRoot)
  return app
}

/** A URL with its token query parameter hidden. */
function redactUrl (url: string): string {
  return url.replace(/([?&]token=)[^&]*/gi, '$1[redacted]')
}
