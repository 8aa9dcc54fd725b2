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
