/** An honest line under the header whenever the room is not live, and a short "back online". */
import { useEffect, useRef, useState } from 'react'
import { useT } from '../../shared/i18n/index.js'
import { useNow } from '../../shared/chat/use-now.js'
import type { ConnectionStatus } from '../state/chat-connection.js'

interface ConnectionBannerProps {
  status: ConnectionStatus
  onReconnect: () => void
}

const BACK_ONLINE_MS = 2500

export function ConnectionBanner ({ status, onReconnect }: ConnectionBannerProps) {
  const t = useT()
  const { phase, retryAt } = status
  const now = useNow(1000, retryAt !== null)
  const [showBack, setShowBack] = useState(false)
  const wasDown = useRef(false)

  useEffect(() => {
    if (phase === 'reconnecting' || phase === 'offline') wasDown.current = true
    if (phase !== 'open' || !wasDown.current) return
    wasDown.current = false
    setShowBack(true)
    const timer = setTimeout(() => setShowBack(false), BACK_ONLINE_MS)
    return () => clearTimeout(timer)
  }, [phase])

  let text: string | null = null
  let tone = 'info'
  if (phase === 'connecting') text = t.connection.connecting
  if (phase === 'reconnecting') {
    const seconds = retryAt !== null ? Math.ceil((retryAt - now) / 1000) : 0
    text = seconds > 1 ? t.connection.reconnectingIn(seconds) : t.connection.reconnecting
    tone = 'warn'
  }
  if (phase === 'offline') { text = t.connection.offline; tone = 'offline' }
  if (phase === 'open' && showBack) { text = t.connection.backOnline; tone = 'ok' }

  return (
    <div className='banner-slot' role='status' aria-live='polite'>
      {text && (
        <div className={`banner banner--${tone}`}>
          <span>{text}</span>
          {(phase === 'reconnecting' || phase === 'offline') && (
            <button type='button' className='banner__action' onClick={onReconnect}>{t.connection.reconnectNow}</button>
          )}
        </div>
      )}
    </div>
  )
}
