/** Small display helpers shared by the pages. */

const timeFormats = new Map<string, Intl.DateTimeFormat>()

/** "14:05" / "2:05 PM" in the page's language; the date too when it is not today. */
export function formatTime (timestamp: number, locale: string, now = Date.now()): string {
  const date = new Date(timestamp)
  const isToday = new Date(now).toDateString() === date.toDateString()
  const key = `${locale}|${isToday ? 't' : 'd'}`
  let format = timeFormats.get(key)
  if (!format) {
    format = new Intl.DateTimeFormat(locale, isToday
      ? { hour: 'numeric', minute: '2-digit' }
      : { month: 'short', day: 'numeric', hour: 'numeric', minute: '2-digit' })
    timeFormats.set(key, format)
  }
  return format.format(date)
}

/** A soft background hue for a participant's avatar, stable per id. */
export function avatarHue (id: number | null): number {
  if (id === null) return 220
  return (id * 137.508) % 360
}

/** At most `max` code points, with an ellipsis when cut. */
export function truncate (text: string, max: number): string {
  const chars = Array.from(text)
  return chars.length <= max ? text : `${chars.slice(0, max - 1).join('')}…`
}
