/**
 * "I'm lost", "Got it" and "Raise hand" above the message box: one press tells the host, another
 * takes it back. Lost and got it replace each other and run out after two minutes (the server says
 * so); the host may lower a hand.
 */
import { useState, type KeyboardEvent } from 'react'
import { useT } from '../../shared/i18n/index.js'
import type { SignalKind } from '../../../server/protocol/index.js'
import type { MySignals } from '../hooks/use-chat-socket.js'

const KINDS: readonly SignalKind[] = ['lost', 'got_it', 'hand']

export function SignalButtons ({ mine, onSignal }: { mine: MySignals, onSignal: (kind: SignalKind, on: boolean) => void }) {
  const t = useT().signals
  // A toolbar: one Tab stop (the message box stays close), the arrow keys move between the three.
  const [current, setCurrent] = useState<SignalKind>('lost')
  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>): void => {
    const step = e.key === 'ArrowRight' ? 1 : e.key === 'ArrowLeft' ? -1 : 0
    if (step === 0) return
    e.preventDefault()
    const next = KINDS[(KINDS.indexOf(current) + step + KINDS.length) % KINDS.length]!
    setCurrent(next)
    e.currentTarget.querySelector<HTMLButtonElement>(`[data-kind='${next}']`)?.focus()
  }
  const button = (kind: SignalKind, icon: string, label: string, isOn: boolean, onLabel = label) => (
    <button
      type='button'
      data-kind={kind}
      tabIndex={kind === current ? 0 : -1}
      className={isOn ? 'signal-button is-on' : 'signal-button'}
      aria-pressed={isOn}
      onFocus={() => setCurrent(kind)}
      onClick={() => onSignal(kind, !isOn)}
    >
      <span aria-hidden='true'>{icon} </span>{isOn ? onLabel : label}
    </button>
  )
  return (
    <div className='signals' role='toolbar' aria-label={t.label} title={t.note} onKeyDown={onKeyDown}>
      {button('lost', '😕', t.lost, mine.feeling === 'lost')}
      {button('got_it', '👍', t.gotIt, mine.feeling === 'got_it')}
      {button('hand', '✋', t.hand, mine.hand, t.handUp)}
    </div>
  )
}
