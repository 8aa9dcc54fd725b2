/**
 * What the desktop shell remembers between launches (window place, whether the firewall prompt was
 * explained, the port to try first), in one small JSON file in the user-data folder. The room's
 * own settings live in the server's SQLite database, not here.
 */
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs'
import { dirname } from 'node:path'

export interface WindowPlace {
  x: number
  y: number
  width: number
  height: number
  isMaximized: boolean
}

export interface DesktopState {
  window: WindowPlace | null
  /** The firewall prompt was explained once (Windows). */
  hasExplainedFirewall: boolean
  /** The port the room tries first (the next free one is used when it is taken). */
  port: number
}

export interface DesktopStateFile {
  get (): DesktopState
  update (change: Partial<DesktopState>): DesktopState
}

export const DEFAULT_STATE: DesktopState = { window: null, hasExplainedFirewall: false, port: 8000 }

/** Opens the file; a missing or damaged file gives the defaults (it is only convenience state). */
export function openDesktopState (file: string): DesktopStateFile {
  let state = read(file)
  return {
    get: () => state,
    update (change) {
      state = { ...state, ...change }
      mkdirSync(dirname(file), { recursive: true })
      // Write then rename, so a crash mid-write never leaves half a file.
      writeFileSync(`${file}.tmp`, JSON.stringify(state, null, 2))
      renameSync(`${file}.tmp`, file)
      return state
    }
  }
}

function read (file: string): DesktopState {
  let raw: unknown
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'))
  } catch {
    return DEFAULT_STATE
  }
  if (typeof raw !== 'object' || raw === null) return DEFAULT_STATE
  const r = raw as Record<string, unknown>
  return {
    window: isWindowPlace(r.window) ? r.window : null,
    hasExplainedFirewall: r.hasExplainedFirewall === true,
    port: Number.isInteger(r.port) && (r.port as number) > 0 && (r.port as number) < 65536 ? r.port as number : DEFAULT_STATE.port
  }
}

function isWindowPlace (v: unknown): v is WindowPlace {
  if (typeof v !== 'object' || v === null) return false
  const w = v as Record<string, unknown>
  return ['x', 'y', 'width', 'height'].every(k => Number.isFinite(w[k])) && typeof w.isMaximized === 'boolean'
}
