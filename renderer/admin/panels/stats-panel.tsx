/** Live stats: who is here, what the room did this session, and how the AI is keeping up; with a small live chart. */
import { useNow } from '../../shared/chat/use-now.js'
import { useAdminT } from '../../shared/i18n/admin.js'
import type { ConsolePanelProps } from './panel-props.js'
import type { ConsoleState } from '../state/console-state.js'
import { LiveChart } from './live-chart.js'

export function StatsPanel ({ socket }: ConsolePanelProps) {
  const t = useAdminT()
  const now = useNow(2000, true)
  return (
    <section className='panel' aria-labelledby='stats-h'>
      <h2 id='stats-h' className='panel__title'>{t.stats.heading}</h2>
      <StatTiles state={socket.state} />
      <div className='card'>
        <LiveChart history={socket.state.history} now={now} online={socket.state.online} />
      </div>
    </section>
  )
}

export function StatTiles ({ state, isCompact = false }: { state: ConsoleState, isCompact?: boolean }) {
  const t = useAdminT()
  const s = state.stats
  const n = (value: number | undefined): string => value === undefined ? t.stats.none : value.toLocaleString()
  const tiles: Array<[string, string, string?]> = [
    [t.stats.online, n(state.online)],
    [t.stats.peak, n(state.peak)],
    [t.stats.messages, n(s?.messages)],
    [t.stats.answered, n(s?.ai_answered)],
    [t.stats.waiting, n(s?.ai_waiting)],
    [t.stats.failed, n(s?.ai_failed), (s?.ai_failed ?? 0) > 0 ? 'warn' : undefined]
  ]
  if (!isCompact) {
    tiles.push([t.stats.tokens, n(s?.tokens_used)])
    tiles.push([t.stats.ttft, s?.ttft_median_ms == null ? t.stats.none : t.stats.ms(s.ttft_median_ms)])
  }
  return (
    <dl className={isCompact ? 'tiles tiles--compact' : 'tiles'} aria-label={t.stats.heading}>
      {tiles.map(([label, value, tone]) => (
        <div key={label} className={tone ? `tile tile--${tone}` : 'tile'}>
          <dt className='tile__label'>{label}</dt>
          <dd className='tile__value'>{value}</dd>
        </div>
      ))}
    </dl>
  )
}
