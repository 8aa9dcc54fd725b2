/**
 * A value that follows `value` at most once per `intervalMs` while `isActive` (the latest one always
 * lands), and at once otherwise. A streaming answer re-parses its Markdown a few times a second
 * instead of on every chunk: ten answers at once stay cheap on a slow phone.
 */
import { startTransition, useEffect, useRef, useState } from 'react'

export function useThrottled<T> (value: T, intervalMs: number, isActive: boolean): T {
  const [shown, setShown] = useState(value)
  const lastAt = useRef(0)
  useEffect(() => {
    if (!isActive) return
    const wait = Math.max(0, lastAt.current + intervalMs - Date.now())
    const timer = setTimeout(() => {
      lastAt.current = Date.now()
      // In slices: a key press may come first (the same lane as the frames that brought the text).
      startTransition(() => setShown(value))
    }, wait)
    return () => clearTimeout(timer)
  }, [value, intervalMs, isActive])
  return isActive ? shown : value
}
