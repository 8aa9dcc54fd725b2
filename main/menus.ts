/**
 * The tray (menu-bar) menu and the native application menu, as plain templates built from
 * injected actions, so that what each item does is tested without Electron.
 * @see https://www.electronjs.org/docs/latest/api/menu#examples
 */
import type { MenuItemConstructorOptions } from 'electron'

export interface ShellActions {
  openConsole (): void
  copyJoinLink (): void
  showQrCode (): void
  setOpenAtLogin (on: boolean): void
  quit (): void
}

export interface MenuState {
  /** The address students type, or null before the room is open. */
  joinUrl: string | null
  openAtLogin: boolean
}

/** The tray icon's menu: the join address, then what a teacher needs in class. */
export function trayMenuTemplate (state: MenuState, actions: ShellActions): MenuItemConstructorOptions[] {
  return [
    { label: state.joinUrl !== null ? `Join at ${state.joinUrl}` : 'The room is starting…', enabled: false },
    { type: 'separator' },
    { label: 'Copy join link', enabled: state.joinUrl !== null, click: () => actions.copyJoinLink() },
    { label: 'Show QR code', enabled: state.joinUrl !== null, click: () => actions.showQrCode() },
    { label: 'Open console', click: () => actions.openConsole() },
    { type: 'separator' },
    { label: 'Start hosting when I log in', type: 'checkbox', checked: state.openAtLogin, click: (item) => actions.setOpenAtLogin(item.checked) },
    { type: 'separator' },
    { label: 'Quit MindWeb Host', click: () => actions.quit() }
  ]
}

/** The application menu; macOS gets its app menu first, as its users expect. */
export function appMenuTemplate (platform: NodeJS.Platform, state: MenuState, actions: ShellActions): MenuItemConstructorOptions[] {
  const room: MenuItemConstructorOptions = {
    label: 'Room',
    submenu: [
      { label: 'Copy join link', accelerator: 'CmdOrCtrl+Shift+C', enabled: state.joinUrl !== null, click: () => actions.copyJoinLink() },
      { label: 'Show QR code', accelerator: 'CmdOrCtrl+Shift+Q', enabled: state.joinUrl !== null, click: () => actions.showQrCode() },
      { label: 'Open console', click: () => actions.openConsole() },
      { type: 'separator' },
      { label: 'Start hosting when I log in', type: 'checkbox', checked: state.openAtLogin, click: (item) => actions.setOpenAtLogin(item.checked) },
      ...(platform === 'darwin' ? [] : [{ type: 'separator' as const }, { label: 'Quit', accelerator: 'CmdOrCtrl+Q', click: () => actions.quit() }])
    ]
  }
  return [
    ...(platform === 'darwin' ? [{ role: 'appMenu' as const }] : []),
    room,
    { role: 'editMenu' },
    {
      label: 'View',
      submenu: [{ role: 'reload' }, { type: 'separator' }, { role: 'resetZoom' }, { role: 'zoomIn' }, { role: 'zoomOut' }, { type: 'separator' }, { role: 'togglefullscreen' }]
    },
    { role: 'windowMenu' },
    { role: 'help', submenu: [{ role: 'about' }] }
  ]
}
