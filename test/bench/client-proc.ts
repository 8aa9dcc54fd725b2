/**
 * A generator process: joins its share of participants over HTTP, opens their WebSockets (each from
 * its own 127.x.y.z address), and checks every frame by scanning bytes for token markers. Driven by
 * the coordinator (run.ts) over IPC; reports counters and latency histograms.
 */
import { request } from 'node:http'
import { RawWs } from './raw-ws.js'
import { Histogram } from './stats.js'
import { marker, nowMs, readIntAfter, scanMarkers } from './markers.js'
import type { ChildCommand, ChildReport, PollReady, PollReport, PollVotes } from './protocol.js'

interface Client {
  i: number
  addr: string
  token: string
  ws: RawWs | null
  isSlow: boolean
  isPaused: boolean
  lastSeq: number
  /** next expected token per answer index */
  next: number[]
  /** 1 once a complete ai_message_end was seen, per answer index */
  ended: Uint8Array
  ends: number
  isOpen: boolean
  /** reconnected with since= at least once: the end frame may bring tokens it never saw as deltas */
  hasResumed: boolean
  wasDropped: boolean
  connectStartedAt: number
  onHello: (() => void) | null
  /** the polls case: saw the poll's poll_update with show_results true */
  isPollShown: boolean
  /** the highest total of the poll_results seen, and how many arrived */
  pollTotal: number
  pollResults: number
  /** [received nowMs, total] of each poll_results, for a watched participant; null otherwise */
  pollTrace: Array<[number, number]> | null
}

const SEQ = Buffer.from('"seq":')
const LAST_SEQ = Buffer.from('"last_seq":')
const SNAPSHOT = Buffer.from('"snapshot":true')
const TOTAL = Buffer.from('"total":')
const SHOWN = Buffer.from('"show_results":true')
const ch = (s: string): number => s.charCodeAt(0)

let port = 0
let tokensPerAnswer = 50
let maxAnswers = 64
const clients: Client[] = []
const c = {
  tokensLive: 0,
  tokensSnapshot: 0,
  orderErrors: 0,
  seqErrors: 0,
  endsOk: 0,
  endsBad: 0,
  endsDoubled: 0,
  endsBeforeTokens: 0,
  tokensFromEnd: 0,
  frames: 0,
  bytes: 0,
  errorsFrames: 0,
  joinFailed: 0,
  connectFailed: 0,
  drops: 0
}
let firstError = ''
let latency = new Histogram()
let ttft = new Histogram()
const resume = new Histogram()

function newClient (i: number, addr: string, isSlow: boolean): Client {
  return { i, addr, token: '', ws: null, isSlow, isPaused: false, lastSeq: -1, next: [], ended: new Uint8Array(maxAnswers), ends: 0, isOpen: false, hasResumed: false, wasDropped: false, connectStartedAt: 0, onHello: null, isPollShown: false, pollTotal: -1, pollResults: 0, pollTrace: null }
}

function addressOf (i: number): string {
  return `127.${10 + Math.floor(i / 62_500)}.${Math.floor(i / 250) % 250 + 1}.${i % 250 + 1}`
}

async function join (cl: Client): Promise<void> {
  for (let attempt = 0; ; attempt++) {
    try {
      cl.token = await new Promise<string>((resolve, reject) => {
        const body = JSON.stringify({ username: `b${cl.i}` })
        const req = request({ host: '127.0.0.1', port, path: '/api/users/join', method: 'POST', localAddress: cl.addr, agent: false, headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), connection: 'close' } }, res => {
          const chunks: Buffer[] = []
          res.on('data', (d: Buffer) => chunks.push(d))
          res.on('end', () => {
            if (res.statusCode !== 200) { reject(new Error(`join ${res.statusCode}`)); return }
            resolve((JSON.parse(Buffer.concat(chunks).toString('utf8')) as { token: string }).token)
          })
          res.on('error', reject)
        })
        req.on('error', reject)
        req.setTimeout(20_000, () => req.destroy(new Error('join timeout')))
        req.end(body)
      })
      return
    } catch (err) {
      if (attempt >= 3) { c.joinFailed++; throw err }
      await new Promise(resolve => setTimeout(resolve, 100 * (attempt + 1)))
    }
  }
}

function connect (cl: Client, since: number | null): Promise<void> {
  if (since !== null) cl.hasResumed = true
  return new Promise((resolve, reject) => {
    const q = since === null ? '' : `&since=${since}`
    let isSettled = false
    const ws: RawWs = new RawWs({
      port,
      path: `/api/broadcast/ws?token=${cl.token}${q}`,
      localAddress: cl.addr,
      timeoutMs: 30_000,
      onMessage: (data) => { if (cl.ws === ws) onFrame(cl, data) },
      onClose: () => {
        if (cl.ws !== ws) return
        cl.isOpen = false
        if (!isSettled) { isSettled = true; reject(new Error('closed before hello')) } else { cl.wasDropped = true; c.drops++ }
      }
    })
    cl.ws = ws
    cl.isOpen = false
    cl.connectStartedAt = nowMs()
    cl.onHello = () => { isSettled = true; resolve() }
    ws.opened.catch((err: unknown) => { if (!isSettled) { isSettled = true; reject(err instanceof Error ? err : new Error(String(err))) } })
  })
}

async function connectWithRetry (cl: Client, since: number | null): Promise<void> {
  for (let attempt = 0; ; attempt++) {
    try { await connect(cl, since); return } catch (err) {
      if (attempt >= 3) { c.connectFailed++; throw err }
      await new Promise(resolve => setTimeout(resolve, 100 * (attempt + 1)))
    }
  }
}

function onFrame (cl: Client, data: Buffer): void {
  const now = nowMs()
  c.frames++
  c.bytes += data.length
  const t = data[9]
  if (t === ch('a')) {
    const s = data[20]
    if (s === ch('c')) onChunk(cl, data, now)
    else if (s === ch('e')) { persisted(cl, data); if (data[21] === ch('n')) onEnd(cl, data); else c.endsBad++ } else if (s === ch('s')) persisted(cl, data)
  } else if (t === ch('u')) {
    persisted(cl, data)
  } else if (t === ch('h')) {
    const last = readIntAfter(data, LAST_SEQ)
    if (cl.lastSeq < 0) cl.lastSeq = last
    cl.isOpen = true
    const cb = cl.onHello
    cl.onHello = null
    cb?.()
  } else if (t === ch('p') && data[12] === ch('l') && data[13] === ch('_')) {
    // poll_update (persisted) or poll_results (live counts, no seq)
    if (data[14] === ch('u')) {
      persisted(cl, data)
      if (data.indexOf(SHOWN) >= 0) cl.isPollShown = true
    } else if (data[14] === ch('r')) {
      const total = readIntAfter(data, TOTAL)
      cl.pollResults++
      if (total > cl.pollTotal) cl.pollTotal = total
      cl.pollTrace?.push([now, total])
    }
  } else if (t === ch('e')) {
    c.errorsFrames++
    if (firstError === '') firstError = data.toString('utf8', 0, Math.min(data.length, 300))
  }
}

function persisted (cl: Client, data: Buffer): void {
  const seq = readIntAfter(data, SEQ)
  if (seq !== cl.lastSeq + 1) c.seqErrors++
  if (seq > cl.lastSeq) cl.lastSeq = seq
}

function onChunk (cl: Client, data: Buffer, now: number): void {
  const isSnapshot = data.indexOf(SNAPSHOT, data.length - 24) >= 0
  if (isSnapshot) {
    let expect = 0
    let answer = -1
    scanMarkers(data, 20, (a, tok) => {
      answer = a
      if (tok !== expect) c.orderErrors++
      expect = tok + 1
    }, false)
    if (answer < 0) return
    const had = cl.next[answer] ?? 0
    if (expect < had) c.orderErrors++
    else c.tokensSnapshot += expect - had
    cl.next[answer] = expect
    return
  }
  scanMarkers(data, 20, (a, tok, sentMs, askedMs) => {
    const want = cl.next[a] ?? 0
    if (tok !== want) { c.orderErrors++; if (tok < want) return }
    cl.next[a] = tok + 1
    if (cl.isSlow) return
    c.tokensLive++
    latency.add(now - sentMs)
    if (tok === 0) ttft.add(now - askedMs)
  })
}

function onEnd (cl: Client, data: Buffer): void {
  let expect = 0
  let answer = -1
  let isOk = true
  scanMarkers(data, 20, (a, tok) => {
    if (answer === -1) answer = a
    if (a !== answer || tok !== expect) isOk = false
    expect = tok + 1
  }, false)
  if (answer < 0 || expect !== tokensPerAnswer || !isOk) { c.endsBad++; return }
  if (answer >= maxAnswers) { c.endsBad++; return }
  if (cl.ended[answer] === 1) { c.endsDoubled++; return }
  cl.ended[answer] = 1
  cl.ends++
  c.endsOk++
  const had = cl.next[answer] ?? 0
  if (had === tokensPerAnswer) return
  if (cl.hasResumed) { c.tokensFromEnd += tokensPerAnswer - had; cl.next[answer] = tokensPerAnswer } else if (!cl.isSlow) c.endsBeforeTokens++
}

/**
 * Runs the frame handlers over synthetic answers before measuring, then forgets what they counted:
 * otherwise the first real tokens are timed while this process still interprets and compiles its
 * own scanning code, which is the instrument's delay, not the host's.
 */
function warmUp (): void {
  const saved = { ...c }
  const scratch = newClient(-1, '', false)
  let seq = 0
  for (let round = 0; round < 20; round++) {
    scratch.next = []
    scratch.ended = new Uint8Array(maxAnswers)
    const answers = Math.min(maxAnswers, 8)
    const texts: string[] = Array.from({ length: answers }, () => '')
    for (let t = 0; t < tokensPerAnswer; t++) {
      for (let a = 0; a < answers; a++) {
        const mark = marker(a, t, nowMs(), nowMs()) + 'w '
        texts[a] += mark
        onFrame(scratch, Buffer.from(JSON.stringify({ type: 'ai_message_chunk', id: a + 1, reply_to: a, content: mark, conversation_id: 'warm-up', timestamp: Date.now() })))
      }
    }
    for (let a = 0; a < answers; a++) {
      onFrame(scratch, Buffer.from(JSON.stringify({ type: 'ai_message_end', id: a + 1, seq: seq++, reply_to: a, content: texts[a], status: 'complete', timestamp: Date.now() })))
    }
  }
  Object.assign(c, saved)
  latency = new Histogram()
  ttft = new Histogram()
  // and collect its garbage now rather than during the measurement (forked with --expose-gc)
  const gc = (globalThis as { gc?: () => void }).gc
  gc?.()
}

async function pool<T> (items: T[], width: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const item = items[next++]!
      try { await fn(item) } catch {}
    }
  }
  await Promise.all(Array.from({ length: Math.min(width, items.length) }, worker))
}

function missingTokens (answers: number, includeSlow: boolean): number {
  let missing = 0
  for (const cl of clients) {
    if (cl.isSlow && !includeSlow) continue
    for (let a = 0; a < answers; a++) missing += tokensPerAnswer - Math.min(cl.next[a] ?? 0, tokensPerAnswer)
  }
  return missing
}

function report (answers: number): ChildReport {
  const slow = clients.filter(cl => cl.isSlow)
  return {
    counters: { ...c },
    clients: clients.length,
    open: clients.filter(cl => cl.isOpen).length,
    missingTokens: missingTokens(answers, false),
    incompleteEnds: clients.filter(cl => !cl.isSlow && cl.ends < answers).length,
    slow: { total: slow.length, dropped: slow.filter(cl => cl.wasDropped).length, complete: slow.filter(cl => cl.ends >= answers).length },
    latency: latency.serialize(),
    ttft: ttft.serialize(),
    resume: resume.serialize(),
    cpuMs: (process.cpuUsage().user + process.cpuUsage().system) / 1000
  }
}

async function waitUntil (done: () => boolean, timeoutMs: number): Promise<boolean> {
  const until = Date.now() + timeoutMs
  while (!done()) {
    if (Date.now() > until) return false
    await new Promise(resolve => setTimeout(resolve, 25))
  }
  return true
}

/**
 * The polls case: participant i answers at `startAt + i * spreadMs / count` (a choice of its own,
 * i modulo `options`, so the counts can be checked too). Resolves once every vote has left.
 */
async function vote (cmd: Extract<ChildCommand, { cmd: 'poll-vote' }>): Promise<PollVotes> {
  const watched = new Set(cmd.watch)
  for (const cl of clients) {
    cl.pollTotal = -1
    cl.pollResults = 0
    cl.pollTrace = watched.has(cl.i) ? [] : null
  }
  const voters = clients.filter(cl => cl.isOpen).sort((a, b) => a.i - b.i)
  const unsent = clients.length - voters.length
  const gap = cmd.spreadMs / cmd.count
  const sentMs: number[] = []
  let next = 0
  await new Promise<void>(resolve => {
    const tick = (): void => {
      const now = nowMs()
      while (next < voters.length && cmd.startAt + voters[next]!.i * gap <= now) {
        const cl = voters[next++]!
        sentMs.push(nowMs())
        cl.ws?.send(`{"type":"poll_answer","poll_id":${cmd.pollId},"choice":[${cl.i % cmd.options}]}`)
      }
      if (next >= voters.length) { resolve(); return }
      setTimeout(tick, Math.max(0, cmd.startAt + voters[next]!.i * gap - nowMs()))
    }
    setTimeout(tick, Math.max(0, cmd.startAt - nowMs()))
  })
  return { sentMs, unsent }
}

async function handle (cmd: ChildCommand): Promise<unknown> {
  switch (cmd.cmd) {
    case 'init': {
      port = cmd.port
      tokensPerAnswer = cmd.tokensPerAnswer
      maxAnswers = cmd.maxAnswers
      for (const i of cmd.indices) {
        clients.push(newClient(i, addressOf(i), cmd.slow.includes(i)))
      }
      const t0 = nowMs()
      await pool(clients, cmd.ramp, join)
      const t1 = nowMs()
      await pool(clients.filter(cl => cl.token !== ''), cmd.ramp, async cl => await connectWithRetry(cl, null))
      const t2 = nowMs()
      warmUp()
      return { joinMs: t1 - t0, connectMs: t2 - t1, open: clients.filter(cl => cl.isOpen).length }
    }
    case 'pause-slow':
      for (const cl of clients) {
        if (!cl.isSlow || cl.ws === null) continue
        cl.ws.pause()
        cl.isPaused = true
      }
      return {}
    case 'ask': {
      const byI = new Map(clients.map(cl => [cl.i, cl]))
      for (const i of cmd.askers) {
        const cl = byI.get(i)
        cl?.ws?.send(JSON.stringify({ type: 'chat', content: `@ai q${nowMs().toFixed(2)} question from ${i}`, client_msg_id: `q${i}-${Date.now()}` }))
      }
      return {}
    }
    case 'wait': {
      const isDone = await waitUntil(() => clients.every(cl => cl.isSlow || cl.ends >= cmd.answers), cmd.timeoutMs)
      return { isDone, ...report(cmd.answers) }
    }
    case 'resume-slow': {
      for (const cl of clients) {
        if (!cl.isPaused || cl.ws === null) continue
        cl.isPaused = false
        cl.ws.resume()
      }
      // Dropped ones come back with since=; the others just catch up.
      await waitUntil(() => clients.every(cl => !cl.isSlow || cl.wasDropped || cl.ends >= cmd.answers), cmd.timeoutMs)
      await pool(clients.filter(cl => cl.isSlow && cl.wasDropped), cmd.ramp, async cl => await connectWithRetry(cl, cl.lastSeq))
      const isDone = await waitUntil(() => clients.every(cl => cl.ends >= cmd.answers), cmd.timeoutMs)
      return { isDone, ...report(cmd.answers) }
    }
    case 'storm': {
      const t0 = nowMs()
      const olds = clients.map(cl => cl.ws)
      for (const ws of olds) ws?.terminate()
      await Promise.all(clients.map(async cl => {
        const since = cl.lastSeq
        try {
          await connectWithRetry(cl, since)
          resume.add(nowMs() - t0)
        } catch {}
      }))
      return { stormMs: nowMs() - t0, open: clients.filter(cl => cl.isOpen).length }
    }
    case 'report':
      return report(cmd.answers)
    case 'poll-ready': {
      const isReady = await waitUntil(() => clients.every(cl => !cl.isOpen || cl.isPollShown), cmd.timeoutMs)
      const open = clients.filter(cl => cl.isOpen)
      return { isReady, open: open.length, ready: open.filter(cl => cl.isPollShown).length } satisfies PollReady
    }
    case 'poll-vote':
      return await vote(cmd)
    case 'poll-report': {
      const isDone = await waitUntil(() => clients.every(cl => !cl.isOpen || cl.pollTotal >= cmd.expectTotal), cmd.timeoutMs)
      const frames = clients.map(cl => cl.pollResults)
      return {
        isDone,
        clients: clients.length,
        open: clients.filter(cl => cl.isOpen).length,
        sawFinal: clients.filter(cl => cl.pollTotal === cmd.expectTotal).length,
        resultsFrames: { min: Math.min(...frames), max: Math.max(...frames), sum: frames.reduce((a, b) => a + b, 0) },
        traces: clients.filter(cl => cl.pollTrace !== null).map(cl => ({ i: cl.i, frames: cl.pollTrace! })),
        errorFrames: c.errorsFrames,
        firstError,
        seqErrors: c.seqErrors,
        drops: c.drops,
        cpuMs: (process.cpuUsage().user + process.cpuUsage().system) / 1000
      } satisfies PollReport
    }
    case 'close':
      for (const cl of clients) cl.ws?.terminate()
      setTimeout(() => process.exit(0), 50)
      return {}
  }
}

process.on('message', (msg: { id: number, cmd: ChildCommand }) => {
  handle(msg.cmd).then(
    result => process.send?.({ id: msg.id, result }),
    (err: unknown) => process.send?.({ id: msg.id, error: String((err as Error).stack ?? err) })
  )
})
process.on('disconnect', () => process.exit(0))
