/**
 * The console's names for the admin contract (server/protocol/admin.ts) and the frames its socket
 * carries: every room frame plus the admin-only ones.
 */
import type { AdminOnlyFrame, ServerFrame } from '../../server/protocol/index.js'

export type {
  AddressKind, AdminMessage, AdminParticipant, AdminStats, AdminStatus, AiAppInfo, AiFormResponse, AiMode,
  AiTestResponse as AiTestResult, AuditEntry, Ban, BanResponse, DifyInputValue, FormField, FormFieldType, JoinAddress,
  LimitsSetting as Limits, MessageFile, NetworkResponse as NetworkInfo, PhotosMode, RateSetting as RateLimit, Settings, SettingsResponse,
  SettingsUpdate
} from '../../server/protocol/index.js'

/** Every frame the admin socket may carry. */
export type ConsoleFrame = ServerFrame | AdminOnlyFrame
