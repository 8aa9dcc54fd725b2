/**
 * Updates through electron-updater against the project's GitHub releases. Off unless the app is
 * packaged with a publish feed (app-update.yml), and switchable off with MINDWEB_AUTO_UPDATE=0
 * (or by building with `publish: null`), for schools that roll out versions themselves.
 * @see https://www.electron.build/auto-update
 */
import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'

export interface UpdateCheck {
  isPackaged: boolean
  resourcesPath: string
  env: Readonly<Record<string, string | undefined>>
}

/** Whether to check for updates, and why not when not (logged once). */
export function shouldCheckForUpdates ({ isPackaged, resourcesPath, env }: UpdateCheck): { on: boolean, reason: string } {
  if (env.MINDWEB_AUTO_UPDATE === '0' || env.MINDWEB_AUTO_UPDATE === 'off') return { on: false, reason: 'turned off by MINDWEB_AUTO_UPDATE' }
  if (!isPackaged) return { on: false, reason: 'not a packaged app' }
  const feed = join(resourcesPath, 'app-update.yml')
  // electron-builder writes the file even when it could not tell the repository: then it names no provider.
  if (!existsSync(feed) || !/^provider:/m.test(readFileSync(feed, 'utf8'))) return { on: false, reason: 'this build has no update feed' }
  return { on: true, reason: 'GitHub releases' }
}

/** Checks once in the background and installs on the next quit; failures are logged, never shown as errors. */
export async function startUpdates (log: (message: string) => void): Promise<void> {
  const { autoUpdater } = await import('electron-updater')
  autoUpdater.autoInstallOnAppQuit = true
  autoUpdater.on('error', (err: Error) => log(`update check failed: ${err.message}`))
  await autoUpdater.checkForUpdatesAndNotify()
}
