/** Window size and position remembered across launches, kept on a screen that still exists. */
import type { Rectangle } from 'electron'
import type { WindowPlace } from './desktop-state.js'

export const DEFAULT_SIZE = { width: 1200, height: 800 }
export const MIN_SIZE = { width: 720, height: 480 }

/**
 * The bounds to open with: the saved ones when most of the window lands on one of today's displays
 * (a projector unplugged since last time must not leave the window off-screen), else centred defaults.
 */
export function restorePlace (saved: WindowPlace | null, workAreas: readonly Rectangle[]): { bounds: Partial<Rectangle>, isMaximized: boolean } {
  if (saved === null) return { bounds: { ...DEFAULT_SIZE }, isMaximized: false }
  const width = Math.max(MIN_SIZE.width, Math.round(saved.width))
  const height = Math.max(MIN_SIZE.height, Math.round(saved.height))
  const bounds = { x: Math.round(saved.x), y: Math.round(saved.y), width, height }
  const isVisible = workAreas.some(area => overlap(bounds, area) >= 0.5 * width * height)
  if (!isVisible) return { bounds: { width: Math.min(width, DEFAULT_SIZE.width), height: Math.min(height, DEFAULT_SIZE.height) }, isMaximized: saved.isMaximized }
  return { bounds, isMaximized: saved.isMaximized }
}

/** What to save: the normal (unmaximized) bounds, so un-maximizing next time goes back there. */
export function capturePlace (win: { getNormalBounds (): Rectangle, isMaximized (): boolean }): WindowPlace {
  const b = win.getNormalBounds()
  return { x: b.x, y: b.y, width: b.width, height: b.height, isMaximized: win.isMaximized() }
}

function overlap (a: Rectangle, b: Rectangle): number {
  const w = Math.min(a.x + a.width, b.x + b.width) - Math.max(a.x, b.x)
  const h = Math.min(a.y + a.height, b.y + b.height) - Math.max(a.y, b.y)
  return w > 0 && h > 0 ? w * h : 0
}
