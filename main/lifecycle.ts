/**
 * The shell's lifecycle rules, written against small slices of Electron's `app` so that they are
 * tested with doubles: one instance, and one clean quit within 5 seconds however it is asked for
 * (window closed, Quit, OS shutdown or log-off).
 */
import type { App } from 'electron'

export const QUIT_DEADLINE_MS = 5000

/**
 * Takes the single-instance lock; a second launch focuses the first one's window and exits.
 * @returns false when another instance runs (the caller quits at once)
 */
export function claimSingleInstance (app: Pick<App, 'requestSingleInstanceLock' | 'on'>, focusExisting: () => void): boolean {
  if (!app.requestSingleInstanceLock()) return false
  app.on('second-instance', () => focusExisting())
  return true
}

export interface QuitSequence {
  /** Closes the server (replies end as interrupted, sockets close with 1001, the database closes), then exits. */
  quit (reason: string): Promise<void>
  readonly isQuitting: boolean
}

export interface QuitOptions {
  closeServer: () => Promise<void>
  /** Ends the process (app.exit): only after the server closed or the deadline passed. */
  exit: (code: number) => void
  log: (message: string) => void
  deadlineMs?: number
}

/** One quit, however many times and ways it is asked for; never longer than the deadline. */
export function createQuitSequence ({ closeServer, exit, log, deadlineMs = QUIT_DEADLINE_MS }: QuitOptions): QuitSequence {
  let running: Promise<void> | null = null
  return {
    get isQuitting () { return running !== null },
    quit (reason) {
      running ??= (async () => {
        log(`quitting (${reason})`)
        let timer: NodeJS.Timeout | undefined
        const deadline = new Promise<'late'>(resolve => { timer = setTimeout(() => resolve('late'), deadlineMs) })
        let code = 0
        try {
          const outcome = await Promise.race([closeServer().then(() => 'closed' as const), deadline])
          if (outcome === 'late') { log(`the server did not close within ${deadlineMs} ms; exiting anyway`); code = 1 }
        } catch (err) {
          log(`error while closing the server: ${(err as Error).message}`)
          code = 1
        } finally {
          clearTimeout(timer)
        }
        exit(code)
      })()
      return running
    }
  }
}

/**
 * Wires every way of quitting to the sequence: Quit and window close go through `before-quit`;
 * OS shutdown and log-off through powerMonitor 'shutdown' (Linux, macOS) and the window's
 * 'session-end' (Windows).
 * @see https://www.electronjs.org/docs/latest/api/power-monitor#event-shutdown-linux-macos
 * @see https://www.electronjs.org/docs/latest/api/browser-window#event-session-end-windows
 */
export function wireQuit (app: Pick<App, 'on'>, powerMonitor: { on (event: 'shutdown', listener: () => void): unknown }, sequence: QuitSequence): void {
  app.on('before-quit', (event) => {
    // Electron would quit at once; hold it until the room is closed, then app.exit ends it.
    event.preventDefault()
    sequence.quit('quit').catch(() => {})
  })
  app.on('window-all-closed', () => { sequence.quit('window closed').catch(() => {}) })
  // The event is documented (but not typed) to take preventDefault(), which delays the shutdown until we exit.
  powerMonitor.on('shutdown', (...args: unknown[]) => {
    (args[0] as { preventDefault?: () => void } | undefined)?.preventDefault?.()
    sequence.quit('system shutdown').catch(() => {})
  })
}
