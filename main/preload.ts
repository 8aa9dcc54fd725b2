/**
 * The console window's preload: named functions only, never ipcRenderer itself. Bundled into one
 * CommonJS file that requires nothing but `electron`, as a sandboxed preload must be.
 * @see https://www.electronjs.org/docs/latest/tutorial/sandbox#preload-scripts
 */
import { contextBridge, ipcRenderer } from 'electron'
import { IpcChannel, type DesktopInfo, type HostBridge, type ServerInfo } from './ipc-contract.js'

const bridge: HostBridge = {
  getServerInfo: async () => await ipcRenderer.invoke(IpcChannel.getServerInfo) as ServerInfo,
  getDesktopInfo: async () => await ipcRenderer.invoke(IpcChannel.getDesktopInfo) as DesktopInfo,
  setOpenAtLogin: async (on: boolean) => await ipcRenderer.invoke(IpcChannel.setOpenAtLogin, on === true) as boolean
}
contextBridge.exposeInMainWorld('mindweb', bridge)
