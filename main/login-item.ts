/**
 * "Start hosting when I log in". Windows and macOS keep login items themselves (Electron's
 * setLoginItemSettings); Linux desktops read ~/.config/autostart/*.desktop (the XDG autostart spec),
 * which Electron does not write, so this module does.
 * @see https://www.electronjs.org/docs/latest/api/app#appsetloginitemsettingssettings-macos-windows
 * @see https://specifications.freedesktop.org/autostart-spec/latest/
 */
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import type { App } from 'electron'

/** The argument a login launch carries: the room starts, the window waits minimized. */
export const AT_LOGIN_ARG = '--at-login'

export interface LoginItem {
  isEnabled (): boolean
  setEnabled (on: boolean): boolean
}

export interface LoginItemOptions {
  platform: NodeJS.Platform
  app: Pick<App, 'getLoginItemSettings' | 'setLoginItemSettings'>
  /** ~/.config/autostart (Linux) */
  autostartDir: string
  /** What to run at login: the AppImage file when running from one, else the executable. */
  executable: string
  productName: string
}

/** Creates the login item for this platform. */
export function createLoginItem (o: LoginItemOptions): LoginItem {
  if (o.platform === 'linux') {
    const file = join(o.autostartDir, 'mindweb-host.desktop')
    return {
      isEnabled: () => existsSync(file),
      setEnabled (on) {
        if (on) {
          mkdirSync(o.autostartDir, { recursive: true })
          writeFileSync(file, autostartEntry(o.productName, o.executable))
        } else {
          rmSync(file, { force: true })
        }
        return existsSync(file)
      }
    }
  }
  return {
    isEnabled: () => o.app.getLoginItemSettings({ args: [AT_LOGIN_ARG] }).openAtLogin,
    setEnabled (on) {
      o.app.setLoginItemSettings({ openAtLogin: on, args: [AT_LOGIN_ARG] })
      return o.app.getLoginItemSettings({ args: [AT_LOGIN_ARG] }).openAtLogin
    }
  }
}

/** A desktop entry; the path is quoted as the Desktop Entry spec asks for Exec arguments. */
export function autostartEntry (productName: string, executable: string): string {
  const quoted = `"${executable.replace(/(["`$\\])/g, '\\$1')}"`
  return [
    '[Desktop Entry]',
    'Type=Application',
    `Name=${productName}`,
    `Exec=${quoted} ${AT_LOGIN_ARG}`,
    'X-GNOME-Autostart-enabled=true',
    'Terminal=false',
    ''
  ].join('\n')
}
