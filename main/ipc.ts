/** IPC handlers; each checks that the sender is our console window and validates what it sends. */
import type { IpcMain, IpcMainInvokeEvent, WebContents } from 'electron'
import { IpcChannel, type DesktopInfo, type ServerInfo } from './ipc-contract.js'

export interface IpcHandlers {
  serverInfo (): ServerInfo
  desktopInfo (): Promise<DesktopInfo>
  setOpenAtLogin (on: boolean): Promise<boolean>
}

/**
 * Registers the handlers; `isOurs` tells whether a sender is our console window on the console's origin.
 * @see https://www.electronjs.org/docs/latest/tutorial/security#17-validate-the-sender-of-all-ipc-messages
 */
export function setupIpc (ipcMain: Pick<IpcMain, 'handle'>, isOurs: (sender: WebContents, event: IpcMainInvokeEvent) => boolean, handlers: IpcHandlers): void {
  const guard = (event: IpcMainInvokeEvent): void => {
    if (!isOurs(event.sender, event)) throw new Error('Refused: this window may not ask the host')
  }
  ipcMain.handle(IpcChannel.getServerInfo, (event: IpcMainInvokeEvent) => {
    guard(event)
    return handlers.serverInfo()
  })
  ipcMain.handle(IpcChannel.getDesktopInfo, async (event: IpcMainInvokeEvent) => {
    guard(event)
    return await handlers.desktopInfo()
  })
  ipcMain.handle(IpcChannel.setOpenAtLogin, async (event: IpcMainInvokeEvent, on: unknown) => {
    guard(event)
    if (typeof on !== 'boolean') throw new Error('setOpenAtLogin takes true or false')
    return await handlers.setOpenAtLogin(on)
  })
}

/** True when the sender is `window`'s own page, loaded from the console's origin (not a page it was navigated to). */
export function isConsoleSender (sender: WebContents, event: Pick<IpcMainInvokeEvent, 'senderFrame'>, window: { webContents: WebContents } | null, consoleOrigin: string): boolean {
  if (window === null || sender !== window.webContents) return false
  const url = event.senderFrame?.url
  if (url === undefined) return false
  try {
    return new URL(url).origin === consoleOrigin
  } catch {
    return false
  }
}
