/**
 * The conversation: the newest messages (older ones one click away), then my unconfirmed ones.
 * Stays pinned to the bottom only while the reader is there; otherwise offers a "new messages" pill.
 */
import { useLayoutEffect, useMemo, useRef, useState, type ReactNode } from 'react'
import { useT } from '../i18n/index.js'
import { useStickToBottom } from './use-stick-to-bottom.js'
import type { ChatEntry, UserEntry } from './chat-state.js'
import type { OutboxEntry } from './outbox.js'
import { AiMessage } from './ai-message.js'
import './chat.css'
import { PendingMessage } from './pending-message.js'
import { UserMessage } from './user-message.js'

interface MessageListProps {
  entries: ChatEntry[]
  outbox: OutboxEntry[]
  selfId: number
  /** In `approve` mode a question without a reply yet is waiting for the host. */
  isApproveMode: boolean
  welcome: ReactNode
  hasEarlier: boolean
  onLoadEarlier: () => Promise<number>
  onStop: (id: number) => void
  onResend: (clientMsgId: string) => void
  onDiscard: (clientMsgId: string) => void
}

/** Messages rendered at once; "show earlier" adds this many more. */
export const RENDER_WINDOW = 300
const GROUP_GAP_MS = 5 * 60_000

export function MessageList ({ entries, outbox, selfId, isApproveMode, welcome, hasEarlier, onLoadEarlier, onStop, onResend, onDiscard }: MessageListProps) {
  const t = useT()
  const scrollRef = useRef<HTMLDivElement>(null)
  const contentRef = useRef<HTMLDivElement>(null)
  const [windowSize, setWindowSize] = useState(RENDER_WINDOW)
  const [isLoadingEarlier, setIsLoadingEarlier] = useState(false)
  const keepOffsetRef = useRef<number | null>(null)
  const newestKey = outbox.at(-1)?.clientMsgId ?? entries.at(-1)?.key ?? null
  const stick = useStickToBottom(scrollRef, contentRef, entries.length + outbox.length, newestKey)

  const visible = entries.length > windowSize ? entries.slice(-windowSize) : entries
  const hiddenCount = entries.length - visible.length
  const { questions, answered } = useMemo(() => indexQuestions(entries), [entries])

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
  }, [windowSize, entries.length])

  const keepPosition = (): void => {
    const el = scrollRef.current
    if (el) keepOffsetRef.current = el.scrollHeight - el.scrollTop
  }

  const showEarlier = (): void => {
    keepPosition()
    setWindowSize(n => n + RENDER_WINDOW)
  }

  const loadEarlier = (): void => {
    setIsLoadingEarlier(true)
    onLoadEarlier().then(added => {
      keepPosition()
      setWindowSize(n => n + added)
    }, () => { /* the button stays; the reader can try again */ }).finally(() => setIsLoadingEarlier(false))
  }

  let top: ReactNode = welcome
  if (hiddenCount > 0) top = <button type='button' className='show-earlier' onClick={showEarlier}>{t.room.showEarlier}</button>
  else if (hasEarlier) {
    top = (
      <button type='button' className='show-earlier' onClick={loadEarlier} disabled={isLoadingEarlier}>
        {isLoadingEarlier ? t.room.loadingEarlier : t.room.showEarlier}
      </button>
    )
  }

  return (
    <div className='messages-wrap'>
      <div className='messages' ref={scrollRef} onScroll={onScroll} role='region' aria-label={t.room.messagesLabel} tabIndex={0}>
        <div className='messages__inner' ref={contentRef}>
          {top}
          {visible.map((entry, i) => {
            if (entry.kind === 'ai') {
              const question = entry.replyTo !== null ? questions.get(entry.replyTo) : undefined
              return <AiMessage key={entry.key} entry={entry} question={question} isMine={question?.fromUserId === selfId} onStop={onStop} />
            }
            return (
              <UserMessage
                key={entry.key}
                entry={entry}
                isOwn={entry.fromUserId === selfId}
                asksAi={entry.asksAi || answered.has(entry.id)}
                isAwaitingApproval={isApproveMode && entry.asksAi && !answered.has(entry.id)}
                isContinuation={continues(visible[i - 1], entry)}
              />
            )
          })}
          {outbox.map(o => <PendingMessage key={o.clientMsgId} entry={o} onResend={onResend} onDiscard={onDiscard} />)}
          {entries.length === 0 && outbox.length === 0 && <p className='messages__empty'>{t.room.empty}</p>}
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
    previous.fromUserId === entry.fromUserId &&
    entry.timestamp - previous.timestamp < GROUP_GAP_MS
}
