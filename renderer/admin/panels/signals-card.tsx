/**
 * How the class is doing, beside the live room: how many said "I'm lost" or "got it" in the last
 * two minutes (the moment to ask the AI to explain again), and the raised hands, oldest first,
 * each lowered when taken. Read once, then followed from the admin socket's `signals` frames.
 */
import { useEffect, useState } from 'react'
import type { SignalsState } from '../../../server/protocol/index.js'
import { useNow } from '../../shared/chat/use-now.js'
import { useAdminT } from '../../shared/i18n/admin.js'
import { useToast } from '../components/toast.js'
import type { ConsolePanelProps } from './panel-props.js'

const NONE: SignalsState = { lost: 0, got_it: 0, hands: [] }

export function SignalsCard ({ api, socket }: Pick<ConsolePanelProps, 'api' | 'socket'>) {
  const t = useAdminT()
  const toast = useToast()
  const now = useNow(30_000, true)
  const [signals, setSignals] = useState<SignalsState>(NONE)

  useEffect(() => {
    let isLive = true
    api.signals().then(s => { if (isLive) setSignals(s) }, () => { /* shown from the next frame */ })
    const unsubscribe = socket.subscribe(frames => {
      for (const f of frames) {
        if (f.type === 'signals') setSignals({ lost: f.lost, got_it: f.got_it, hands: f.hands })
      }
    })
    return () => { isLive = false; unsubscribe() }
  }, [api, socket])

  const total = signals.lost + signals.got_it
  const lostShare = total === 0 ? 0 : Math.round(signals.lost * 100 / total)
  return (
    <section className='card signals-card' aria-labelledby='signals-h'>
      <h3 id='signals-h' className='card__title'>{t.signals.heading}</h3>
      <p className='signals-card__counts' aria-live='polite'>
        <span className={signals.lost > 0 ? 'signals-card__lost is-on' : 'signals-card__lost'}>😕 {t.signals.lost(signals.lost)}</span>
        <span className='signals-card__got'>👍 {t.signals.gotIt(signals.got_it)}</span>
      </p>
      {total > 0 && <span className='signals-card__meter' aria-hidden='true'><span style={{ width: `${lostShare}%` }} /></span>}
      <p className='help'>{t.signals.window}</p>
      <div className='signals-card__hands'>
        <p className='signals-card__hands-n'>✋ {t.signals.hands(signals.hands.length)}</p>
        {signals.hands.length > 0 && (
          <>
            <ol>
              {signals.hands.map(h => (
                <li key={h.user_id}>
                  <span className='signals-card__name'>{h.username}</span>
                  <span className='muted'>{t.signals.since(Math.floor((now - h.since) / 60_000))}</span>
                  <button type='button' className='btn btn--small' aria-label={t.signals.lowerName(h.username)} onClick={() => { api.lowerHand(h.user_id).catch(err => toast.fail(err)) }}>{t.signals.lower}</button>
                </li>
              ))}
            </ol>
            {signals.hands.length > 1 && <button type='button' className='btn btn--small' onClick={() => { api.clearHands().catch(err => toast.fail(err)) }}>{t.signals.clear}</button>}
          </>
        )}
      </div>
    </section>
  )
}
