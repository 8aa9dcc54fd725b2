/**
 * The desktop shell's lifecycle: one instance, the room server in-process, the console window,
 * the tray and menus, and one clean quit. Each setup step lives in its own module with its
 * Electron objects passed in; this file only connects them.
 */
import { execFile } from 'node:child_process'
import { createWriteStream, mkdirSync, type WriteStream } from 'node:fs'
import { join } from 'node:path'
import { app, BrowserWindow, clipboard, dialog, ipcMain, Menu, nativeImage, powerMonitor, safeStorage, screen, session, shell, Tray } from 'electron'
import QRCode from 'qrcode'
import { startServerHost, type ServerHost } from './server-host.js'
import { consoleUrl, createConsoleWindow, createQrWindow, hardenSession } from './windows.js'
import { isConsoleSender, setupIpc } from './ipc.js'
import { claimSingleInstance, createQuitSequence, wireQuit } from './lifecycle.js'
import { openDesktopState } from './desktop-state.js'
import { capturePlace, restorePlace } from './window-place.js'
import { createSafeStorageBox } from './secret-box.js'
import { AT_LOGIN_ARG, createLoginItem } from './login-item.js'
import { appMenuTemplate, trayMenuTemplate, type MenuState, type ShellActions } from './menus.js'
import { desktopDiagnostics, type CommandRunner } from './network-diagnostics.js'
import { findJoinUrl } from './join-address.js'
import { startupFailureDialog } from './startup-failure.js'
import { shouldCheckForUpdates, startUpdates } from './updates.js'
import type { DesktopDiagnostic } from './ipc-contract.js'

const PRODUCT = 'MindWeb Host'
// One log per launch in the user-data folder: a packaged app has no terminal to read.
let logFile: WriteStream | null = null
const log = (message: string): void => {
  const line = `${new Date().toISOString()} [desktop] ${message}\n`
  process.stdout.write(line)
  logFile?.write(line)
}
const assetPath = (...parts: string[]): string => join(app.getAppPath(), 'assets', ...parts)

let consoleWindow: BrowserWindow | null = null
// Held here for the app's lifetime: a Tray that is garbage-collected disappears from the tray.
let tray: Tray | null = null

if (!claimSingleInstance(app, focusConsole)) {
  app.quit()
} else {
  if (process.platform === 'win32') app.setAppUserModelId('app.mindweb.host') // the update notice names the app
  app.whenReady().then(onReady).catch((err: unknown) => fail(err, app.getPath('userData')))
}

async function onReady (): Promise<void> {
  const userData = app.getPath('userData')
  mkdirSync(join(userData, 'logs'), { recursive: true })
  logFile = createWriteStream(join(userData, 'logs', 'host.log'), { flags: 'w' })
  hardenSession(session.defaultSession)
  const state = openDesktopState(join(userData, 'desktop.json'))
  if (process.platform === 'win32' && !state.get().hasExplainedFirewall) {
    // Windows shows its firewall prompt when the room first listens: say why before it does.
    await dialog.showMessageBox({
      type: 'info',
      title: PRODUCT,
      message: 'Windows will ask about network access',
      detail: 'So that students\' phones and laptops can join the room, allow MindWeb Host to communicate on private networks when Windows asks.',
      buttons: ['Continue']
    })
    state.update({ hasExplainedFirewall: true })
  }

  const secrets = await createSafeStorageBox(safeStorage, process.platform)
  let host: ServerHost
  try {
    host = await startServerHost({
      userDataDir: userData,
      webRoot: join(app.getAppPath(), 'dist', 'renderer'),
      port: state.get().port,
      secrets,
      logStream: logFile,
      difyApiUrl: process.env.DIFY_API_URL ?? null,
      difyApiKey: process.env.DIFY_API_KEY ?? null
    })
  } catch (err) {
    fail(err, join(userData, 'data'))
    return
  }
  log(`room open on port ${host.port}${host.fallbackFrom !== null ? ` (port ${host.fallbackFrom} was taken)` : ''}`)

  // The tray icon goes first: on Windows a killed process leaves its icon until the mouse passes over it.
  const sequence = createQuitSequence({ closeServer: host.close, exit: (code) => { tray?.destroy(); app.exit(code) }, log })
  wireQuit(app, powerMonitor, sequence)

  const loginItem = createLoginItem({
    platform: process.platform,
    app,
    autostartDir: join(app.getPath('appData'), 'autostart'),
    executable: process.env.APPIMAGE ?? process.execPath,
    productName: PRODUCT
  })
  const menuState: MenuState = { joinUrl: null, openAtLogin: loginItem.isEnabled() }
  const origin = new URL(host.info.baseUrl).origin
  const preload = join(import.meta.dirname, '..', 'preload', 'index.cjs')
  const windowIcon = process.platform === 'linux' ? assetPath('app', 'icon.png') : undefined

  const openConsole = (): BrowserWindow => {
    if (consoleWindow !== null && !consoleWindow.isDestroyed()) { focusConsole(); return consoleWindow }
    const place = restorePlace(state.get().window, screen.getAllDisplays().map(d => d.workArea))
    const win = createConsoleWindow(BrowserWindow, shell, preload, host.info.baseUrl, place.bounds, windowIcon)
    if (place.isMaximized) win.maximize()
    win.on('close', () => { state.update({ window: capturePlace(win) }) })
    win.on('closed', () => { consoleWindow = null; sequence.quit('window closed').catch(() => {}) })
    // Windows asks each window before a shutdown or log-off.
    win.on('session-end', () => { sequence.quit('session end').catch(() => {}) })
    consoleWindow = win
    return win
  }

  const actions: ShellActions = {
    openConsole: () => { openConsole() },
    copyJoinLink: () => { if (menuState.joinUrl !== null) clipboard.writeText(menuState.joinUrl) },
    showQrCode: () => {
      const url = menuState.joinUrl
      if (url === null) return
      QRCode.toDataURL(url, { margin: 2, scale: 10, errorCorrectionLevel: 'M' })
        .then(png => { createQrWindow(BrowserWindow, shell, url, png, consoleWindow ?? undefined) })
        .catch((err: unknown) => log(`QR code failed: ${(err as Error).message}`))
    },
    setOpenAtLogin: (on) => { menuState.openAtLogin = loginItem.setEnabled(on); refreshMenus() },
    quit: () => { sequence.quit('quit').catch(() => {}) }
  }

  const appTray = new Tray(trayImage())
  tray = appTray
  appTray.setToolTip(PRODUCT)
  appTray.on('click', () => actions.openConsole())
  app.on('activate', () => actions.openConsole()) // macOS: a click on the Dock icon
  function refreshMenus (): void {
    appTray.setContextMenu(Menu.buildFromTemplate(trayMenuTemplate(menuState, actions)))
    Menu.setApplicationMenu(Menu.buildFromTemplate(appMenuTemplate(process.platform, menuState, actions)))
  }
  refreshMenus()

  const diagnostics: Promise<DesktopDiagnostic[]> = desktopDiagnostics(process.platform, host.port, runCommand)
  setupIpc(ipcMain, (sender, event) => isConsoleSender(sender, event, consoleWindow, origin), {
    serverInfo: () => host.info,
    desktopInfo: async () => ({
      portFallbackFrom: host.fallbackFrom,
      keyEncryption: secrets.isEncryptionAvailable ? 'os' : 'unavailable',
      openAtLogin: loginItem.isEnabled(),
      diagnostics: await diagnostics
    }),
    setOpenAtLogin: async (on) => { actions.setOpenAtLogin(on); return menuState.openAtLogin }
  })

  const win = openConsole()
  // macOS login items take no arguments; it says itself when it opened the app at login.
  const isLoginLaunch = process.argv.includes(AT_LOGIN_ARG) || (process.platform === 'darwin' && app.getLoginItemSettings().wasOpenedAtLogin)
  if (isLoginLaunch) win.once('ready-to-show', () => win.minimize())
  log(`console at ${consoleUrl(host.info.baseUrl)}`)

  findJoinUrl(host.info, host.port).then(url => { menuState.joinUrl = url; appTray.setToolTip(`${PRODUCT}: join at ${url}`); refreshMenus() }, () => {})
  const updates = shouldCheckForUpdates({ isPackaged: app.isPackaged, resourcesPath: process.resourcesPath, env: process.env })
  log(`updates: ${updates.on ? 'on' : 'off'} (${updates.reason})`)
  if (updates.on) startUpdates(log).catch((err: unknown) => log(`updates: ${(err as Error).message}`))
}

function focusConsole (): void {
  const win = consoleWindow
  if (win === null || win.isDestroyed()) return
  if (win.isMinimized()) win.restore()
  win.show()
  win.focus()
}

/** The tray icon: a template image on macOS (drawn by the menu bar in its own colour). */
function trayImage (): Electron.NativeImage {
  const image = nativeImage.createFromPath(assetPath('app', process.platform === 'darwin' ? 'trayTemplate.png' : 'tray.png'))
  if (process.platform === 'darwin') image.setTemplateImage(true)
  return image
}

const runCommand: CommandRunner = async (file, args, timeoutMs) => await new Promise((resolve, reject) => {
  execFile(file, [...args], { timeout: timeoutMs, windowsHide: true }, (err, stdout) => { if (err !== null) reject(err); else resolve(stdout) })
})

function fail (err: unknown, dataDir: string): void {
  const d = startupFailureDialog(err, dataDir, join(app.getPath('userData'), 'logs', 'host.log'))
  log(`${d.title}: ${d.message} ${String((err as Error)?.stack ?? err)}`)
  dialog.showMessageBoxSync({ type: 'error', title: d.title, message: d.message, detail: d.detail, buttons: ['Quit'] })
  app.exit(1)
}
