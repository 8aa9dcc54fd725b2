/**
 * Runs one stream scenario over a real HTTP response: envelope building, periodic pings, stop and
 * client-gone handling, and (for `response_mode: blocking`) collecting the frames into one JSON body.
 */
import type { ServerResponse } from 'node:http'
import { setTimeout as sleep } from 'node:timers/promises'
import type { StreamContext, StreamScenario } from './scenarios.js'
import { ChunkedWriter, dataFrame, PING_FRAME, pyDumps, type Encoding } from './wire.js'

export interface StreamInit {
  question: string
  arg: string | undefined
  ids: StreamContext['ids']
  random: () => number
  encoding: Encoding
  tokenDelayMs: number
  pingIntervalMs: number
  /** Chance of an extra ping before any frame (Dify pings on a clock, so they land anywhere). */
  pingChance: number
}

/** A running task, as the stop endpoint sees it. */
export interface RunningTask {
  user: string
  stop (): void
}

/** Streams `scenario` as SSE; resolves when the response is over (ended, cut or abandoned). */
export async function runStream (res: ServerResponse, scenario: StreamScenario, init: StreamInit, task: RunningTask): Promise<void> {
  const writer = new ChunkedWriter(res, init.random)
  const wake = new AbortController()
  let isStopped = false
  let isClosed = false
  res.on('close', () => { isClosed = true; wake.abort() })
  task.stop = () => { isStopped = true; wake.abort() }

  const ctx = createContext(init, {
    get isStopped () { return isStopped },
    get isClosed () { return isClosed || !writer.isWritable },
    emit (text) { writer.push(text) },
    async pause (ms) {
      await writer.drip()
      if (!wake.signal.aborted) await sleep(ms, undefined, { signal: wake.signal }).catch(() => {})
    },
    stopPings () { clearInterval(pinger) },
    async flush () { await writer.flush() },
    async cut () { await writer.cut() }
  })
  res.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8' })
  const pinger = setInterval(() => { writer.push(PING_FRAME); writer.drip().catch(() => {}) }, init.pingIntervalMs)
  try {
    await scenario(ctx)
    if (writer.isWritable) {
      await writer.flush()
      res.end()
    }
  } finally {
    clearInterval(pinger)
  }
}

/** Runs `scenario` without delays and returns its frames (for `response_mode: blocking`). */
export async function collectFrames (scenario: StreamScenario, init: StreamInit): Promise<Array<Record<string, unknown>>> {
  const frames: Array<Record<string, unknown>> = []
  const ctx = createContext(init, {
    isStopped: false,
    isClosed: false,
    emit (text) {
      const line = text.split('\n').find((l) => l.startsWith('data: '))
      if (line !== undefined) frames.push(JSON.parse(line.slice(6)) as Record<string, unknown>)
    },
    async pause () {},
    stopPings () {},
    async flush () {},
    async cut () {}
  })
  await scenario(ctx)
  return frames
}

/** The blocking-mode body built from collected frames, in json.dumps form (§2.2). */
export function blockingBody (frames: Array<Record<string, unknown>>, mode: string): string {
  const first = frames[0] ?? {}
  const end = frames.find((f) => f.event === 'message_end')
  const answer = frames.filter((f) => f.event === 'message' || f.event === 'agent_message' || (f.event === 'message_file' && typeof f.answer === 'string'))
    .map((f) => String(f.answer)).join('')
  return pyDumps({
    event: 'message',
    task_id: first.task_id,
    id: first.message_id,
    message_id: first.message_id,
    conversation_id: first.conversation_id,
    mode,
    answer,
    metadata: end?.metadata ?? { annotation_reply: null, retriever_resources: [], usage: null },
    created_at: first.created_at
  })
}

interface Io {
  readonly isStopped: boolean
  readonly isClosed: boolean
  emit (text: string): void
  pause (ms: number): Promise<void>
  stopPings (): void
  flush (): Promise<void>
  cut (): Promise<void>
}

function createContext (init: StreamInit, io: Io): StreamContext {
  const { ids, encoding, random } = init
  const envelope = { conversation_id: ids.conversationId, message_id: ids.messageId, created_at: ids.createdAt }
  const maybePing = (): void => { if (random() < init.pingChance) io.emit(PING_FRAME) }
  return {
    question: init.question,
    arg: init.arg,
    ids,
    random,
    get isStopped () { return io.isStopped },
    get isClosed () { return io.isClosed },
    send (event, fields) {
      maybePing()
      io.emit(dataFrame({ event, ...envelope, task_id: ids.taskId, ...fields }, encoding))
    },
    error (code, status, message) {
      const tail = status >= 500 ? { code, message, status } : { code, status, message }
      io.emit(dataFrame({ event: 'error', ...envelope, ...tail }, encoding))
    },
    ping () { io.emit(PING_FRAME) },
    async pause (ms) {
      // Token pacing jitters around the configured delay, like a real model.
      await io.pause(ms ?? Math.round(init.tokenDelayMs * (0.5 + random())))
    },
    stopPings () { io.stopPings() },
    async flush () { await io.flush() },
    async cut () { await io.cut() },
    raw (text) { io.emit(text) }
  }
}
