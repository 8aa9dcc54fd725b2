/** A short-lived message about something the room refused that is not tied to a message. */
import type { ErrorFrame } from '../../../server/protocol/index.js'

export function NoticeToast ({ notice }: { notice: ErrorFrame | null }) {
  return (
    <div className='toast-slot' role='alert'>
      {notice && <div className='toast'>{notice.message}</div>}
    </div>
  )
}
