/**
 * The conversation: the messages in memory (older ones one click away), then my unconfirmed ones.
 * Only what is near the viewport is rendered, so a lesson of thousands of messages stays light.
 * Stays pinned to the bottom only while the reader is there; otherwise offers a "new messages" pill.
 * Keyboard: the list is one Tab stop; arrow keys, Home and End move between messages, and a
 * message's own buttons (Copy, Show more) join the Tab order only while it has focus.
 */
import { useVirtualizer, defaultRangeExtractor, type Range } from '@tanstack/react-virtual'
import { useCallback, useLayoutEffect, useMemo, useRef, useState, type KeyboardEvent, type ReactNode } from 'react'
import { useT } from '../i18n/index.js'
import { AiMessage } from './ai-message.js'
import { isNameless, type ChatEntry, type UserEntry } from './chat-state.js'
import type { OutboxEntry } from './outbox.js'
import { PendingMessage } from './pending-message.js'
import { useStickToBottom } from './use-stick-to-bottom.js'
import { UserMessage } from './user-message.js'
import './chat.css'

export interface MessageListProps {
  entries: ChatEntry[]
  /** My messages the room has not confirmed yet (participants only). */
  outbox?: OutboxEntry[]
  /** Whose messages are "mine" (null: nobody's, as in the console). */
  selfId: number | null
  /** In `approve` mode a question without a reply yet is waiting for the host. */
  isApproveMode: boolean
  /** Shown above the first message once nothing earlier is left to load. */
  welcome?: ReactNode
  hasEarlier: boolean
  onLoadEarlier: () => Promise<number>
  onStop?: (id: number) => void
  onResend?: (clientMsgId: string) => void
  onDiscard?: (clientMsgId: string) => void
  /** Offered on my failed or interrupted answers: asks the same question again, as a new message. */
  onAskAgain?: (question: UserEntry) => void
  /** `remove` (participants): a hidden message disappears; `tombstone` (console): a line marks it. */
  hiddenAs?: 'remove' | 'tombstone'
  /** Extra controls under a message (the console's hide, unhide and stop). */
  renderActions?: (entry: ChatEntry) => ReactNode
  /** id of the scrolling element (for skip links). */
  id?: string
}

const GROUP_GAP_MS = 5 * 60_000
/** How close to the top a reader scrolls before earlier messages load by themselves. */
const EARLIER_MARGIN_PX = 400
const NONE: OutboxEntry[] = []

export function MessageList ({
  entries, outbox = NONE, selfId, isApproveMode, welcome, hasEarlier, onLoadEarlier, onStop, onResend, onDiscard,
  onAskAgain, hiddenAs = 'remove', renderActions, id
}: MessageListProps) {
  const t = useT()
  const scrollRef = useRef<HTMLDivElement>(null)
  const contentRef = useRef<HTMLDivElement>(null)
  const [isLoadingEarlier, setIsLoadingEarlier] = useState(false)
  const [activeKey, setActiveKey] = useState<string | null>(null)
  const keepOffsetRef = useRef<number | null>(null)
  const focusRef = useRef<string | null>(null)

  const shown = useMemo(() => hiddenAs === 'remove' && entries.some(e => e.isHidden) ? entries.filter(e => !e.isHidden) : entries, [entries, hiddenAs])
  const { questions, answered } = useMemo(() => indexQuestions(entries), [entries])
  const newestKey = outbox.at(-1)?.clientMsgId ?? shown.at(-1)?.key ?? null
  const stick = useStickToBottom(scrollRef, contentRef, shown.length + outbox.length, newestKey)

  // Rows: [top (welcome or "show earlier")] + messages + my pending ones (+ "no messages yet").
  const isEmpty = shown.length === 0 && outbox.length === 0
  const count = 1 + shown.length + outbox.length + (isEmpty ? 1 : 0)
  const keyAt = useCallback((index: number): string => {
    if (index === 0) return 'top'
    const entry = shown[index - 1]
    if (entry) return entry.key
    const pending = outbox[index - 1 - shown.length]
    return pending ? `o:${pending.clientMsgId}` : 'empty'
  }, [shown, outbox])
  const activeIndex = useMemo(() => activeKey === null ? -1 : indexOfKey(activeKey, shown, outbox), [activeKey, shown, outbox])

  const rangeExtractor = useCallback((range: Range): number[] => {
    const indexes = defaultRangeExtractor(range)
    // The focused message stays mounted while it scrolls away, or focus would fall to the page.
    if (activeIndex >= 0 && !indexes.includes(activeIndex)) {
      indexes.push(activeIndex)
      indexes.sort((a, b) => a - b)
    }
    return indexes
  }, [activeIndex])

  // eslint-disable-next-line react-hooks/incompatible-library -- the list is not compiled; it re-renders on every change anyway
  const virtualizer = useVirtualizer({
    count,
    getScrollElement: () => scrollRef.current,
    estimateSize: index => estimateRow(index, shown),
    getItemKey: keyAt,
    // Few rows beyond the screen: each one streaming an answer costs a cheap phone layout and paint.
    overscan: 3,
    rangeExtractor,
    // A synchronous render on every measurement threw away the sliced render of streaming answers.
    useFlushSync: false
  })

  // Sending is a promise to show it: jump to the bottom when my outbox grows.
  const outboxSize = useRef(outbox.length)
  const { scrollToBottom, onScroll } = stick
  useLayoutEffect(() => {
    if (outbox.length > outboxSize.current) scrollToBottom()
    outboxSize.current = outbox.length
  }, [outbox.length, scrollToBottom])

  // Revealing older messages must not move what the reader is looking at.
  useLayoutEffect(() => {
    const el = scrollRef.current
    if (el && keepOffsetRef.current !== null) {
      el.scrollTop = el.scrollHeight - keepOffsetRef.current
      keepOffsetRef.current = null
    }
  }, [shown.length])

  // Arrow keys asked for a message that was not mounted yet: focus it once it is.
  useLayoutEffect(() => {
    const key = focusRef.current
    if (key === null) return
    const node = scrollRef.current?.querySelector<HTMLElement>(`[data-row="${cssEscape(key)}"] > *`)
    if (node) {
      focusRef.current = null
      node.focus({ preventScroll: true })
    }
  })

  const loadEarlier = (): void => {
    setIsLoadingEarlier(true)
    onLoadEarlier().then(() => {
      const el = scrollRef.current
      if (el) keepOffsetRef.current = el.scrollHeight - el.scrollTop
    }, () => { /* the button stays; the reader can try again */ }).finally(() => setIsLoadingEarlier(false))
  }

  // Reading upwards near the oldest loaded message fetches the page before it, without a click
  // (the button stays, for keyboards and after a failed load).
  const onListScroll = (): void => {
    onScroll()
    const el = scrollRef.current
    if (el && hasEarlier && !isLoadingEarlier && el.scrollTop < EARLIER_MARGIN_PX && el.scrollHeight > el.clientHeight * 2) loadEarlier()
  }

  const moveFocus = (event: KeyboardEvent<HTMLDivElement>): void => {
    const messageCount = shown.length + outbox.length
    if (messageCount === 0) return
    const current = activeIndex >= 1 && isInside(event.target, activeKey) ? activeIndex : -1
    let next: number
    switch (event.key) {
      case 'ArrowDown': next = current < 0 ? firstVisible(virtualizer.getVirtualItems(), scrollRef.current) : current + 1; break
      case 'ArrowUp': next = current < 0 ? lastVisible(virtualizer.getVirtualItems(), scrollRef.current, messageCount) : current - 1; break
      case 'Home': next = 1; break
      case 'End': next = messageCount; break
      default: return
    }
    event.preventDefault()
    next = Math.min(Math.max(next, 1), messageCount)
    const key = keyAt(next)
    setActiveKey(key)
    focusRef.current = key
    virtualizer.scrollToIndex(next, { align: 'auto' })
  }

  const renderRow = (index: number): ReactNode => {
    if (index === 0) {
      if (hasEarlier) {
        return (
          <button type='button' className='show-earlier' onClick={loadEarlier} disabled={isLoadingEarlier}>
            {isLoadingEarlier ? t.room.loadingEarlier : t.room.showEarlier}
          </button>
        )
      }
      return welcome ?? <span className='messages__start' />
    }
    const entry = shown[index - 1]
    const isActive = index === activeIndex
    if (entry) {
      if (entry.isHidden) {
        return (
          <div className='msg msg--hidden' tabIndex={-1} data-key={entry.key}>
            <p className='msg__tombstone'>{t.message.hidden}</p>
            {renderActions && <div className='msg__actions'>{renderActions(entry)}</div>}
          </div>
        )
      }
      if (entry.kind === 'ai') {
        const question = entry.replyTo !== null ? questions.get(entry.replyTo) : undefined
        const isMine = selfId !== null && question?.fromUserId === selfId
        return (
          <AiMessage
            entry={entry}
            question={question}
            isMine={isMine}
            isTabbable={isActive}
            onStop={onStop}
            onAskAgain={isMine ? onAskAgain : undefined}
            actions={renderActions?.(entry)}
          />
        )
      }
      return (
        <UserMessage
          entry={entry}
          isOwn={selfId !== null && entry.fromUserId === selfId}
          asksAi={entry.asksAi || answered.has(entry.id)}
          isAwaitingApproval={isApproveMode && entry.asksAi && !answered.has(entry.id)}
          isContinuation={continues(shown[index - 2], entry)}
          isTabbable={isActive}
          actions={renderActions?.(entry)}
        />
      )
    }
    const pending = outbox[index - 1 - shown.length]
    if (pending && onResend && onDiscard) return <PendingMessage entry={pending} onResend={onResend} onDiscard={onDiscard} />
    return <p className='messages__empty'>{t.room.empty}</p>
  }

  const items = virtualizer.getVirtualItems()
  return (
    <div className='messages-wrap'>
      <div
        id={id}
        className='messages'
        ref={scrollRef}
        onScroll={onListScroll}
        onKeyDown={moveFocus}
        onFocus={e => { if (e.target === e.currentTarget) setActiveKey(null) }}
        role='region'
        aria-label={t.room.messagesLabel}
        aria-describedby={id ? `${id}-keys` : undefined}
        tabIndex={0}
      >
        {id && <span id={`${id}-keys`} hidden>{t.room.messagesKeys}</span>}
        <div className='messages__inner' ref={contentRef}>
          <div className='messages__canvas' style={{ height: virtualizer.getTotalSize() }}>
            {items.map(item => (
              <div
                key={item.key}
                className='messages__row'
                data-index={item.index}
                data-row={item.key}
                ref={virtualizer.measureElement}
                style={{ transform: `translateY(${item.start}px)` }}
                onFocus={() => { if (item.index > 0) setActiveKey(String(item.key)) }}
              >
                {renderRow(item.index)}
              </div>
            ))}
          </div>
        </div>
      </div>
      {!stick.isAtBottom && stick.unseen > 0 && (
        <button type='button' className='new-pill' onClick={() => stick.scrollToBottom(true)} aria-label={t.room.jumpToLatest}>
          {t.room.newMessages(stick.unseen)} <span aria-hidden='true'>↓</span>
        </button>
      )}
    </div>
  )
}

function indexQuestions (entries: ChatEntry[]): { questions: Map<number, UserEntry>, answered: Set<number> } {
  const questions = new Map<number, UserEntry>()
  const answered = new Set<number>()
  for (const e of entries) {
    if (e.kind === 'user') questions.set(e.id, e)
    else if (e.replyTo !== null) answered.add(e.replyTo)
  }
  return { questions, answered }
}

function continues (previous: ChatEntry | undefined, entry: UserEntry): boolean {
  return previous?.kind === 'user' &&
    !previous.isHidden &&
    previous.fromUserId === entry.fromUserId &&
    // two anonymous messages carry no author: they may be two people
    !isNameless(entry) &&
    entry.timestamp - previous.timestamp < GROUP_GAP_MS
}

/** A first guess at a row's height (it is measured once rendered). */
function estimateRow (index: number, shown: ChatEntry[]): number {
  if (index === 0) return 60
  const entry = shown[index - 1]
  if (!entry) return 64
  if (entry.isHidden) return 40
  const lines = Math.ceil(Math.min(entry.content.length, 4000) / 40) + (entry.content.match(/\n/g)?.length ?? 0)
  return entry.kind === 'ai' ? 120 + Math.min(lines, 40) * 22 : 44 + Math.min(lines, 14) * 24
}

function indexOfKey (key: string, shown: ChatEntry[], outbox: OutboxEntry[]): number {
  for (let i = shown.length - 1; i >= 0; i--) if (shown[i]!.key === key) return i + 1
  const o = outbox.findIndex(p => `o:${p.clientMsgId}` === key)
  return o < 0 ? -1 : 1 + shown.length + o
}

function isInside (target: EventTarget, key: string | null): boolean {
  return key !== null && target instanceof Element && target.closest('[data-row]')?.getAttribute('data-row') === key
}

function firstVisible (items: Array<{ index: number, start: number }>, el: HTMLElement | null): number {
  const top = el?.scrollTop ?? 0
  return items.find(i => i.index > 0 && i.start >= top)?.index ?? 1
}

function lastVisible (items: Array<{ index: number, end: number }>, el: HTMLElement | null, fallback: number): number {
  const bottom = (el?.scrollTop ?? 0) + (el?.clientHeight ?? 0)
  const visible = items.filter(i => i.index > 0 && i.end <= bottom)
  return visible.at(-1)?.index ?? fallback
}

function cssEscape (value: string): string {
  return typeof CSS !== 'undefined' && typeof CSS.escape === 'function' ? CSS.escape(value) : value.replace(/["\\]/g, '\\$&')
}
