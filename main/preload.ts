/** Exposes one named function to the host console; never ipcRenderer itself. */
import { contextBridge, ipcRenderer } from 'electron'
import { IpcChannel, type HostBridge } from './ipc-contract.js'

const bridge: HostBridge = {
  getServerInfo: async () => await ipcRenderer.invoke(IpcChannel.getServerInfo)
}
contextBridge.exposeInMainWorld('mindweb', bridge)
