/**
 * Messages this participant sent that the room has not confirmed yet (optimistic send).
 * Each keeps its `client_msg_id`, so resending after a reconnect never posts it twice.
 */
export interface OutboxFailure {
  code: string
  message: string
  /** Epoch ms before which a resend would be refused again (rate limits). */
  retryAt: number | null
}

export interface OutboxEntry {
  clientMsgId: string
  content: string
  createdAt: number
  state: 'pending' | 'failed'
  failure: OutboxFailure | null
  /** photos sent with it (their ids, uploaded already) */
  files?: string[]
}

/** A fresh pending entry. */
export function createOutboxEntry (clientMsgId: string, content: string, now: number, files: string[] = []): OutboxEntry {
  return { clientMsgId, content, createdAt: now, state: 'pending', failure: null, ...(files.length > 0 ? { files } : {}) }
}

export function addToOutbox (outbox: OutboxEntry[], entry: OutboxEntry): OutboxEntry[] {
  if (outbox.some(e => e.clientMsgId === entry.clientMsgId)) return outbox
  return [...outbox, entry]
}

/** The room echoed our message: it is no longer pending. */
export function confirmOutbox (outbox: OutboxEntry[], clientMsgId: string): OutboxEntry[] {
  return outbox.some(e => e.clientMsgId === clientMsgId) ? outbox.filter(e => e.clientMsgId !== clientMsgId) : outbox
}

export function failOutbox (outbox: OutboxEntry[], clientMsgId: string, failure: OutboxFailure): OutboxEntry[] {
  return outbox.map(e => e.clientMsgId === clientMsgId ? { ...e, state: 'failed', failure } : e)
}

export function retryOutbox (outbox: OutboxEntry[], clientMsgId: string): OutboxEntry[] {
  return outbox.map(e => e.clientMsgId === clientMsgId ? { ...e, state: 'pending', failure: null } : e)
}

export function discardOutbox (outbox: OutboxEntry[], clientMsgId: string): OutboxEntry[] {
  return outbox.filter(e => e.clientMsgId !== clientMsgId)
}

/** Entries read back from storage, keeping only well-formed ones. */
export function reviveOutbox (value: unknown): OutboxEntry[] {
  if (!Array.isArray(value)) return []
  const entries: OutboxEntry[] = []
  for (const item of value) {
    if (typeof item !== 'object' || item === null) continue
    const { clientMsgId, content, createdAt, state, files } = item as Record<string, unknown>
    if (typeof clientMsgId !== 'string' || typeof content !== 'string' || typeof createdAt !== 'number') continue
    // A failure's wait is long over by the next visit; what matters is that it was not sent.
    const failed = state === 'failed'
    entries.push({
      clientMsgId,
      content,
      createdAt,
      state: failed ? 'failed' : 'pending',
      failure: failed ? { code: 'ERR_NOT_SENT', message: '', retryAt: null } : null,
      ...(Array.isArray(files) && files.every(f => typeof f === 'string') ? { files: files as string[] } : {})
    })
  }
  return entries
}

/** A random id for `client_msg_id`; `crypto.randomUUID` is missing on plain-HTTP LAN pages. */
export function newClientMsgId (): string {
  if (typeof crypto.randomUUID === 'function' && globalThis.isSecureContext !== false) {
    try { return crypto.randomUUID() } catch { /* insecure context: fall through */ }
  }
  const bytes = crypto.getRandomValues(new Uint8Array(16))
  bytes[6] = (bytes[6]! & 0x0f) | 0x40
  bytes[8] = (bytes[8]! & 0x3f) | 0x80
  const hex = Array.from(bytes, b => b.toString(16).padStart(2, '0')).join('')
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`
}
