/** What a console section gets: the admin API and the one live socket (console-app.tsx owns both). */
import type { AdminApi } from '../api.js'
import type { AdminSocket } from '../hooks/use-admin-socket.js'

export interface ConsolePanelProps {
  api: AdminApi
  socket: AdminSocket
  /** the admin token (the question queue's calls and the projector link carry it) */
  token: string
}
