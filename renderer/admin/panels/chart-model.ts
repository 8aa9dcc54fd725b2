/** The live chart's layout in SVG units, from the stats history (pure: tested alone). */
import type { StatsPoint } from '../state/console-state.js'

export const CHART_WINDOW_MS = 10 * 60_000
/** Shortest span drawn: a console opened a moment ago still shows a readable minute. */
export const CHART_MIN_SPAN_MS = 60_000
export const W = 900
export const H = 180
export const PAD = { top: 12, right: 8, bottom: 20, left: 28 }

export interface ChartModel {
  /** Polyline points of people online. */
  line: string
  /** Minutes the chart spans (up to 10: from the first point, or the last 10 minutes). */
  minutes: number
  /** One bar per minute: x, width, height (already in SVG units). */
  bars: Array<{ x: number, w: number, h: number, count: number }>
  maxOnline: number
  maxPerMinute: number
  messagesInWindow: number
}

/**
 * Lays out the points of the last `CHART_WINDOW_MS` before `now`, or since the first point when the
 * console has been open for less (pure, so it is tested alone).
 */
export function chartModel (history: StatsPoint[], now: number): ChartModel {
  const firstAt = history[0]?.at ?? now
  const minutes = Math.min(CHART_WINDOW_MS, Math.max(CHART_MIN_SPAN_MS, Math.ceil((now - firstAt) / 60_000) * 60_000)) / 60_000
  const span = minutes * 60_000
  const start = now - span
  const innerW = W - PAD.left - PAD.right
  const innerH = H - PAD.top - PAD.bottom
  const x = (at: number): number => PAD.left + Math.max(0, Math.min(1, (at - start) / span)) * innerW

  const inWindow = history.filter(p => p.at >= start)
  const before = history.filter(p => p.at < start).at(-1)
  const points = before ? [{ ...before, at: start }, ...inWindow] : inWindow
  const last = points.at(-1)
  // Stats arrive only when something changed: the last value holds until now.
  if (last && last.at < now) points.push({ ...last, at: now })
  const maxOnline = Math.max(4, ...points.map(p => p.online))
  const line = points.map(p => `${x(p.at).toFixed(1)},${(PAD.top + innerH - (p.online / maxOnline) * innerH).toFixed(1)}`).join(' ')

  const perMinute = new Array<number>(minutes).fill(0)
  for (let i = 1; i < history.length; i++) {
    const p = history[i]!
    if (p.at < start) continue
    const added = Math.max(0, p.messages - history[i - 1]!.messages)
    const bucket = Math.min(minutes - 1, Math.floor((p.at - start) / 60_000))
    perMinute[bucket]! += added
  }
  const maxPerMinute = Math.max(5, ...perMinute)
  const slot = innerW / minutes
  const bars = perMinute.map((count, i) => ({
    x: PAD.left + i * slot + slot * 0.15,
    w: slot * 0.7,
    h: (count / maxPerMinute) * innerH,
    count
  }))
  return { line, minutes, bars, maxOnline, maxPerMinute, messagesInWindow: perMinute.reduce((a, b) => a + b, 0) }
}
