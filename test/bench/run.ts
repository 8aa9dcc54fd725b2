/**
 * `npm run bench`: fan-out benchmark of the real host (child process) with a bench fake Dify and
 * generator processes (each participant on its own 127.x.y.z address).
 *   npm run bench -- --matrix [--runs 3]
 *   npm run bench -- --participants 1000 --answers 10 [--slow 50] [--reconnect] [--token-bytes N]
 *   npm run bench -- --case hall --runs 3
 *   npm run bench -- --matrix --console browser   (with the host console open, see host-console.ts)
 *   npm run bench -- --case first-visits [--visits 300] [--within 5]   (page loads, see first-visits.ts)
 *   npm run bench -- --case polls [--participants 1000] [--within 1] [--runs K]   (a poll answered at once, see polls.ts)
 *   npm run bench -- --case cluster [--edges 3] [--participants 300] [--posts 100] [--rate 20]   (a writer and edges behind nginx, see cluster.ts)
 * Prints one JSON line per run and a table of medians. Not part of `npm test`.
 */
import { spawnSync } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { availableParallelism, cpus } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'
import { startBenchDify } from './bench-dify.js'
import { firstVisitsLine, runFirstVisits } from './first-visits.js'
import { pollsLine, runPolls } from './polls.js'
import { clusterLine, runClusterBench } from './cluster.js'
import { closeGenerators, spawnGenerator } from './generator.js'
import { startHost, metricValue } from './host-proc.js'
import { openHostConsole, type ConsoleMode, type HostConsole } from './host-console.js'
import { machineBusyMs, selfCpuMs, waitForQuietMachine } from './machine.js'
import { Histogram, median } from './stats.js'
import type { ChildReport } from './protocol.js'

export interface CaseSpec {
  name: string
  participants: number
  answers: number
  slow: number
  reconnect: boolean
  tokenBytes: number
  target: { p99Ms?: number, rssMb?: number, rssPerParticipantKb?: number, resumeMs?: number }
}

export interface CaseResult {
  case: string
  cores: number
  participants: number
  answers: number
  slow: number
  tokensExpected: number
  tokensDelivered: number
  deliveredPct: number
  orderErrors: number
  /** an ai_message_end arrived before all of its deltas (live, never resumed) */
  endsBeforeTokens: number
  /** tokens a resumed participant got only inside a replayed ai_message_end */
  tokensFromEnd: number
  tokensFromSnapshot: number
  seqErrors: number
  endsOk: number
  endsBad: number
  endsDoubled: number
  latencyMs: ReturnType<Histogram['summary']>
  ttftMs: ReturnType<Histogram['summary']>
  resumeMs: ReturnType<Histogram['summary']> | null
  slowDropped: number | null
  slowComplete: number | null
  joinS: number
  connectS: number
  streamS: number
  hostRssIdleMb: number
  hostRssPerParticipantKb: number
  hostRssPeakMb: number
  hostCpuPct: number
  generatorCpuPct: number
  /** CPU used on the machine during the stream by everything else (other users' processes), % of one core */
  otherCpuPct: number
  loadAvg: number
  eventLoopP99Ms: number
  eventLoopMaxMs: number
  coalescing: number
  /** mean ms per SQLite write call, by operation */
  sqliteWriteMs: Record<string, number>
  hostWrites: number
  /** bytes written to sockets since the host started (ramp included), MB */
  hostBytesMb: number
  /** host flush durations: mean and the share of flushes over 25 / 100 ms */
  flushMs: { mean: number, over25: number, over100: number }
  hostFlushes: number
  droppedByHost: number
  pass: boolean
  /** in a row of medians: how many of its runs passed on their own */
  runsPassed?: number
  notes: string[]
}

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..')
const CORES = availableParallelism()
const FIRST_VISITS = 'first-visits'
const POLLS = 'polls'
const CLUSTER = 'cluster'

export const MATRIX: CaseSpec[] = [
  { name: 'classroom', participants: 100, answers: 10, slow: 0, reconnect: false, tokenBytes: 0, target: { p99Ms: 20 } },
  { name: 'hall', participants: 1000, answers: 10, slow: 0, reconnect: false, tokenBytes: 0, target: { p99Ms: 150 } },
  { name: 'event', participants: 3000, answers: 10, slow: 0, reconnect: false, tokenBytes: 0, target: { p99Ms: 400 } },
  { name: 'overload', participants: 3000, answers: 50, slow: 0, reconnect: false, tokenBytes: 0, target: { p99Ms: 2000, rssMb: 600 } },
  { name: 'stadium', participants: 10_000, answers: 5, slow: 0, reconnect: false, tokenBytes: 0, target: { p99Ms: 500, rssMb: 800 } },
  { name: 'idle', participants: 10_000, answers: 0, slow: 0, reconnect: false, tokenBytes: 0, target: { rssPerParticipantKb: 25 } },
  { name: 'slow', participants: 1000, answers: 10, slow: 50, reconnect: false, tokenBytes: 0, target: { p99Ms: 150 } },
  { name: 'reconnect', participants: 3000, answers: 10, slow: 0, reconnect: true, tokenBytes: 0, target: { resumeMs: 10_000 } }
]

async function sleep (ms: number): Promise<void> { await new Promise(resolve => setTimeout(resolve, ms)) }

/** Runs one case end to end: fresh fake Dify, fresh host, fresh generator processes. */
export async function runCase (spec: CaseSpec, o: { tokens: number, intervalMs: number, procs: number, ramp: number, timeoutMs: number, aiConcurrency: number, quietWaitMs: number, console?: ConsoleMode }): Promise<CaseResult> {
  const notes: string[] = []
  const dify = await startBenchDify({ tokens: o.tokens, intervalMs: o.intervalMs, tokenBytes: spec.tokenBytes })
  const host = await startHost({ root, difyUrl: dify.url, aiConcurrency: o.aiConcurrency })
  const procs = Math.max(1, Math.min(o.procs, spec.participants))
  const gens = Array.from({ length: procs }, spawnGenerator)
  let peakRss = host.rss()
  let hostConsole: HostConsole | null = null
  const sampler = setInterval(() => { peakRss = Math.max(peakRss, host.rss()) }, 100)
  try {
    if (o.console !== undefined && o.console !== 'none') hostConsole = await openHostConsole(host.port, o.console)
    await sleep(300)
    const rssStart = host.rss()
    const slowSet = new Set(Array.from({ length: spec.slow }, (_, k) => spec.participants - 1 - k))
    const shares: number[][] = gens.map(() => [])
    for (let i = 0; i < spec.participants; i++) shares[i % procs]!.push(i)
    const inits = await Promise.all(gens.map(async (g, k) => await g.call<{ joinMs: number, connectMs: number, open: number }>({
      cmd: 'init', port: host.port, indices: shares[k]!, slow: shares[k]!.filter(i => slowSet.has(i)), ramp: o.ramp, tokensPerAnswer: o.tokens, maxAnswers: Math.max(64, spec.answers)
    })))
    const open = inits.reduce((s, x) => s + x.open, 0)
    if (open < spec.participants) notes.push(`${spec.participants - open} participants could not connect`)
    await sleep(1500) // let presence batches and GC settle
    const rssIdle = host.rss()
    peakRss = Math.max(peakRss, rssIdle)
    if (spec.slow > 0) await Promise.all(gens.map(async g => await g.call({ cmd: 'pause-slow' })))
    const quiet = await waitForQuietMachine(o.quietWaitMs)
    if (!quiet) notes.push('the machine stayed busy with other work; started anyway')
    await host.metrics() // resets the event-loop delay window
    const cpu0 = host.cpuMs()
    const machine0 = machineBusyMs()
    const self0 = selfCpuMs()
    const gcpu0 = (await Promise.all(gens.map(async g => await g.call<ChildReport>({ cmd: 'report', answers: spec.answers })))).reduce((s, r) => s + r.cpuMs, 0)
    const t0 = Date.now()
    const askers: number[] = []
    for (let i = 0; i < spec.participants && askers.length < spec.answers; i++) if (!slowSet.has(i)) askers.push(i)
    await Promise.all(gens.map(async (g, k) => await g.call({ cmd: 'ask', askers: askers.filter(i => i % procs === k) })))
    let resume: Histogram | null = null
    if (spec.reconnect) {
      await sleep(Math.round(o.tokens * o.intervalMs / 2))
      const storms = await Promise.all(gens.map(async g => await g.call<{ stormMs: number, open: number }>({ cmd: 'storm' })))
      notes.push(`storm: ${storms.reduce((s, x) => s + x.open, 0)} reopened in ${Math.round(Math.max(...storms.map(s => s.stormMs)))} ms`)
    }
    let reports: Array<ChildReport & { isDone: boolean }>
    if (spec.answers === 0) {
      await sleep(2000)
      reports = await Promise.all(gens.map(async g => ({ isDone: true, ...await g.call<ChildReport>({ cmd: 'report', answers: 0 }) })))
    } else {
      reports = await Promise.all(gens.map(async g => await g.call<ChildReport & { isDone: boolean }>({ cmd: 'wait', answers: spec.answers, timeoutMs: o.timeoutMs })))
    }
    const streamS = (Date.now() - t0) / 1000
    const cpu1 = host.cpuMs()
    const machine1 = machineBusyMs()
    const self1 = selfCpuMs()
    const metrics = await host.metrics()
    if (spec.slow > 0) {
      reports = await Promise.all(gens.map(async g => await g.call<ChildReport & { isDone: boolean }>({ cmd: 'resume-slow', answers: spec.answers, timeoutMs: o.timeoutMs, ramp: o.ramp })))
    }
    if (reports.some(r => !r.isDone)) notes.push('timed out waiting for every answer to end everywhere')
    const gcpu1 = reports.reduce((s, r) => s + r.cpuMs, 0)
    // Generators' CPU is read after the slow readers resumed; the machine's before that: close enough for a contention hint.
    const otherMs = (machine1 - machine0) - (cpu1 - cpu0) - (gcpu1 - gcpu0) - (self1 - self0)

    const latency = new Histogram()
    const ttft = new Histogram()
    for (const r of reports) { latency.merge(r.latency); ttft.merge(r.ttft) }
    if (spec.reconnect) { resume = new Histogram(); for (const r of reports) resume.merge(r.resume) }
    const sum = (f: (r: ChildReport) => number): number => reports.reduce((s, r) => s + f(r), 0)
    const counters = (k: string): number => sum(r => r.counters[k] ?? 0)
    const tokensExpected = (spec.participants - spec.slow) * spec.answers * o.tokens
    const missing = sum(r => r.missingTokens)
    const tokensDelivered = tokensExpected - missing
    const deltasIn = metricValue(metrics, 'mindweb_ai_deltas_in_total')
    const chunksOut = metricValue(metrics, 'mindweb_ai_chunks_out_total')
    const latencyMs = latency.summary()
    const result: CaseResult = {
      case: spec.name,
      cores: CORES,
      participants: spec.participants,
      answers: spec.answers,
      slow: spec.slow,
      tokensExpected,
      tokensDelivered,
      deliveredPct: tokensExpected === 0 ? 100 : Math.floor(tokensDelivered / tokensExpected * 100_000) / 1000,
      orderErrors: counters('orderErrors'),
      endsBeforeTokens: counters('endsBeforeTokens'),
      tokensFromEnd: counters('tokensFromEnd'),
      tokensFromSnapshot: counters('tokensSnapshot'),
      seqErrors: counters('seqErrors'),
      endsOk: counters('endsOk'),
      endsBad: counters('endsBad'),
      endsDoubled: counters('endsDoubled'),
      latencyMs,
      ttftMs: ttft.summary(),
      resumeMs: resume?.summary() ?? null,
      slowDropped: spec.slow > 0 ? sum(r => r.slow.dropped) : null,
      slowComplete: spec.slow > 0 ? sum(r => r.slow.complete) : null,
      joinS: Math.round(Math.max(...inits.map(x => x.joinMs)) / 100) / 10,
      connectS: Math.round(Math.max(...inits.map(x => x.connectMs)) / 100) / 10,
      streamS: Math.round(streamS * 10) / 10,
      hostRssIdleMb: mb(rssIdle),
      hostRssPerParticipantKb: Math.round((rssIdle - rssStart) / spec.participants / 102.4) / 10,
      hostRssPeakMb: mb(peakRss),
      hostCpuPct: Math.round((cpu1 - cpu0) / (streamS * 10)),
      generatorCpuPct: Math.round((gcpu1 - gcpu0) / (streamS * 10)),
      otherCpuPct: Math.max(0, Math.round(otherMs / (streamS * 10))),
      loadAvg: Number(readFileSync('/proc/loadavg', 'utf8').split(' ')[0]),
      eventLoopP99Ms: round1(metricValue(metrics, 'mindweb_event_loop_delay_seconds{quantile="0.99"}') * 1000),
      eventLoopMaxMs: round1(metricValue(metrics, 'mindweb_event_loop_delay_seconds{quantile="1"}') * 1000),
      coalescing: round1(deltasIn / chunksOut),
      sqliteWriteMs: sqliteMeans(metrics),
      hostWrites: metricValue(metrics, 'mindweb_ws_writes_total'),
      hostBytesMb: mb(metricValue(metrics, 'mindweb_ws_bytes_written_total')),
      hostFlushes: metricValue(metrics, 'mindweb_ws_flushes_total'),
      flushMs: {
        mean: round1(metricValue(metrics, 'mindweb_hub_flush_seconds_sum') / metricValue(metrics, 'mindweb_hub_flush_seconds_count') * 1000),
        over25: metricValue(metrics, 'mindweb_hub_flush_seconds_count') - metricValue(metrics, 'mindweb_hub_flush_seconds_bucket{le="0.025"}'),
        over100: metricValue(metrics, 'mindweb_hub_flush_seconds_count') - metricValue(metrics, 'mindweb_hub_flush_seconds_bucket{le="0.1"}')
      },
      droppedByHost: metricValue(metrics, 'mindweb_ws_slow_consumers_dropped_total'),
      pass: false,
      notes
    }
    if (result.endsBad > 0 || result.endsDoubled > 0) notes.push(`ends: ${result.endsBad} bad, ${result.endsDoubled} doubled`)
    if (spec.slow > 0) notes.push(`slow readers: ${result.slowDropped}/${spec.slow} dropped by the host, ${result.slowComplete}/${spec.slow} complete after resuming`)
    result.pass = judge(spec, result)
    return result
  } finally {
    clearInterval(sampler)
    if (hostConsole !== null) {
      const seen = hostConsole.counts()
      process.stderr.write(`bench: host console (${o.console ?? 'none'}) received ${seen.frames} frames, ${(seen.bytes / 1e6).toFixed(1)} MB\n`)
      await hostConsole.close()
    }
    await closeGenerators(gens)
    await host.stop()
    await dify.close()
  }
}

function judge (spec: CaseSpec, r: CaseResult): boolean {
  const t = spec.target
  let ok = r.deliveredPct === 100 && r.endsBeforeTokens === 0 && r.orderErrors === 0 && r.seqErrors === 0 && r.endsBad === 0 && r.endsDoubled === 0
  if (spec.slow > 0) ok &&= r.slowComplete === spec.slow
  if (t.p99Ms !== undefined) ok &&= r.latencyMs.p99 <= t.p99Ms
  if (t.rssMb !== undefined) ok &&= r.hostRssPeakMb <= t.rssMb
  if (t.rssPerParticipantKb !== undefined) ok &&= r.hostRssPerParticipantKb <= t.rssPerParticipantKb
  if (t.resumeMs !== undefined) ok &&= r.resumeMs !== null && r.resumeMs.max <= t.resumeMs
  return ok
}

function sqliteMeans (metrics: string): Record<string, number> {
  const out: Record<string, number> = {}
  for (const op of ['postUserMessage', 'createReply', 'checkpointReplies', 'finishReply']) {
    const sum = metricValue(metrics, `mindweb_sqlite_write_seconds_sum{op="${op}"}`)
    const count = metricValue(metrics, `mindweb_sqlite_write_seconds_count{op="${op}"}`)
    if (count > 0) out[op] = Math.round(sum / count * 1e5) / 100
  }
  return out
}

function mb (bytes: number): number { return Math.round(bytes / 1024 / 1024) }
function round1 (x: number): number { return Math.round(x * 10) / 10 }

/** Medians of several runs of one case, field by field. */
function medianOf (runs: CaseResult[]): CaseResult {
  const first = runs[0]!
  const med = (f: (r: CaseResult) => number): number => round1(median(runs.map(f)))
  return {
    ...first,
    tokensDelivered: Math.min(...runs.map(r => r.tokensDelivered)),
    deliveredPct: Math.min(...runs.map(r => r.deliveredPct)),
    orderErrors: Math.max(...runs.map(r => r.orderErrors)),
    seqErrors: Math.max(...runs.map(r => r.seqErrors)),
    latencyMs: { n: med(r => r.latencyMs.n), p50: med(r => r.latencyMs.p50), p95: med(r => r.latencyMs.p95), p99: med(r => r.latencyMs.p99), max: med(r => r.latencyMs.max), mean: med(r => r.latencyMs.mean) },
    ttftMs: { n: med(r => r.ttftMs.n), p50: med(r => r.ttftMs.p50), p95: med(r => r.ttftMs.p95), p99: med(r => r.ttftMs.p99), max: med(r => r.ttftMs.max), mean: med(r => r.ttftMs.mean) },
    resumeMs: first.resumeMs === null ? null : { n: med(r => r.resumeMs!.n), p50: med(r => r.resumeMs!.p50), p95: med(r => r.resumeMs!.p95), p99: med(r => r.resumeMs!.p99), max: med(r => r.resumeMs!.max), mean: med(r => r.resumeMs!.mean) },
    hostRssIdleMb: med(r => r.hostRssIdleMb),
    hostRssPerParticipantKb: med(r => r.hostRssPerParticipantKb),
    hostRssPeakMb: med(r => r.hostRssPeakMb),
    hostCpuPct: med(r => r.hostCpuPct),
    generatorCpuPct: med(r => r.generatorCpuPct),
    otherCpuPct: med(r => r.otherCpuPct),
    eventLoopP99Ms: med(r => r.eventLoopP99Ms),
    eventLoopMaxMs: med(r => r.eventLoopMaxMs),
    coalescing: med(r => r.coalescing),
    connectS: med(r => r.connectS),
    streamS: med(r => r.streamS),
    pass: false, // judged on the medians by the caller
    runsPassed: runs.filter(r => r.pass).length,
    notes: [...new Set(runs.flatMap(r => r.notes))]
  }
}

function table (results: Array<{ spec: CaseSpec, r: CaseResult, runs: number }>): string {
  const head = ['case', 'N×K', 'runs', 'delivered', 'p50', 'p95', 'p99', 'max', 'target p99', 'ttft p50', 'RSS idle', 'KB/part', 'RSS peak', 'host CPU', 'gen CPU', 'others CPU', 'ELD p99', 'coalesce', 'pass (median)']
  const rows = results.map(({ spec, r, runs }) => [
    spec.name, `${spec.participants}×${spec.answers}${spec.slow > 0 ? ` (${spec.slow} slow)` : ''}${spec.reconnect ? ' storm' : ''}`, String(runs),
    `${r.deliveredPct}%`, fmt(r.latencyMs.p50), fmt(r.latencyMs.p95), fmt(r.latencyMs.p99), fmt(r.latencyMs.max),
    spec.target.p99Ms !== undefined ? `${spec.target.p99Ms}` : spec.target.resumeMs !== undefined ? `resume ${fmt(r.resumeMs?.max ?? NaN)}` : '-',
    fmt(r.ttftMs.p50), `${r.hostRssIdleMb} MB`, `${r.hostRssPerParticipantKb}`, `${r.hostRssPeakMb} MB`, `${r.hostCpuPct}%`, `${r.generatorCpuPct}%`, `${r.otherCpuPct}%`,
    fmt(r.eventLoopP99Ms), String(r.coalescing), `${r.pass ? 'yes' : 'NO'} (${r.runsPassed ?? 0}/${runs} runs)`
  ])
  const all = [head, ...rows]
  const widths = head.map((_, i) => Math.max(...all.map(row => row[i]!.length)))
  const line = (row: string[]): string => '| ' + row.map((c, i) => c.padEnd(widths[i]!)).join(' | ') + ' |'
  return [line(head), '|' + widths.map(w => '-'.repeat(w + 2)).join('|') + '|', ...rows.map(line)].join('\n')
}

function fmt (ms: number): string { return Number.isFinite(ms) ? `${ms}` : '-' }

async function main (): Promise<void> {
  const { values } = parseArgs({
    args: process.argv.slice(2),
    options: {
      matrix: { type: 'boolean' },
      case: { type: 'string', multiple: true },
      participants: { type: 'string' },
      answers: { type: 'string' },
      slow: { type: 'string' },
      reconnect: { type: 'boolean' },
      'token-bytes': { type: 'string' },
      tokens: { type: 'string' },
      interval: { type: 'string' },
      procs: { type: 'string' },
      ramp: { type: 'string' },
      runs: { type: 'string' },
      timeout: { type: 'string' },
      'ai-concurrency': { type: 'string' },
      'quiet-wait': { type: 'string' },
      visits: { type: 'string' },
      within: { type: 'string' },
      console: { type: 'string' },
      edges: { type: 'string' },
      posts: { type: 'string' },
      rate: { type: 'string' }
    }
  })
  const num = (v: string | undefined, d: number): number => v === undefined ? d : Number(v)
  if (values.case?.includes('photos') === true) return await (await import('./photos.js')).photosMain(root, values) // photos sent at once (photos.ts)
  if (values.case?.includes(FIRST_VISITS) === true) {
    // Page loads, not the chat fan-out: its own runner and report.
    const runs = num(values.runs, 1)
    process.stderr.write(`bench: ${CORES} cores (${cpus()[0]?.model ?? '?'}), node ${process.version}\n`)
    const build = spawnSync(process.execPath, [join(root, 'scripts', 'ensure-web-build.mjs')], { cwd: root, stdio: 'inherit' })
    if (build.status !== 0) throw new Error('the web build failed')
    let isPassed = true
    for (let k = 0; k < runs; k++) {
      const r = await runFirstVisits({ root, visits: num(values.visits, 300), withinMs: num(values.within, 5) * 1000, timeoutMs: num(values.timeout, 60) * 1000, quietWaitMs: num(values['quiet-wait'], 30) * 1000 })
      process.stdout.write(JSON.stringify(r) + '\n' + firstVisitsLine(r) + '\n')
      isPassed &&= r.pass
    }
    values.case = values.case.filter(name => name !== FIRST_VISITS)
    if (values.case.length === 0) { process.exitCode = isPassed ? 0 : 1; return }
  }
  if (values.case?.includes(POLLS) === true) {
    // A poll answered by everyone at once: its own runner and report.
    const runs = num(values.runs, 1)
    const participants = num(values.participants, 1000)
    process.stderr.write(`bench: ${CORES} cores (${cpus()[0]?.model ?? '?'}), node ${process.version}\n`)
    let passed = 0
    for (let k = 0; k < runs; k++) {
      const r = await runPolls({ root, participants, spreadMs: num(values.within, 1) * 1000, procs: num(values.procs, participants >= 3000 ? 2 : 1), ramp: num(values.ramp, 64), timeoutMs: num(values.timeout, 60) * 1000, quietWaitMs: num(values['quiet-wait'], 30) * 1000 })
      process.stdout.write(JSON.stringify(r) + '\n' + pollsLine(r) + '\n')
      if (r.pass) passed++
    }
    if (runs > 1) process.stdout.write(`polls: ${passed}/${runs} runs passed (final total ${participants}, p99 ≤ 1000 ms, ≤ 20 poll_results a second to a watcher)\n`)
    values.case = values.case.filter(name => name !== POLLS)
    if (values.case.length === 0) { process.exitCode = passed === runs ? 0 : 1; return }
  }
  if (values.case?.includes(CLUSTER) === true) {
    // The room on a writer and edges behind nginx: its own runner and report (cluster.ts).
    process.stderr.write(`bench: ${CORES} cores (${cpus()[0]?.model ?? '?'}), node ${process.version}\n`)
    for (let k = 0; k < num(values.runs, 1); k++) {
      const r = await runClusterBench({ edges: num(values.edges, 1), participants: num(values.participants, 300), posts: num(values.posts, 100), rate: num(values.rate, 20), timeoutMs: num(values.timeout, 120) * 1000 })
      process.stdout.write(JSON.stringify(r) + '\n' + clusterLine(r) + '\n')
    }
    values.case = values.case.filter(name => name !== CLUSTER)
    if (values.case.length === 0) return
  }
  let specs: CaseSpec[]
  if (values.matrix === true) specs = MATRIX
  else if (values.case !== undefined) specs = values.case.map(n => { const s = MATRIX.find(m => m.name === n); if (s === undefined) throw new Error(`unknown case ${n}`); return s })
  else {
    const participants = num(values.participants, 100)
    specs = [{ name: 'custom', participants, answers: num(values.answers, 10), slow: num(values.slow, 0), reconnect: values.reconnect === true, tokenBytes: 0, target: {} }]
  }
  if (values['token-bytes'] !== undefined) specs = specs.map(s => ({ ...s, tokenBytes: Number(values['token-bytes']) }))
  const runs = num(values.runs, 1)
  process.stderr.write(`bench: ${CORES} cores (${cpus()[0]?.model ?? '?'}), node ${process.version}\n`)
  const results: Array<{ spec: CaseSpec, r: CaseResult, runs: number }> = []
  for (const spec of specs) {
    const done: CaseResult[] = []
    for (let k = 0; k < runs; k++) {
      const procs = num(values.procs, spec.participants >= 3000 ? 2 : 1)
      const r = await runCase(spec, { tokens: num(values.tokens, 50), intervalMs: num(values.interval, 20), procs, ramp: num(values.ramp, 64), timeoutMs: num(values.timeout, 60) * 1000, aiConcurrency: num(values['ai-concurrency'], 200), quietWaitMs: num(values['quiet-wait'], 30) * 1000, console: consoleMode(values.console) })
      process.stdout.write(JSON.stringify(r) + '\n')
      done.push(r)
    }
    const med = medianOf(done)
    med.pass = judge(spec, med)
    results.push({ spec, r: med, runs })
  }
  process.stdout.write('\n' + table(results) + '\n')
  process.stdout.write(`(latency ms per token, fake Dify send → participant receive; medians of ${runs} run(s); ${CORES} cores, generator on the same machine)\n`)
}

/** `--console none|socket|browser` (default none). */
function consoleMode (value: string | undefined): ConsoleMode {
  if (value === undefined || value === 'none' || value === 'socket' || value === 'browser') return value ?? 'none'
  throw new Error(`--console must be none, socket or browser (got ${value})`)
}

if (process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1]) {
  main().catch((err: unknown) => { process.stderr.write(`${(err as Error).stack ?? String(err)}\n`); process.exit(1) })
}
