/**
 * The frames the conversation reads: the room's (server/protocol) and the host console's additions
 * (PROTOCOL.md "Host console additions", CONTRACT.md), typed here from the fixed wire contract so
 * both pages read them the same way; fields a client cannot rely on are optional.
 */
import type {
  AiMessageEndFrame, AiMessageErrorFrame, AiMode, HistoryMessage, MessageStatus, ServerFrame, UserMessageFrame
} from '../../../server/protocol/index.js'

/** The host hid a message (a user message or an AI reply): participants see it disappear. */
export interface MessageHiddenFrame { type: 'message_hidden', id: number, seq: number }
/** The host took a hide back; `message` is the frame that shows it again. */
export interface MessageUnhiddenFrame {
  type: 'message_unhidden'
  id: number
  seq: number
  message: UserMessageFrame | AiMessageEndFrame | AiMessageErrorFrame
}
/** Admin socket only: the text of a message that was just hidden. */
export interface MessageHiddenAdminFrame { type: 'message_hidden_admin', id: number, content: string }
/** A new session (lesson) began: clients clear what they show. */
export interface RoomClearedFrame { type: 'room_cleared', seq: number, session_id: number }

/** The room's settings that participants see; `hello` carries them all, `room_update` what changed. */
export interface RoomSettingsFields {
  ai_mode?: AiMode
  ai_available?: boolean
  locked?: boolean
  slow_mode_s?: number
  announcement?: string
  anonymous?: boolean
}
/** Every frame the conversation understands. */
export type RoomFrame =
  | ServerFrame
  | MessageHiddenFrame
  | MessageUnhiddenFrame
  | MessageHiddenAdminFrame
  | RoomClearedFrame

export { CLOSE_REMOVED, ERR_REMOVED } from '../../../server/protocol/index.js'

/** A history message the host hid (participants get `status: "hidden"`, the console `hidden: true`). */
export function isHiddenMessage (m: HistoryMessage): boolean {
  return (m.status as string) === 'hidden' || (m as { hidden?: unknown }).hidden === true
}

/** The status to show for a history message (a hidden one is listed as "hidden": it had ended). */
export function historyStatus (m: HistoryMessage): MessageStatus {
  const status = m.status as string
  return status === 'hidden' ? 'complete' : m.status as MessageStatus
}

/** True when a live message frame arrives already hidden (admin socket replays keep the text). */
export function isHiddenFrame (frame: UserMessageFrame): boolean {
  return (frame as { hidden?: unknown }).hidden === true
}
