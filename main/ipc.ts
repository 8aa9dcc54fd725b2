/** IPC handlers; each checks that the sender is one of our windows. */
import type { IpcMain, IpcMainInvokeEvent, WebContents } from 'electron'
import { IpcChannel, type ServerInfo } from './ipc-contract.js'

/** Registers the handlers; `isOurs` tells whether a sender belongs to our console window. */
export function setupIpc (ipcMain: Pick<IpcMain, 'handle'>, isOurs: (sender: WebContents) => boolean, info: () => ServerInfo): void {
  ipcMain.handle(IpcChannel.getServerInfo, (event: IpcMainInvokeEvent) => {
    if (!isOurs(event.sender)) throw new Error('Refused: unknown sender')
    return info()
  })
}
