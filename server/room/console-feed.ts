/**
 * What the host console sees live beyond the room's frames: the audit trail (every admin action,
 * persisted, `admin_audit`), participant rows as they change (`admin_participant`, at most once per
 * second each), the peak online count and the live stats (`admin_stats` every 2 s while something
 * changed). Everything here goes to admin sockets only.
 */
import type { AuditRecord, ChatStore, ParticipantDetails } from '../ports.js'
import type { AdminParticipant, AdminStats, AuditEntry } from '../protocol/index.js'
import type { Hub } from './engine/hub.js'
import { auditFrame, participantRowFrame, statsFrame } from './frames.js'

export interface ConsoleFeed {
  /** Records one admin action and tells the console. */
  audit (action: string, target: string | number | null, detail?: Record<string, unknown> | null): AuditEntry
  entries (limit: number): AuditEntry[]
  /** A participant row as the console shows it. */
  view (p: ParticipantDetails): AdminParticipant
  /** Participant rows of a scope. */
  list (scope: 'session' | 'online' | 'all'): AdminParticipant[]
  /** Sends the participant's row to the console (throttled to once per second per participant). */
  participantChanged (userId: number): void
  /** The session's figures now. */
  stats (): AdminStats
  peakOnline (): number
  /** Call when someone comes online: keeps the peak. */
  onlineChanged (): void
  /** A reply's time to first token, for the median. */
  firstToken (ms: number): void
  /** A new session: the peak and the time-to-first-token sample start again. */
  resetSession (): void
  close (): void
}

const PARTICIPANT_THROTTLE_MS = 1000
const STATS_INTERVAL_MS = 2000
const TTFT_SAMPLE = 500

/** Creates the feed; `aiWaiting` reads the orchestrator's queue. */
export function createConsoleFeed (o: { store: ChatStore, hub: Hub, aiWaiting: () => number, statsIntervalMs?: number }): ConsoleFeed {
  let peak = o.hub.onlineCount()
  const ttft: number[] = []
  const lastSent = new Map<number, number>()
  const pending = new Map<number, NodeJS.Timeout>()
  let lastStats = ''
  let isClosed = false

  const toEntry = (r: AuditRecord): AuditEntry => ({ id: r.id, at: r.at, action: r.action, target: r.target, detail: r.detail })

  function bannedIds (): Set<number> {
    const ids = new Set<number>()
    for (const b of o.store.listBans()) if (b.userId !== null) ids.add(b.userId)
    return ids
  }

  function view (p: ParticipantDetails, banned = bannedIds()): AdminParticipant {
    const now = Date.now()
    return {
      user_id: p.id,
      username: p.username,
      emoji: p.emoji,
      online: o.hub.isOnline(p.id),
      message_count: p.messageCount,
      muted_until: p.mutedUntil !== null && p.mutedUntil > now ? p.mutedUntil : null,
      banned: banned.has(p.id),
      removed: p.removedAt !== null,
      address: p.lastAddress,
      joined_at: p.createdAt,
      last_seen: o.hub.isOnline(p.id) ? now : p.lastSeen
    }
  }

  function sendParticipant (userId: number): void {
    pending.delete(userId)
    if (isClosed) return
    lastSent.set(userId, Date.now())
    try {
      const p = o.store.participantDetail(userId)
      if (p !== null) o.hub.broadcastAdmin(participantRowFrame(view(p)))
    } catch {
      // storage trouble: the next change sends the row again (the console also reloads the list)
    }
  }

  function stats (): AdminStats {
    const s = o.store.sessionStats(o.store.currentSession().id)
    const sorted = [...ttft].sort((a, b) => a - b)
    const median = sorted.length === 0
      ? null
      : sorted.length % 2 === 1
        ? sorted[(sorted.length - 1) / 2]!
        : Math.round((sorted[sorted.length / 2 - 1]! + sorted[sorted.length / 2]!) / 2)
    return { messages: s.messages, ai_answered: s.aiAnswered, ai_failed: s.aiFailed, ai_waiting: o.aiWaiting(), tokens_used: s.tokensUsed, ttft_median_ms: median }
  }

  // Stats go out only while something changed, and only when a console listens.
  const ticker = setInterval(() => {
    if (o.hub.adminSize === 0) return
    let figures: AdminStats
    try { figures = stats() } catch { return }
    const key = JSON.stringify([figures, o.hub.onlineCount(), peak])
    if (key === lastStats) return
    lastStats = key
    o.hub.broadcastAdmin(statsFrame(figures, o.hub.onlineCount(), peak, Date.now()))
  }, o.statsIntervalMs ?? STATS_INTERVAL_MS)
  ticker.unref()

  return {
    audit (action, target, detail = null) {
      const entry = toEntry(o.store.appendAudit({ at: Date.now(), action, target: target === null ? null : String(target), detail }))
      o.hub.broadcastAdmin(auditFrame(entry))
      return entry
    },
    entries: (limit) => o.store.listAudit(limit).map(toEntry),
    view: (p) => view(p),
    list (scope) {
      const banned = bannedIds()
      const rows = o.store.participantDetails(scope === 'all' ? 'all' : 'session')
      const out = rows.map(p => view(p, banned))
      return scope === 'online' ? out.filter(p => p.online) : out
    },
    participantChanged (userId) {
      if (isClosed || o.hub.adminSize === 0 || pending.has(userId)) return
      // Never at once: the change that caused the call (a post, a join) is written first.
      const wait = Math.max(0, (lastSent.get(userId) ?? 0) + PARTICIPANT_THROTTLE_MS - Date.now())
      const timer = setTimeout(() => sendParticipant(userId), wait)
      timer.unref()
      pending.set(userId, timer)
    },
    stats,
    peakOnline: () => peak,
    onlineChanged () { peak = Math.max(peak, o.hub.onlineCount()) },
    firstToken (ms) {
      ttft.push(ms)
      if (ttft.length > TTFT_SAMPLE) ttft.shift()
    },
    resetSession () {
      ttft.length = 0
      peak = o.hub.onlineCount()
    },
    close () {
      isClosed = true
      clearInterval(ticker)
      for (const t of pending.values()) clearTimeout(t)
      pending.clear()
    }
  }
}
