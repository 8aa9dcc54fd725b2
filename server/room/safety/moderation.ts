/**
 * The host's rules for the room: lock, slow mode and the pinned announcement (persisted, told with
 * `room_update`); mute, kick and ban of participants; hiding messages; new sessions. Checks that
 * posting and joining must pass live here too, so every path (socket, HTTP) applies the same rule.
 */
import type { ChatStore, ParticipantRecord, StoredMessage } from '../../ports.js'
import type { AiMode, PhotosMode, RoomStateResponse } from '../../protocol/index.js'
import { CLOSE_REMOVED, MAX_ANNOUNCEMENT_CODE_POINTS, codePointLength, normalizeChatText } from '../../protocol/index.js'
import { Errors } from '../../errors.js'
import type { Hub, HubConnection } from '../engine/hub.js'
import type { Participants } from '../participants.js'
import type { ConsoleFeed } from '../console-feed.js'
import type { Photos } from '../media/photos.js'
import { errorFrame, hiddenTextFrame, mutedFrame, persistedFrame, roomUpdateFrame, type RoomChanges } from '../frames.js'

/** The host's own author id: it posts as "Host" and has no participant row. */
export const HOST_ID = 0
export const HOST_AUTHOR: ParticipantRecord = { id: HOST_ID, username: 'Host', emoji: '🧑‍🏫', createdAt: 0 }

export interface Moderation {
  state (): RoomStateResponse
  /** Changes lock, slow mode, announcement, anonymity or the photo rule; `room_update` tells everyone what changed. */
  update (patch: { locked?: boolean, slow_mode_s?: number, announcement?: string, anonymous?: boolean, photos?: PhotosMode }, room: { aiMode: AiMode, aiAvailable: boolean }): RoomStateResponse
  /** Throws ERR_MUTED or ERR_SLOW_MODE when this participant may not post now. */
  admitPost (author: ParticipantRecord): void
  /** Anonymous room: participants do not see each other's names (messages posted now stay anonymous). */
  hidesNames (): boolean
  /** A post went out: slow mode counts from now, and the console's row changes. */
  posted (author: ParticipantRecord): void
  /** Throws ERR_BANNED or ERR_ROOM_LOCKED when a join from this address is refused. */
  admitJoin (address: string): void
  /** Mutes (or with 0 lifts the mute); the participant's sockets are told at once (`muted`). */
  mute (userId: number, minutes: number): ParticipantRecord
  /** Until when this participant is muted (ms since epoch), or null. */
  mutedUntil (userId: number): number | null
  /** Removes the participant: token refused at once, every socket gets ERR_REMOVED then closes 4001. */
  kick (userId: number): ParticipantRecord
  /**
   * As kick, and their address may not join again. Every other identity on that address (a second
   * tab, a private window) is removed with them: `removed` lists everyone removed, the target first.
   */
  ban (userId: number): { participant: ParticipantRecord, address: string | null, removed: ParticipantRecord[] }
  unban (userId: number): number
  unbanAddress (address: string): boolean
  /** Hides or shows a message; null when there is none. */
  setHidden (messageId: number, isHidden: boolean): { message: StoredMessage, seq: number } | null
  /** A new session: `room_cleared` to everyone; participants present now (a socket, or HTTP lately) move into it. */
  newSession (): { sessionId: number, startedAt: number, seq: number }
}

const LOCKED_KEY = 'room_locked'
const SLOW_KEY = 'room_slow_mode_s'
const ANNOUNCEMENT_KEY = 'room_announcement'
const ANONYMOUS_KEY = 'room_anonymous'

/** Creates the room rules over the store, the hub and the participant service. */
/** A participant whose last HTTP request is this recent is in the room when a new session starts. */
const PRESENT_OVER_HTTP_MS = 2 * 60_000

export function createModeration (o: { store: ChatStore, hub: Hub, participants: Participants, feed: ConsoleFeed, photos?: Photos }): Moderation {
  let locked = o.store.getSetting(LOCKED_KEY) === '1'
  let slowModeS = Number(o.store.getSetting(SLOW_KEY) ?? 0) || 0
  let announcement = o.store.getSetting(ANNOUNCEMENT_KEY) ?? ''
  let anonymous = o.store.getSetting(ANONYMOUS_KEY) === '1'
  o.hub.setNamesHidden(() => anonymous)
  const lastPostAt = new Map<number, number>()
  const mutedUntil = new Map<number, number>()

  const state = (): RoomStateResponse => ({ locked, slow_mode_s: slowModeS, announcement, anonymous, photos: o.photos?.mode() ?? 'off' })

  function mustGet (userId: number): ParticipantRecord {
    const p = userId === HOST_ID ? null : o.participants.get(userId)
    if (p === null) throw Errors.participantNotFound(userId)
    return p
  }

  function mutedFor (userId: number): number {
    let until = mutedUntil.get(userId)
    if (until === undefined) {
      until = o.store.participantDetail(userId)?.mutedUntil ?? 0
      mutedUntil.set(userId, until)
    }
    return until - Date.now()
  }

  /** Every open socket of the participant: the reason first, then the close (queued frames are written before it). */
  function disconnect (userId: number, message: string): void {
    // Sockets on a cluster's edges are closed there (the same frame, the same close code).
    o.hub.closeRemote(userId, errorFrame({ code: Errors.removed.code, message }), CLOSE_REMOVED, 'Removed by the host')
    const conns = o.hub.connectionsOf(userId)
    if (conns === undefined) return
    for (const conn of [...conns] as HubConnection[]) {
      if (conn.role !== 'participant') continue
      o.hub.sendTo(conn, errorFrame({ code: Errors.removed.code, message }))
      o.hub.closeAfterFlush(conn, CLOSE_REMOVED, 'Removed by the host')
    }
  }

  function remove (userId: number, message: string): ParticipantRecord {
    const p = mustGet(userId)
    o.participants.remove(userId)
    disconnect(userId, message)
    o.feed.participantChanged(userId)
    return p
  }

  return {
    state,
    update (patch, room) {
      const changed: RoomChanges = {}
      if (patch.announcement !== undefined) {
        const text = normalizeChatText(patch.announcement).trim()
        const length = codePointLength(text)
        if (length > MAX_ANNOUNCEMENT_CODE_POINTS) throw Errors.settingInvalid(`The announcement can be at most ${MAX_ANNOUNCEMENT_CODE_POINTS} characters long (this one has ${length}).`)
        if (text !== announcement) { announcement = text; changed.announcement = text; o.store.setSetting(ANNOUNCEMENT_KEY, text === '' ? null : text) }
      }
      if (patch.locked !== undefined && patch.locked !== locked) {
        locked = patch.locked
        changed.locked = locked
        o.store.setSetting(LOCKED_KEY, locked ? '1' : null)
      }
      if (patch.slow_mode_s !== undefined && patch.slow_mode_s !== slowModeS) {
        slowModeS = patch.slow_mode_s
        changed.slow_mode_s = slowModeS
        o.store.setSetting(SLOW_KEY, slowModeS === 0 ? null : String(slowModeS))
      }
      if (patch.anonymous !== undefined && patch.anonymous !== anonymous) {
        anonymous = patch.anonymous
        changed.anonymous = anonymous
        o.store.setSetting(ANONYMOUS_KEY, anonymous ? '1' : null)
      }
      if (patch.photos !== undefined && o.photos?.setMode(patch.photos) === true) changed.photos = patch.photos
      if (Object.keys(changed).length > 0) {
        o.hub.broadcast(roomUpdateFrame({ mode: room.aiMode, isAvailable: room.aiAvailable }, changed))
        o.feed.audit('room.update', null, changed)
      }
      return state()
    },
    hidesNames: () => anonymous,
    admitPost (author) {
      if (author.id === HOST_ID) return
      const muted = mutedFor(author.id)
      if (muted > 0) {
        const minutes = Math.ceil(muted / 60_000)
        throw Errors.muted(minutes).with({ retryAfterMs: muted })
      }
      const now = Date.now()
      if (slowModeS > 0) {
        const wait = (lastPostAt.get(author.id) ?? 0) + slowModeS * 1000 - now
        if (wait > 0) throw Errors.slowMode(slowModeS, Math.ceil(wait / 1000)).with({ retryAfterMs: wait })
      }
    },
    posted (author) {
      if (author.id === HOST_ID) return
      lastPostAt.set(author.id, Date.now())
      o.feed.participantChanged(author.id)
    },
    admitJoin (address) {
      if (o.store.findBan(address) !== null) throw Errors.banned()
      if (locked) throw Errors.roomLocked()
    },
    mute (userId, minutes) {
      const p = mustGet(userId)
      const until = minutes === 0 ? null : Date.now() + minutes * 60_000
      o.store.setMutedUntil(userId, until)
      mutedUntil.set(userId, until ?? 0)
      o.feed.audit(minutes === 0 ? 'participant.unmute' : 'participant.mute', userId, { username: p.username, minutes })
      o.feed.participantChanged(userId)
      // The student learns it now, not when their next message is refused.
      for (const conn of o.hub.connectionsOf(userId) ?? []) if (conn.role === 'participant') o.hub.sendTo(conn, mutedFrame(until))
      return p
    },
    mutedUntil (userId) {
      const left = mutedFor(userId)
      return left > 0 ? Date.now() + left : null
    },
    kick (userId) {
      const p = remove(userId, 'The host removed you from the room. You can join again with a new name.')
      o.feed.audit('participant.kick', userId, { username: p.username })
      return p
    },
    ban (userId) {
      const address = o.store.participantDetail(userId)?.lastAddress ?? null
      const message = 'The host removed you from the room.'
      const p = remove(userId, message)
      const removed = [p]
      if (address !== null) {
        // The ban is on the device, so every identity it already holds goes now, not only the one
        // the host pointed at: by the address it was last seen at, or by an open socket from it.
        const others = new Set(o.store.participantsAt(address))
        o.hub.forEach(conn => { if (conn.role === 'participant' && conn.address === address) others.add(conn.userId) })
        others.delete(userId)
        others.delete(HOST_ID)
        for (const id of [...others].sort((a, b) => a - b)) {
          const detail = o.store.participantDetail(id)
          // a socket still closing after an earlier kick
          if (detail === null || detail.removedAt !== null) continue
          removed.push(remove(id, message))
        }
        o.store.addBan({ address, userId, username: p.username, at: Date.now() })
      }
      const also = removed.slice(1).map(r => ({ user_id: r.id, username: r.username }))
      o.feed.audit('participant.ban', userId, { username: p.username, address, removed_count: removed.length, ...(also.length > 0 ? { also_removed: also } : {}) })
      return { participant: p, address, removed }
    },
    unban (userId) {
      mustGet(userId)
      const count = o.store.removeBansOf(userId)
      o.feed.audit('participant.unban', userId, { lifted: count })
      o.feed.participantChanged(userId)
      return count
    },
    unbanAddress (address) {
      const ban = o.store.findBan(address)
      if (ban === null) return false
      o.store.removeBan(address)
      o.feed.audit('ban.remove', address, { user_id: ban.userId, username: ban.username })
      if (ban.userId !== null) o.feed.participantChanged(ban.userId)
      return true
    },
    setHidden (messageId, isHidden) {
      const result = o.store.setHidden({ id: messageId, isHidden, at: Date.now() })
      if (result === null) return null
      const { message, event } = result
      if (event !== null) {
        const frame = persistedFrame(event, message, null)!
        if (message.isAnonymous && message.userId !== null) {
          // An anonymous message shown again: its author and the host's sockets see who wrote it.
          o.hub.broadcast(frame, { userId: message.userId, frame: persistedFrame(event, message, message.userId)! }, persistedFrame(event, message, null, 'admin')!)
        } else {
          o.hub.broadcast(frame)
        }
        if (isHidden) o.hub.broadcastAdmin(hiddenTextFrame(message))
        o.feed.audit(isHidden ? 'message.hide' : 'message.unhide', messageId, { role: message.role, from_user: message.username })
      }
      return { message, seq: event?.seq ?? message.seq }
    },
    newSession () {
      const keep: number[] = []
      o.hub.forEach(conn => { if (conn.role === 'participant') keep.push(conn.userId) })
      // pages without a socket open that used the room lately are present as well
      keep.push(...o.participants.activeSince(Date.now() - PRESENT_OVER_HTTP_MS))
      const { session, event } = o.store.startSession({ at: Date.now(), keepUserIds: [...new Set(keep)] })
      lastPostAt.clear()
      o.hub.broadcast(persistedFrame(event, null, null)!)
      o.feed.resetSession()
      o.feed.audit('session.start', session.id, null)
      return { sessionId: session.id, startedAt: session.startedAt, seq: event.seq }
    }
  }
}
