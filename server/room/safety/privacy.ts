/**
 * What a school signs off: how long lessons are kept (`retention_days`, default: keep) and "erase
 * this participant". Retention runs at start, when the host changes it, and every few hours.
 */
import type { ChatStore, PrivacyStore } from '../../ports.js'
import { Errors } from '../../errors.js'
import type { Photos } from '../media/photos.js'

export interface Privacy {
  retentionDays (): number | null
  /** Sets the retention (null: keep everything) and applies it now; returns the sessions deleted. */
  setRetention (days: number | null): number
  /** Deletes the sessions older than the retention; returns how many. */
  applyRetention (now?: number): number
  /** Deletes the photos of the deleted lessons, and photos never sent, older than the retention; returns how many. */
  applyPhotoRetention (now?: number): Promise<number>
  /** Removes a participant's text and photos (files too) from storage; returns their message ids (to show them removed). */
  erase (userId: number): Promise<number[]>
  /** Ids of messages whose author was erased (the exports mark them). */
  erasedMessageIds (): number[]
}

const KEY = 'retention_days'
const DAY_MS = 86_400_000

export function createPrivacy (o: { store: ChatStore, privacy: PrivacyStore, photos?: Photos }): Privacy {
  let days = parseDays(o.store.getSetting(KEY))

  const privacy: Privacy = {
    retentionDays: () => days,
    setRetention (next) {
      days = next
      o.store.setSetting(KEY, next === null ? null : String(next))
      return privacy.applyRetention()
    },
    applyRetention (now = Date.now()) {
      if (days === null) return 0
      return o.privacy.purgeSessionsBefore(now - days * DAY_MS).sessions
    },
    async applyPhotoRetention (now = Date.now()) {
      if (days === null || o.photos === undefined) return 0
      return await o.photos.forgetUnattachedBefore(now - days * DAY_MS)
    },
    erasedMessageIds: () => o.privacy.erasedMessageIds(),
    async erase (userId) {
      if (o.store.getParticipant(userId) === null) throw Errors.participantNotFound(userId)
      const ids = o.privacy.eraseParticipant(userId, Date.now())
      // their messages no longer name the photos; then the files and rows go
      await o.photos?.forgetUser(userId)
      return ids
    }
  }
  return privacy
}

function parseDays (raw: string | null): number | null {
  const n = raw === null ? NaN : Number(raw)
  return Number.isInteger(n) && n >= 1 ? n : null
}
