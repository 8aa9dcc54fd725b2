/**
 * A lightweight fake Dify for the benchmark: a real node:http server on 127.0.0.1 that streams
 * Dify-shaped SSE (`data: {…"answer":"<token>"}\n\n`, then `message_end`). Each token carries a
 * marker (see markers.ts) with its answer index, token index, send time and question time, so the
 * generator measures delivery per token without any side channel.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import { randomUUID } from 'node:crypto'
import { marker, nowMs } from './markers.js'

export interface BenchDifyOptions {
  tokens: number
  intervalMs: number
  /** pad each token to about this many bytes (0: marker and one word) */
  tokenBytes: number
}

export interface BenchDify {
  url: string
  /** answers started so far */
  readonly started: number
  readonly finished: number
  readonly active: number
  close (): Promise<void>
}

/** Starts the fake on an ephemeral loopback port. */
export async function startBenchDify (options: BenchDifyOptions): Promise<BenchDify> {
  let started = 0
  let finished = 0
  let active = 0
  const streams = new Set<ServerResponse>()
  const conversationId = randomUUID()

  function stream (req: IncomingMessage, res: ServerResponse, body: string): void {
    const answer = started++
    active++
    const m = /q(\d+(?:\.\d+)?)/.exec(body)
    const askedMs = m === null ? 0 : Number(m[1])
    const messageId = randomUUID()
    const taskId = randomUUID()
    const createdAt = Math.floor(Date.now() / 1000)
    const head = `data: {"event":"message","conversation_id":"${conversationId}","message_id":"${messageId}","created_at":${createdAt},"task_id":"${taskId}","id":"${messageId}","answer":"`
    const tail = '","from_variable_selector":null}\n\n'
    res.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8' })
    streams.add(res)
    let token = 0
    let timer: NodeJS.Timeout | null = null
    const send = (): void => {
      timer = null
      if (res.destroyed) return
      const mark = marker(answer, token, nowMs(), askedMs)
      const text = options.tokenBytes > mark.length + 1 ? mark + 'x'.repeat(options.tokenBytes - mark.length - 1) + ' ' : mark + 'w '
      res.write(head + text + tail)
      token++
      if (token < options.tokens) { timer = setTimeout(send, options.intervalMs); return }
      res.end(`data: {"event":"message_end","conversation_id":"${conversationId}","message_id":"${messageId}","created_at":${createdAt},"task_id":"${taskId}","id":"${messageId}","metadata":{"annotation_reply":null,"retriever_resources":[],"usage":{"total_tokens":${options.tokens}}},"files":null}\n\n`)
    }
    send()
    res.on('close', () => {
      if (timer !== null) clearTimeout(timer)
      streams.delete(res)
      active--
      finished++
    })
    req.on('error', () => {})
  }

  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = []
    req.on('data', (c: Buffer) => chunks.push(c))
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8')
      const url = req.url ?? ''
      if (req.method === 'POST' && url.endsWith('/chat-messages')) { stream(req, res, body); return }
      res.writeHead(200, { 'content-type': 'application/json' })
      if (url.includes('/stop')) res.end('{"result":"success"}')
      else if (url.endsWith('/parameters')) res.end('{"opening_statement":"","suggested_questions":[]}')
      else res.end('{}')
    })
  })
  server.keepAliveTimeout = 60_000
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve))
  const address = server.address()
  const port = typeof address === 'object' && address !== null ? address.port : 0
  return {
    url: `http://127.0.0.1:${port}/v1`,
    get started () { return started },
    get finished () { return finished },
    get active () { return active },
    async close () {
      for (const s of streams) s.destroy()
      server.closeAllConnections()
      await new Promise<void>(resolve => server.close(() => resolve()))
    }
  }
}
