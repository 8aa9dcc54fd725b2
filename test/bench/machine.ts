/**
 * What else the machine is doing, from /proc: the bench shares its cores with other work, so every
 * case reports the CPU others used and can wait (bounded) for a quiet moment before measuring.
 */
import { readFileSync } from 'node:fs'

/** Busy CPU time of the whole machine so far, ms (from /proc/stat). */
export function machineBusyMs (): number {
  const f = readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/).slice(1).map(Number)
  const idle = (f[3] ?? 0) + (f[4] ?? 0)
  return (f.reduce((a, b) => a + b, 0) - idle - (f[8] ?? 0) - (f[9] ?? 0)) * 10
}

/** CPU time this process has used, ms. */
export function selfCpuMs (): number {
  const u = process.cpuUsage()
  return (u.user + u.system) / 1000
}

/** Waits (bounded) until other processes use less than a third of one core, so runs compare. */
export async function waitForQuietMachine (maxMs: number): Promise<boolean> {
  const until = Date.now() + maxMs
  for (;;) {
    const m0 = machineBusyMs()
    await new Promise(resolve => setTimeout(resolve, 500))
    if ((machineBusyMs() - m0) / 500 < 0.33) return true
    if (Date.now() > until) return false
  }
}
