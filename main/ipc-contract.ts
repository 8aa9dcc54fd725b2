/**
 * IPC between the desktop shell and the host console window: channels and payloads (no electron
 * import, so the preload, the main process and the console share it).
 * @see https://www.electronjs.org/docs/latest/tutorial/ipc#pattern-2-renderer-to-main-two-way
 */

export const IpcChannel = {
  getServerInfo: 'host:get-server-info',
  getDesktopInfo: 'host:get-desktop-info',
  setOpenAtLogin: 'host:set-open-at-login'
} as const
export type IpcChannel = typeof IpcChannel[keyof typeof IpcChannel]

/** What the host console needs to reach the in-process server. */
export interface ServerInfo {
  baseUrl: string
  adminToken: string
}

/** One line of the desktop's network advice (same shape as the server's network diagnostics). */
export interface DesktopDiagnostic {
  level: 'info' | 'warn'
  code: string
  message: string
}

/** What only the desktop shell knows; the console shows it when present. */
export interface DesktopInfo {
  /** The configured port when it was taken and the room uses another one; null when it was free. */
  portFallbackFrom: number | null
  /** 'os' when the AI key is sealed with the OS keychain (safeStorage); 'unavailable' when it is stored as is. */
  keyEncryption: 'os' | 'unavailable'
  /** "Start hosting when I log in". */
  openAtLogin: boolean
  /** Firewall and network-profile advice for this computer (Windows: the Public profile warning). */
  diagnostics: DesktopDiagnostic[]
}

/** The named functions the preload exposes as `window.mindweb`; nothing else crosses the bridge. */
export interface HostBridge {
  getServerInfo (): Promise<ServerInfo>
  getDesktopInfo (): Promise<DesktopInfo>
  /** Turns "Start hosting when I log in" on or off; resolves with the state the OS now reports. */
  setOpenAtLogin (on: boolean): Promise<boolean>
}
