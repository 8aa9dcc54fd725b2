/** What the dialog says when the room cannot start: what happened, and what the teacher can do. */
import { ListenError } from '../server/listen.js'

export interface FailureDialog {
  title: string
  message: string
  detail: string
}

/** Turns a startup error into a dialog a teacher can act on (never a silent exit). */
export function startupFailureDialog (err: unknown, dataDir: string, logPath: string): FailureDialog {
  const title = 'MindWeb Host could not start'
  if (err instanceof ListenError) {
    return { title, message: 'The room could not open a network port.', detail: `${err.message}\n\nThen start MindWeb Host again.` }
  }
  const e = err as NodeJS.ErrnoException
  if (e?.code === 'EACCES' || e?.code === 'EPERM' || e?.code === 'EROFS' || /SQLITE_(CANTOPEN|READONLY|PERM)/.test(String(e?.code))) {
    return { title, message: 'The room could not write its data folder.', detail: `${dataDir}\n\nCheck that this folder exists and that your user may write to it (or free some disk space), then start MindWeb Host again.\n\nDetails: ${e.message}` }
  }
  return {
    title,
    message: 'Something went wrong while starting the room.',
    detail: `${e?.message ?? String(err)}\n\nStart MindWeb Host again. If this keeps happening, restart the computer; if it still does, report this message with the log file ${logPath}.`
  }
}
