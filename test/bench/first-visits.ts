/**
 * `npm run bench -- --case first-visits`: a class opening the page at once. N first visits (default
 * 300) arrive evenly within a window (default 5 s), each from its own 127.x.y.z address with its
 * own connections (up to six, as a browser): the HTML, then every script and style it loads
 * (its links and their static imports) and the room info, all with `Accept-Encoding: br, gzip`.
 * Checks each answer (status, encoding, length; the first copy of each file decoded and compared
 * with the build) and reports visit times, bytes on the wire and the host's CPU while serving.
 * Bounded: every request times out, and the whole case stops at its deadline.
 */
import { readFileSync } from 'node:fs'
import { Agent, request, type IncomingHttpHeaders } from 'node:http'
import { availableParallelism } from 'node:os'
import { join } from 'node:path'
import { brotliDecompressSync, gunzipSync } from 'node:zlib'
import { startBenchDify } from './bench-dify.js'
import { startHost, metricValue } from './host-proc.js'
import { machineBusyMs, selfCpuMs, waitForQuietMachine } from './machine.js'
import { Histogram } from './stats.js'

export interface FirstVisitsOptions {
  root: string
  visits: number
  withinMs: number
  /** the whole case stops after this long (requests still open count as errors) */
  timeoutMs: number
  quietWaitMs: number
}

export interface FirstVisitsResult {
  case: 'first-visits'
  cores: number
  visits: number
  withinS: number
  /** what one visit fetches */
  requestsPerVisit: number
  visitsOk: number
  errors: number
  /** the first few error messages */
  errorSamples: string[]
  /** from a visit's first byte sent to its last response read */
  visitMs: ReturnType<Histogram['summary']>
  /** one request, sent → last byte */
  requestMs: ReturnType<Histogram['summary']>
  /** headers plus bodies as received, one visit / all visits */
  bytesPerVisit: number
  totalMb: number
  /** the same files uncompressed, one visit */
  plainBytesPerVisit: number
  spanS: number
  hostCpuPct: number
  hostRssPeakMb: number
  generatorCpuPct: number
  otherCpuPct: number
  eventLoopP99Ms: number
  eventLoopMaxMs: number
  loadAvg: number
  pass: boolean
  notes: string[]
}

interface Asset { url: string, file: string | null }

const ENCODED = /\.(?:js|css|html)$/

/** Runs the case on a fresh host (limits on, as in a classroom) and returns its figures. */
export async function runFirstVisits (o: FirstVisitsOptions): Promise<FirstVisitsResult> {
  const notes: string[] = []
  const webRoot = join(o.root, 'dist', 'renderer')
  const assets = pageAssets(webRoot)
  const dify = await startBenchDify({ tokens: 1, intervalMs: 10, tokenBytes: 0 })
  const host = await startHost({ root: o.root, difyUrl: dify.url, aiConcurrency: 10, extraArgs: ['--limits', 'on'] })
  const base = `http://127.0.0.1:${host.port}`
  const visitTimes = new Histogram()
  const requestTimes = new Histogram()
  const errors: string[] = []
  const checked = new Set<string>()
  let bytes = 0
  let visitsOk = 0
  let peakRss = host.rss()
  const sampler = setInterval(() => { peakRss = Math.max(peakRss, host.rss()) }, 100)
  const agents: Agent[] = []
  try {
    await new Promise(resolve => setTimeout(resolve, 500))
    if (!await waitForQuietMachine(o.quietWaitMs)) notes.push('the machine stayed busy with other work; started anyway')
    await host.metrics() // resets the event-loop delay window
    const cpu0 = host.cpuMs()
    const machine0 = machineBusyMs()
    const self0 = selfCpuMs()
    const t0 = performance.now()
    const deadline = Date.now() + o.timeoutMs

    async function get (agent: Agent, asset: Asset): Promise<void> {
      const started = performance.now()
      const res = await fetchRaw(agent, base + asset.url, Math.max(1, deadline - Date.now()))
      requestTimes.add(performance.now() - started)
      bytes += res.wireBytes
      const encoding = res.headers['content-encoding']
      if (res.status !== 200) throw new Error(`${asset.url}: HTTP ${res.status}`)
      if (Number(res.headers['content-length'] ?? res.body.length) !== res.body.length) throw new Error(`${asset.url}: ${res.body.length} bytes of ${String(res.headers['content-length'])}`)
      if (asset.file === null) return
      if (ENCODED.test(asset.file) && encoding !== 'br') throw new Error(`${asset.url}: Content-Encoding ${encoding ?? 'none'}, expected br`)
      if (!checked.has(asset.url)) {
        checked.add(asset.url)
        const decoded = encoding === 'br' ? brotliDecompressSync(res.body) : encoding === 'gzip' ? gunzipSync(res.body) : res.body
        if (!decoded.equals(readFileSync(join(webRoot, asset.file)))) throw new Error(`${asset.url}: the decoded body differs from the build`)
      }
    }

    async function visit (k: number): Promise<void> {
      // A phone of its own: its own address and up to six connections, as a browser opens.
      const agent = new Agent({ keepAlive: true, maxSockets: 6, localAddress: `127.1.${Math.floor(k / 250)}.${(k % 250) + 1}` })
      agents.push(agent)
      const started = performance.now()
      try {
        const [page, ...rest] = assets
        await get(agent, page!)
        await Promise.all(rest.map(async asset => { await get(agent, asset) }))
        visitTimes.add(performance.now() - started)
        visitsOk++
      } catch (err) {
        errors.push(`visit ${k}: ${(err as Error).message}`)
      } finally {
        agent.destroy()
      }
    }

    const gap = o.withinMs / o.visits
    const visits: Array<Promise<void>> = []
    for (let k = 0; k < o.visits; k++) {
      const due = t0 + k * gap
      const wait = due - performance.now()
      if (wait > 0) await new Promise(resolve => setTimeout(resolve, wait))
      visits.push(visit(k))
    }
    await Promise.all(visits)
    const spanMs = performance.now() - t0
    const cpuMs = host.cpuMs() - cpu0
    const machineMs = machineBusyMs() - machine0
    const selfMs = selfCpuMs() - self0
    const metrics = await host.metrics()
    const plainBytesPerVisit = assets.reduce((sum, a) => sum + (a.file === null ? 0 : readFileSync(join(webRoot, a.file)).length), 0)
    const result: FirstVisitsResult = {
      case: 'first-visits',
      cores: availableParallelism(),
      visits: o.visits,
      withinS: o.withinMs / 1000,
      requestsPerVisit: assets.length,
      visitsOk,
      errors: errors.length,
      errorSamples: errors.slice(0, 5),
      visitMs: visitTimes.summary(),
      requestMs: requestTimes.summary(),
      bytesPerVisit: Math.round(bytes / Math.max(1, o.visits)),
      totalMb: Math.round(bytes / 1e5) / 10,
      plainBytesPerVisit,
      spanS: Math.round(spanMs / 100) / 10,
      hostCpuPct: Math.round(cpuMs / spanMs * 100),
      hostRssPeakMb: Math.round(peakRss / 1024 / 1024),
      generatorCpuPct: Math.round(selfMs / spanMs * 100),
      otherCpuPct: Math.max(0, Math.round((machineMs - cpuMs - selfMs) / spanMs * 100)),
      eventLoopP99Ms: Math.round(metricValue(metrics, 'mindweb_event_loop_delay_seconds{quantile="0.99"}') * 10_000) / 10,
      eventLoopMaxMs: Math.round(metricValue(metrics, 'mindweb_event_loop_delay_seconds{quantile="1"}') * 10_000) / 10,
      loadAvg: Number(readFileSync('/proc/loadavg', 'utf8').split(' ')[0]),
      pass: errors.length === 0 && visitsOk === o.visits,
      notes
    }
    return result
  } finally {
    clearInterval(sampler)
    for (const agent of agents) agent.destroy()
    await host.stop()
    await dify.close()
  }
}

/** One line per run, for the terminal. */
export function firstVisitsLine (r: FirstVisitsResult): string {
  return `first-visits: ${r.visitsOk}/${r.visits} visits in ${r.withinS} s served, ${r.errors} errors; ` +
    `visit p50 ${r.visitMs.p50} ms, p99 ${r.visitMs.p99} ms, max ${r.visitMs.max} ms (request p99 ${r.requestMs.p99} ms); ` +
    `${r.requestsPerVisit} requests and ${(r.bytesPerVisit / 1000).toFixed(1)} KB per visit (${(r.plainBytesPerVisit / 1000).toFixed(1)} KB uncompressed), ${r.totalMb} MB in all; ` +
    `host CPU ${r.hostCpuPct}% of a core over ${r.spanS} s, RSS peak ${r.hostRssPeakMb} MB, event loop p99 ${r.eventLoopP99Ms} ms; ` +
    `generator ${r.generatorCpuPct}%, others ${r.otherCpuPct}%, load ${r.loadAvg} on ${r.cores} cores${r.pass ? '' : ' — FAILED'}`
}

/**
 * What the participant page loads before anyone types: the HTML, the scripts and styles it links,
 * the static imports of those scripts (read from the build), and the room info it asks for.
 */
function pageAssets (webRoot: string): Asset[] {
  const html = readFileSync(join(webRoot, 'participant', 'index.html'), 'utf8')
  const found = new Set<string>()
  const queue = [...html.matchAll(/(?:src|href)="\/(assets\/[^"]+)"/g)].map(m => m[1]!)
  while (queue.length > 0) {
    const file = queue.shift()!
    if (found.has(file)) continue
    found.add(file)
    if (!file.endsWith('.js')) continue
    const code = readFileSync(join(webRoot, file), 'utf8')
    // Static imports only (`import … from "./x.js"`, `import "./x.js"`), not `import("./x.js")`.
    for (const m of code.matchAll(/\bimport\s*(?:[\w$*{}\s,]+from\s*)?["']\.\/([^"']+\.js)["']/g)) queue.push(`assets/${m[1]!}`)
  }
  if (found.size === 0) throw new Error(`no assets linked from ${webRoot}/participant/index.html: build the pages first (npm run build:web)`)
  return [
    { url: '/', file: 'participant/index.html' },
    ...[...found].map(file => ({ url: `/${file}`, file })),
    { url: '/api/room', file: null }
  ]
}

interface RawResponse { status: number, headers: IncomingHttpHeaders, body: Buffer, wireBytes: number }

/** GET with Accept-Encoding br, gzip; the bytes as sent, and their count with the headers. */
async function fetchRaw (agent: Agent, url: string, timeoutMs: number): Promise<RawResponse> {
  return await new Promise((resolve, reject) => {
    const req = request(url, { agent, headers: { 'accept-encoding': 'br, gzip', 'user-agent': 'mindweb-bench first-visit' }, timeout: timeoutMs }, res => {
      const chunks: Buffer[] = []
      res.on('data', (chunk: Buffer) => chunks.push(chunk))
      res.on('end', () => {
        const body = Buffer.concat(chunks)
        // Status line, each `name: value\r\n`, blank line: what the socket carried before the body.
        const headerBytes = 17 + res.rawHeaders.reduce((sum, part) => sum + Buffer.byteLength(part) + 2, 0) + 2
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body, wireBytes: headerBytes + body.length })
      })
      res.on('error', reject)
    })
    req.on('timeout', () => { req.destroy(new Error(`${url}: no answer within ${timeoutMs} ms`)) })
    req.on('error', reject)
    req.end()
  })
}
