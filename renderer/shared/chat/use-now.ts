/** The current time, refreshed every `intervalMs` while `isActive` (for countdowns). */
import { useEffect, useState } from 'react'

export function useNow (intervalMs: number, isActive: boolean): number {
  const [now, setNow] = useState(() => Date.now())
  useEffect(() => {
    if (!isActive) return
    const tick = (): void => setNow(Date.now())
    // Catch up at once (the last value may be old), then keep ticking.
    const first = setTimeout(tick, 0)
    const timer = setInterval(tick, intervalMs)
    return () => {
      clearTimeout(first)
      clearInterval(timer)
    }
  }, [intervalMs, isActive])
  return now
}
