/** Messages between the bench coordinator (run.ts) and its generator processes (client-proc.ts). */
import type { SerializedHistogram } from './stats.js'

export type ChildCommand =
  | { cmd: 'init', port: number, indices: number[], slow: number[], ramp: number, tokensPerAnswer: number, maxAnswers: number }
  | { cmd: 'pause-slow' }
  | { cmd: 'ask', askers: number[] }
  | { cmd: 'wait', answers: number, timeoutMs: number }
  | { cmd: 'resume-slow', answers: number, timeoutMs: number, ramp: number }
  | { cmd: 'storm' }
  | { cmd: 'report', answers: number }
  | { cmd: 'poll-ready', pollId: number, timeoutMs: number }
  | { cmd: 'poll-vote', pollId: number, startAt: number, spreadMs: number, count: number, options: number, watch: number[] }
  | { cmd: 'poll-report', expectTotal: number, timeoutMs: number }
  | { cmd: 'close' }

export interface ChildReport {
  counters: Record<string, number>
  clients: number
  open: number
  missingTokens: number
  incompleteEnds: number
  slow: { total: number, dropped: number, complete: number }
  latency: SerializedHistogram
  ttft: SerializedHistogram
  resume: SerializedHistogram
  cpuMs: number
}

/** `poll-ready`: how many open participants saw the poll's `poll_update` with its results shown. */
export interface PollReady { isReady: boolean, open: number, ready: number }

/** `poll-vote`: when each vote left (nowMs), in the order of the participants' indices. */
export interface PollVotes { sentMs: number[], unsent: number }

/** `poll-report`: what the participants saw of the poll's live counts since their votes were scheduled. */
export interface PollReport {
  /** the wait for every open participant to see `expectTotal` ended in time */
  isDone: boolean
  clients: number
  open: number
  /** participants whose last `poll_results` total was exactly `expectTotal` */
  sawFinal: number
  /** poll_results frames per participant */
  resultsFrames: { min: number, max: number, sum: number }
  /** each watched participant's poll_results, as [received nowMs, total] */
  traces: Array<{ i: number, frames: Array<[number, number]> }>
  errorFrames: number
  /** the first error frame a participant received, for the notes */
  firstError: string
  seqErrors: number
  drops: number
  cpuMs: number
}
