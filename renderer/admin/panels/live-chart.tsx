/**
 * A small live chart in inline SVG: people online as a line and messages per minute as bars, over
 * the last minutes. The numbers it draws are also given as text for screen readers.
 */
import { useAdminT } from '../../shared/i18n/admin.js'
import type { StatsPoint } from '../state/console-state.js'
import { chartModel, H, PAD, W } from './chart-model.js'

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
