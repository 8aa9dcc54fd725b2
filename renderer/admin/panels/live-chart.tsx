/**
 * A small live chart in inline SVG: people online as a line and messages per minute as bars, over
 * the last minutes. The numbers it draws are also given as text for screen readers.
 */
import { useAdminT } from '../../shared/i18n/index.js'
import type { StatsPoint } from '../state/console-state.js'

export const CHART_WINDOW_MS = 10 * 60_000
/** Shortest span drawn: a console opened a moment ago still shows a readable minute. */
export const CHART_MIN_SPAN_MS = 60_000
const W = 900
const H = 180
const PAD = { top: 12, right: 8, bottom: 20, left: 28 }

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

export function LiveChart ({ history, now, online }: { history: StatsPoint[], now: number, online: number }) {
  const t = useAdminT()
  const model = chartModel(history, now)
  const summary = t.stats.chartSummary(online, model.messagesInWindow, model.minutes)
  const baseY = H - PAD.bottom
  return (
    <figure className='chart'>
      <figcaption className='chart__caption'>
        <span>{t.stats.chartTitle}</span>
        <span className='chart__legend'>
          <span className='chart__key chart__key--line' aria-hidden='true' />{t.stats.legendOnline}
          <span className='chart__key chart__key--bar' aria-hidden='true' />{t.stats.legendMessages}
        </span>
      </figcaption>
      <svg viewBox={`0 0 ${W} ${H}`} role='img' aria-label={summary} className='chart__svg'>
        <line x1={PAD.left} x2={W - PAD.right} y1={baseY} y2={baseY} className='chart__axis' />
        <line x1={PAD.left} x2={W - PAD.right} y1={PAD.top} y2={PAD.top} className='chart__grid' />
        <text x={PAD.left - 4} y={PAD.top + 4} className='chart__tick' textAnchor='end'>{model.maxOnline}</text>
        <text x={PAD.left - 4} y={baseY} className='chart__tick' textAnchor='end'>0</text>
        <text x={PAD.left} y={H - 4} className='chart__tick'>{t.stats.minutesAgo(model.minutes)}</text>
        <text x={W - PAD.right} y={H - 4} className='chart__tick' textAnchor='end'>{t.stats.now}</text>
        {model.bars.map((b, i) => b.h > 0 && <rect key={i} x={b.x} y={baseY - b.h} width={b.w} height={b.h} rx={2} className='chart__bar' />)}
        {model.line && <polyline points={model.line} className='chart__line' fill='none' />}
      </svg>
      {history.length < 2 && <p className='chart__empty muted'>{t.stats.chartEmpty}</p>}
    </figure>
  )
}
