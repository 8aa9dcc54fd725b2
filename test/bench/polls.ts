/**
 * `npm run bench -- --case polls [--participants 1000] [--within 1] [--runs K]`: a class answering a
 * poll at once. The host opens a single-choice poll and shows its results; then N participants
 * (default 1000, each on its own 127.x.y.z address, from the generator processes) answer, spread
 * evenly over the window (default 1 s). Two watchers time the live counts: the console's admin
 * socket (opened by this process, which sends nothing meanwhile) and participant 0's socket. A
 * vote's latency is from the k-th vote sent (over all generators, by time) to the watcher's first
 * `poll_results` whose total is at least k. Reports votes/s accepted, those latencies, how many
 * `poll_results` a watcher got (coalesced: a few a second, not one per vote), the host's CPU, and
 * whether the final total is exactly N (the last frame and `GET /api/admin/polls/:id`, counts too).
 * Bounded: every wait has a deadline, and the host and generators are stopped at the end.
 */
import { readFileSync } from 'node:fs'
import { availableParallelism } from 'node:os'
import { startBenchDify } from './bench-dify.js'
import { closeGenerators, spawnGenerator } from './generator.js'
import { ADMIN_TOKEN, metricValue, startHost } from './host-proc.js'
import { machineBusyMs, selfCpuMs, waitForQuietMachine } from './machine.js'
import { nowMs, readIntAfter } from './markers.js'
import { RawWs } from './raw-ws.js'
import { Histogram } from './stats.js'
import type { ChildReport, PollReady, PollReport, PollVotes } from './protocol.js'

export interface PollsOptions {
  root: string
  participants: number
  /** the votes are spread evenly over this window */
  spreadMs: number
  /** generator processes */
  procs: number
  /** joins and connections opened at once, per generator */
  ramp: number
  /** each wait (connections, the poll reaching everyone, the final count) gives up after this long */
  timeoutMs: number
  quietWaitMs: number
}

export interface PollsResult {
  case: 'polls'
  cores: number
  participants: number
  connected: number
  spreadS: number
  votesSent: number
  /** GET /api/admin/polls/:id after the votes */
  finalTotal: number
  finalCounts: number[]
  expectedCounts: number[]
  /** the last poll_results total each watcher saw */
  adminLastTotal: number
  participantLastTotal: number
  /** answers counted / (the host storing the last one − the first vote sent) */
  votesPerS: number
  /** votes sent / their send span */
  offeredPerS: number
  /** first vote sent → the admin watcher sees the final total */
  settleMs: number
  adminLatencyMs: ReturnType<Histogram['summary']>
  participantLatencyMs: ReturnType<Histogram['summary']>
  /** poll_results frames from the first vote until the final count, and their rate */
  adminFrames: number
  adminFramesPerS: number
  /** the most poll_results frames in any one second */
  adminFramesPeak1s: number
  /** the console's poll_results as [ms after the first vote, total] */
  adminFramesAt: Array<[number, number]>
  participantFrames: number
  participantFramesPerS: number
  participantFramesPeak1s: number
  /** poll_results frames each participant received */
  framesPerParticipant: { min: number, max: number, mean: number }
  /** participants whose last poll_results said total N */
  participantsSawFinal: number
  hostCpuPct: number
  hostCpuMsPerVote: number
  hostRssPeakMb: number
  generatorCpuPct: number
  otherCpuPct: number
  eventLoopP99Ms: number
  eventLoopMaxMs: number
  loadAvg: number
  joinS: number
  connectS: number
  errorFrames: number
  seqErrors: number
  drops: number
  pass: boolean
  notes: string[]
}

const OPTIONS = ['A', 'B', 'C', 'D']
const TOTAL = Buffer.from('"total":')
const POLL_RESULTS = Buffer.from('{"type":"poll_results"')
/** pass/fail */
const TARGET = { p99Ms: 1000, framesPerS: 20 }

async function sleep (ms: number): Promise<void> { await new Promise(resolve => setTimeout(resolve, ms)) }

async function waitUntil (done: () => boolean, timeoutMs: number): Promise<boolean> {
  const until = Date.now() + timeoutMs
  while (!done()) {
    if (Date.now() > until) return false
    await sleep(10)
  }
  return true
}

/** Runs the case on a fresh host (limits off: one address per participant, but no cap in the way) and returns its figures. */
export async function runPolls (o: PollsOptions): Promise<PollsResult> {
  const notes: string[] = []
  const n = o.participants
  const dify = await startBenchDify({ tokens: 1, intervalMs: 10, tokenBytes: 0 })
  const host = await startHost({ root: o.root, difyUrl: dify.url, aiConcurrency: 10 })
  const base = `http://127.0.0.1:${host.port}`
  const procs = Math.max(1, Math.min(o.procs, n))
  const gens = Array.from({ length: procs }, spawnGenerator)
  let admin: RawWs | null = null
  let peakRss = host.rss()
  const sampler = setInterval(() => { peakRss = Math.max(peakRss, host.rss()) }, 100)
  const api = async <T>(method: string, path: string, body?: unknown): Promise<T> => {
    const res = await fetch(base + path, {
      method,
      headers: { authorization: `Bearer ${ADMIN_TOKEN}`, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
      signal: AbortSignal.timeout(o.timeoutMs)
    })
    const text = await res.text()
    if (!res.ok) throw new Error(`${method} ${path}: HTTP ${res.status} ${text.slice(0, 300)}`)
    return JSON.parse(text) as T
  }
  try {
    await sleep(300)
    const shares: number[][] = gens.map(() => [])
    for (let i = 0; i < n; i++) shares[i % procs]!.push(i)
    const inits = await Promise.all(gens.map(async (g, k) => await g.call<{ joinMs: number, connectMs: number, open: number }>({
      cmd: 'init', port: host.port, indices: shares[k]!, slow: [], ramp: o.ramp, tokensPerAnswer: 1, maxAnswers: 1
    })))
    const connected = inits.reduce((s, x) => s + x.open, 0)
    if (connected < n) notes.push(`${n - connected} participants could not connect`)
    await sleep(1500) // let presence batches and GC settle

    // The console's live socket: every poll_results of the poll, with when it arrived.
    const adminTrace: Array<[number, number]> = []
    admin = new RawWs({
      port: host.port,
      path: `/api/admin/ws?token=${ADMIN_TOKEN}`,
      localAddress: '127.0.0.1',
      timeoutMs: o.timeoutMs,
      onMessage: (data) => {
        if (data.indexOf(POLL_RESULTS) === 0) adminTrace.push([nowMs(), readIntAfter(data, TOTAL)])
      },
      onClose: () => { notes.push('the admin socket closed during the case') }
    })
    await admin.opened

    const { poll_id: pollId } = await api<{ poll_id: number }>('POST', '/api/admin/polls', { question: 'Bench poll: which option?', kind: 'single', options: OPTIONS })
    await api('PUT', `/api/admin/polls/${pollId}`, { show_results: true })
    const ready = await Promise.all(gens.map(async g => await g.call<PollReady>({ cmd: 'poll-ready', pollId, timeoutMs: o.timeoutMs })))
    if (ready.some(r => !r.isReady)) notes.push(`${ready.reduce((s, r) => s + r.open - r.ready, 0)} participants never saw the poll with its results shown`)

    if (!await waitForQuietMachine(o.quietWaitMs)) notes.push('the machine stayed busy with other work; started anyway')
    await host.metrics() // resets the event-loop delay window
    const gcpu0 = (await Promise.all(gens.map(async g => await g.call<ChildReport>({ cmd: 'report', answers: 0 })))).reduce((s, r) => s + r.cpuMs, 0)
    const cpu0 = host.cpuMs()
    const machine0 = machineBusyMs()
    const self0 = selfCpuMs()
    const cpuFrom = nowMs()
    adminTrace.length = 0
    // A little ahead, so every generator has its schedule before the first vote is due.
    const startAt = nowMs() + 300
    const votes = await Promise.all(gens.map(async g => await g.call<PollVotes>({ cmd: 'poll-vote', pollId, startAt, spreadMs: o.spreadMs, count: n, options: OPTIONS.length, watch: [0] })))
    const sends = votes.flatMap(v => v.sentMs).sort((a, b) => a - b)
    const votesSent = sends.length
    const adminMax = (): number => adminTrace.reduce((m, f) => Math.max(m, f[1]), -1)
    if (!await waitUntil(() => adminMax() >= votesSent, o.timeoutMs)) notes.push(`the admin socket saw ${adminMax()} of ${votesSent} votes within ${o.timeoutMs / 1000} s`)
    const endAt = nowMs()
    // The host's CPU is counted until every participant has the final count, too.
    const reports = await Promise.all(gens.map(async g => await g.call<PollReport>({ cmd: 'poll-report', expectTotal: votesSent, timeoutMs: o.timeoutMs })))
    const cpuMs = host.cpuMs() - cpu0
    const machineMs = machineBusyMs() - machine0
    const selfMs = selfCpuMs() - self0
    const cpuWindowMs = nowMs() - cpuFrom
    const metrics = await host.metrics()
    if (reports.some(r => !r.isDone)) notes.push('timed out waiting for every participant to see the final count')
    const gcpuMs = reports.reduce((s, r) => s + r.cpuMs, 0) - gcpu0
    // A frame after the final count (there should be none) would still show in the console's peak rate.
    await sleep(500)
    const got = await api<{ total: number, counts: number[], answers: Array<{ at: number }> }>('GET', `/api/admin/polls/${pollId}`)

    const participantTrace = reports.flatMap(r => r.traces).find(t => t.i === 0)?.frames ?? []
    const admins = inclusionLatency(sends, adminTrace)
    const participant = inclusionLatency(sends, participantTrace)
    if (admins.missing > 0) notes.push(`admin socket: ${admins.missing} votes never showed in its totals`)
    if (participant.missing > 0) notes.push(`participant 0: ${participant.missing} votes never showed in its totals`)
    const expectedCounts = OPTIONS.map((_, k) => Math.floor((n - k + OPTIONS.length - 1) / OPTIONS.length))
    const lastAnswerAt = got.answers.reduce((m, a) => Math.max(m, a.at), 0)
    const firstSend = sends[0] ?? startAt
    const frames = reports.reduce((s, r) => s + r.resultsFrames.sum, 0)
    const seen = reports.reduce((s, r) => s + r.open, 0)
    const errorFrames = reports.reduce((s, r) => s + r.errorFrames, 0)
    const firstError = reports.find(r => r.firstError !== '')?.firstError
    if (firstError !== undefined) notes.push(`${errorFrames} error frames, the first: ${firstError}`)
    const adminRate = frameRate(adminTrace, startAt)
    const participantRate = frameRate(participantTrace, startAt)
    const result: PollsResult = {
      case: 'polls',
      cores: availableParallelism(),
      participants: n,
      connected,
      spreadS: o.spreadMs / 1000,
      votesSent,
      finalTotal: got.total,
      finalCounts: got.counts,
      expectedCounts,
      adminLastTotal: adminTrace.at(-1)?.[1] ?? -1,
      participantLastTotal: participantTrace.at(-1)?.[1] ?? -1,
      votesPerS: Math.round(got.total / Math.max(1, lastAnswerAt - firstSend) * 1000),
      offeredPerS: Math.round(votesSent / Math.max(1, (sends.at(-1) ?? firstSend) - firstSend) * 1000),
      settleMs: Math.round(endAt - firstSend),
      adminLatencyMs: admins.latency.summary(),
      participantLatencyMs: participant.latency.summary(),
      adminFrames: adminRate.frames,
      adminFramesPerS: adminRate.perS,
      adminFramesPeak1s: peakPerSecond(adminTrace),
      adminFramesAt: adminTrace.map(([at, total]) => [Math.round(at - firstSend), total]),
      participantFrames: participantRate.frames,
      participantFramesPerS: participantRate.perS,
      participantFramesPeak1s: peakPerSecond(participantTrace),
      framesPerParticipant: {
        min: Math.min(...reports.map(r => r.resultsFrames.min)),
        max: Math.max(...reports.map(r => r.resultsFrames.max)),
        mean: round1(frames / Math.max(1, reports.reduce((s, r) => s + r.clients, 0)))
      },
      participantsSawFinal: reports.reduce((s, r) => s + r.sawFinal, 0),
      hostCpuPct: Math.round(cpuMs / cpuWindowMs * 100),
      hostCpuMsPerVote: Math.round(cpuMs / Math.max(1, votesSent) * 1000) / 1000,
      hostRssPeakMb: Math.round(peakRss / 1024 / 1024),
      generatorCpuPct: Math.round(gcpuMs / cpuWindowMs * 100),
      otherCpuPct: Math.max(0, Math.round((machineMs - cpuMs - gcpuMs - selfMs) / cpuWindowMs * 100)),
      eventLoopP99Ms: round1(metricValue(metrics, 'mindweb_event_loop_delay_seconds{quantile="0.99"}') * 1000),
      eventLoopMaxMs: round1(metricValue(metrics, 'mindweb_event_loop_delay_seconds{quantile="1"}') * 1000),
      loadAvg: Number(readFileSync('/proc/loadavg', 'utf8').split(' ')[0]),
      joinS: Math.round(Math.max(...inits.map(x => x.joinMs)) / 100) / 10,
      connectS: Math.round(Math.max(...inits.map(x => x.connectMs)) / 100) / 10,
      errorFrames,
      seqErrors: reports.reduce((s, r) => s + r.seqErrors, 0),
      drops: reports.reduce((s, r) => s + r.drops, 0),
      pass: false,
      notes
    }
    if (result.participantsSawFinal < seen) notes.push(`${seen - result.participantsSawFinal} of ${seen} connected participants never saw the final total`)
    if (result.finalCounts.join() !== expectedCounts.join()) notes.push(`counts ${result.finalCounts.join('/')} where ${expectedCounts.join('/')} were sent`)
    result.pass = result.finalTotal === n && result.adminLastTotal === n && result.participantLastTotal === n &&
      result.finalCounts.join() === expectedCounts.join() &&
      result.adminLatencyMs.p99 <= TARGET.p99Ms && result.participantLatencyMs.p99 <= TARGET.p99Ms &&
      result.adminFramesPeak1s <= TARGET.framesPerS && result.participantFramesPeak1s <= TARGET.framesPerS
    return result
  } finally {
    clearInterval(sampler)
    admin?.terminate()
    await closeGenerators(gens)
    await host.stop()
    await dify.close()
  }
}

/**
 * Per vote: from the k-th vote sent (`sends` sorted) to the first frame whose total is at least k.
 * Sound across processes: a total of k means k votes were stored, so the k-th send came before it.
 */
export function inclusionLatency (sends: number[], frames: Array<[number, number]>): { latency: Histogram, missing: number } {
  const latency = new Histogram()
  const sorted = [...frames].sort((a, b) => a[0] - b[0])
  let f = 0
  let reached = -1
  let reachedAt = 0
  for (let k = 1; k <= sends.length; k++) {
    while (reached < k && f < sorted.length) {
      const [at, total] = sorted[f++]!
      if (total > reached) { reached = total; reachedAt = at }
    }
    if (reached < k) return { latency, missing: sends.length - k + 1 }
    latency.add(reachedAt - sends[k - 1]!)
  }
  return { latency, missing: 0 }
}

/** Frames from `from` until the first one with the highest total, and their rate per second. */
export function frameRate (frames: Array<[number, number]>, from: number): { frames: number, perS: number } {
  const after = frames.filter(f => f[0] >= from).sort((a, b) => a[0] - b[0])
  if (after.length === 0) return { frames: 0, perS: 0 }
  const top = after.reduce((m, f) => Math.max(m, f[1]), -1)
  const last = after.findIndex(f => f[1] === top)
  return { frames: last + 1, perS: round1((last + 1) / Math.max(1, after[last]![0] - from) * 1000) }
}

/** The most frames received within any one second. */
export function peakPerSecond (frames: Array<[number, number]>): number {
  const times = frames.map(f => f[0]).sort((a, b) => a - b)
  let peak = 0
  let from = 0
  for (let to = 0; to < times.length; to++) {
    while (times[to]! - times[from]! >= 1000) from++
    peak = Math.max(peak, to - from + 1)
  }
  return peak
}

function round1 (x: number): number { return Math.round(x * 10) / 10 }

/** One line per run, for the terminal. */
export function pollsLine (r: PollsResult): string {
  const lat = (h: PollsResult['adminLatencyMs']): string => `p50 ${h.p50} / p95 ${h.p95} / p99 ${h.p99} / max ${h.max} ms`
  return `polls: ${r.votesSent} votes from ${r.connected}/${r.participants} participants over ${r.spreadS} s; ` +
    `final total ${r.finalTotal} (admin saw ${r.adminLastTotal}, participant 0 ${r.participantLastTotal}; counts ${r.finalCounts.join('/')}); ` +
    `${r.votesPerS} votes/s accepted (${r.offeredPerS} offered), final count on the console ${r.settleMs} ms after the first vote; ` +
    `vote → counted on the console ${lat(r.adminLatencyMs)}, on a participant ${lat(r.participantLatencyMs)}; ` +
    `poll_results to the console ${r.adminFrames} (${r.adminFramesPerS}/s, peak ${r.adminFramesPeak1s} in 1 s), to participant 0 ${r.participantFrames} (peak ${r.participantFramesPeak1s} in 1 s), ` +
    `${r.framesPerParticipant.mean} per participant; ${r.participantsSawFinal} participants saw the final total; ` +
    `host CPU ${r.hostCpuPct}% of a core (${r.hostCpuMsPerVote} ms per vote), RSS peak ${r.hostRssPeakMb} MB, event loop p99 ${r.eventLoopP99Ms} ms; ` +
    `generators ${r.generatorCpuPct}%, others ${r.otherCpuPct}%, load ${r.loadAvg} on ${r.cores} cores` +
    `${r.errorFrames > 0 ? `; ${r.errorFrames} error frames` : ''}${r.pass ? '' : ' — FAILED'}`
}
