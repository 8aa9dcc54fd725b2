/** Told at once when the host mutes me: until when, and how long is left, in one unit. */
import { formatTime } from '../../shared/format.js'
import { useT } from '../../shared/i18n/index.js'
import { useNow } from '../../shared/chat/use-now.js'

export function MuteNotice ({ until }: { until: number | null }) {
  const t = useT()
  const now = useNow(15_000, until !== null)
  if (until === null || until <= now) return null
  return (
    <p className='mute-notice' role='status'>
      <span aria-hidden='true'>🔇 </span>{t.room.muted(formatTime(until, t.locale, now), Math.ceil((until - now) / 60_000))}
    </p>
  )
}
