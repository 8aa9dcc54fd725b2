/** IPC channels between the desktop shell and the host console window (no electron import). */

export const IpcChannel = {
  getServerInfo: 'host:get-server-info'
} as const
export type IpcChannel = typeof IpcChannel[keyof typeof IpcChannel]

/** What the host console needs to reach the in-process server. */
export interface ServerInfo {
  baseUrl: string
  adminToken: string
}

/** The one function the preload script exposes as `window.mindweb`. */
export interface HostBridge {
  getServerInfo (): Promise<ServerInfo>
}
