/**
 * The desktop shell's lifecycle: start the host server in-process, open the console, close both on
 * quit. Everything else lives in server/ and renderer/.
 */
import { app, BrowserWindow, dialog, ipcMain, shell } from 'electron'
import { join } from 'node:path'
import { startServerHost, type ServerHost } from './server-host.js'
import { createConsoleWindow } from './windows.js'
import { setupIpc } from './ipc.js'

let host: ServerHost | null = null
let isQuitting = false

async function onReady (): Promise<void> {
  try {
    host = await startServerHost({
      userDataDir: app.getPath('userData'),
      webRoot: join(app.getAppPath(), 'dist', 'renderer'),
      difyApiUrl: process.env.DIFY_API_URL ?? null,
      difyApiKey: process.env.DIFY_API_KEY ?? null
    })
  } catch (err) {
    dialog.showErrorBox('MindWeb Host could not start', (err as Error).message)
    app.quit()
    return
  }
  const started = host
  const win = createConsoleWindow(BrowserWindow, shell, join(import.meta.dirname, 'preload.js'), started.info.baseUrl)
  setupIpc(ipcMain, (sender) => sender === win.webContents, () => started.info)
}

app.on('before-quit', (event) => {
  if (isQuitting || host === null) return
  event.preventDefault()
  isQuitting = true
  host.close().finally(() => app.quit())
})
app.on('window-all-closed', () => app.quit())
app.whenReady().then(onReady, (err: unknown) => { dialog.showErrorBox('MindWeb Host', String(err)) })
