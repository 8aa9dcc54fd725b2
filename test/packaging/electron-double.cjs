'use strict'
/**
 * A double of the `electron` module for booting the packaged main process under Node (Electron's
 * binary cannot run here). It does what the shell asks and reports it as JSON lines on stdout
 * ("@double {...}"); commands on stdin drive it: {"cmd":"invoke","channel":...} calls an IPC handler
 * as the console window would, {"cmd":"quit"} quits as the Quit menu item does.
 * Settings: MINDWEB_DOUBLE_USER_DATA (app.getPath root).
 */
const { EventEmitter } = require('node:events')
const { existsSync } = require('node:fs')
const { join, resolve } = require('node:path')
const readline = require('node:readline')

const report = (event, data) => process.stdout.write(`@double ${JSON.stringify({ event, ...data })}\n`)
const userDataRoot = process.env.MINDWEB_DOUBLE_USER_DATA
const appPath = resolve(__dirname, '..', '..')

class App extends EventEmitter {
  isPackaged = true
  requestSingleInstanceLock () { return true }
  whenReady () { return Promise.resolve() }
  getPath (name) { return join(userDataRoot, name) }
  getAppPath () { return appPath }
  getLoginItemSettings () { return { openAtLogin: false } }
  setLoginItemSettings () {}
  quit () {
    const event = { defaultPrevented: false, preventDefault () { this.defaultPrevented = true } }
    this.emit('before-quit', event)
    if (!event.defaultPrevented) this.exit(0)
  }

  exit (code) {
    report('exit', { code })
    process.exit(code)
  }
}
const app = new App()

const windows = []
class WebContents extends EventEmitter {
  setWindowOpenHandler (handler) { this.openHandler = handler }
}
class BrowserWindow extends EventEmitter {
  constructor (options) {
    super()
    this.options = options
    this.webContents = new WebContents()
    this.url = null
    this.destroyed = false
    windows.push(this)
  }

  async loadURL (url) {
    this.url = url
    report('window', { url, preload: this.options.webPreferences?.preload ?? null, webPreferences: this.options.webPreferences })
    setImmediate(() => this.emit('ready-to-show'))
  }

  isDestroyed () { return this.destroyed }
  isMinimized () { return false }
  isMaximized () { return false }
  getNormalBounds () { return { x: 10, y: 10, width: this.options.width ?? 800, height: this.options.height ?? 600 } }
  show () {}
  focus () {}
  restore () {}
  minimize () {}
  maximize () {}
}

const ipcHandlers = new Map()
const ipcMain = {
  handle (channel, fn) { ipcHandlers.set(channel, fn) }
}

class Tray extends EventEmitter {
  constructor (image) { super(); report('tray', { icon: image.path, exists: image.exists }) }
  setToolTip (text) { report('tray-tooltip', { text }) }
  destroy () { report('tray-destroyed', {}) }
  setContextMenu (menu) { report('tray-menu', { labels: menu.map(i => i.label ?? i.role ?? i.type) }) }
}

module.exports = {
  app,
  BrowserWindow,
  ipcMain,
  Tray,
  Menu: {
    buildFromTemplate: (template) => template,
    setApplicationMenu: (menu) => report('app-menu', { labels: menu.map(i => i.label ?? i.role) })
  },
  nativeImage: {
    createFromPath: (path) => ({ path, exists: existsSync(path), setTemplateImage () {} })
  },
  clipboard: { writeText: (text) => report('clipboard', { text }) },
  shell: { openExternal: async (url) => report('open-external', { url }) },
  dialog: {
    showMessageBox: async (options) => { report('dialog', { message: options.message }); return { response: 0 } },
    showMessageBoxSync: (options) => { report('dialog', { type: options.type, message: options.message, detail: options.detail }); return 0 },
    showErrorBox: (title, content) => report('dialog', { message: title, detail: content })
  },
  session: {
    defaultSession: {
      setPermissionRequestHandler: () => report('session', { permissions: 'request handler set' }),
      setPermissionCheckHandler: () => {}
    }
  },
  screen: { getAllDisplays: () => [{ workArea: { x: 0, y: 0, width: 1920, height: 1080 } }] },
  powerMonitor: new EventEmitter(),
  safeStorage: {
    // As on a Linux machine without a keyring: the console must say the key is not encrypted.
    isAsyncEncryptionAvailable: async () => false,
    getSelectedStorageBackend: () => 'basic_text',
    encryptStringAsync: async () => { throw new Error('not available') },
    decryptStringAsync: async () => { throw new Error('not available') }
  }
}

readline.createInterface({ input: process.stdin }).on('line', async (line) => {
  const command = JSON.parse(line)
  if (command.cmd === 'quit') { app.quit(); return }
  if (command.cmd === 'invoke') {
    const win = windows.find(w => w.url !== null)
    const sender = command.asStranger === true ? new WebContents() : win.webContents
    const event = { sender, senderFrame: { url: win.url } }
    try {
      const result = await ipcHandlers.get(command.channel)(event, ...(command.args ?? []))
      report('ipc-result', { channel: command.channel, result })
    } catch (err) {
      report('ipc-error', { channel: command.channel, message: err.message })
    }
  }
})
