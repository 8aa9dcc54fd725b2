/**
 * Getting people in: the join address as a large QR code and as text with a copy button, the port,
 * the PIN, and, when this computer has several addresses, which one the code shows (the host's
 * order: the address on the default route first, virtual and loopback last).
 */
import { useState } from 'react'
import { useAdminT } from '../../shared/i18n/admin.js'
import { copyText } from '../../shared/markdown/copy-text.js'
import { QrCode } from '../components/qr-code.js'
import type { Desktop } from '../hooks/use-desktop.js'
import type { Network } from '../hooks/use-network.js'

interface InvitePanelProps {
  network: Network
  /** The full section (big code, every address); else the compact card beside the live room. */
  isLarge?: boolean
  onShowBig?: () => void
  /** The desktop app's own notes (port fallback, firewall), when it runs in the app. */
  desktop?: Desktop
}

export function InvitePanel ({ network, isLarge = false, onShowBig, desktop }: InvitePanelProps) {
  const t = useAdminT()
  const [copied, setCopied] = useState<'ok' | 'failed' | null>(null)
  const { info, chosen } = network

  const copy = async (url: string): Promise<void> => {
    const ok = await copyText(url)
    setCopied(ok ? 'ok' : 'failed')
    setTimeout(() => setCopied(null), 2000)
  }

  const addresses = info?.addresses ?? []
  const warnings = [...(info?.diagnostics ?? []), ...(desktop?.info?.diagnostics ?? [])].filter(d => d.level === 'warn')
  const fallbackFrom = desktop?.info?.portFallbackFrom ?? null

  return (
    <section className={isLarge ? 'panel invite invite--large' : 'card invite invite--compact'} aria-labelledby='invite-h'>
      <h2 id='invite-h' className={isLarge ? 'panel__title' : 'card__title'}>{t.invite.heading}</h2>
      {isLarge && <p className='muted'>{t.invite.intro}</p>}
      {network.error && !info && <p className='note note--error' role='alert'>{network.error}</p>}
      {info && !chosen && <p className='note note--warn'>{t.invite.noAddress}</p>}
      {chosen && (
        <div className='invite__body'>
          <QrCode text={chosen.url} label={t.invite.qrLabel(chosen.url)} className={isLarge ? 'qr--large' : 'qr--small'} />
          <div className='invite__text'>
            <p className='invite__url' data-testid='join-url'>{chosen.url}</p>
            <div className='invite__actions'>
              <button type='button' className='btn btn--primary' onClick={() => { copy(chosen.url).catch(() => setCopied('failed')) }}>
                {copied === 'ok' ? `✓ ${t.invite.copied}` : t.invite.copy}
              </button>
              {!isLarge && onShowBig && <button type='button' className='btn' onClick={onShowBig}>{t.invite.showBig}</button>}
            </div>
            {copied === 'failed' && <p className='note note--warn'>{t.invite.copyFailed}</p>}
            <dl className='invite__facts'>
              <div><dt>{t.invite.port}</dt><dd className='mono'>{info?.port}</dd></div>
              <div>
                <dt>{t.invite.pin}</dt>
                <dd>{info?.pin ? <span className='invite__pin mono'>{info.pin}</span> : <span className='muted'>{t.invite.noPin}</span>}</dd>
              </div>
            </dl>
            {fallbackFrom !== null && info && <p className='note'>{t.invite.portFallback(fallbackFrom, info.port)}</p>}
            {chosen.kind === 'loopback' && !(isLarge && warnings.length > 0) && <p className='note note--warn'>{t.invite.onlyLoopback}</p>}
          </div>
        </div>
      )}
      {isLarge && addresses.length > 1 && (
        <fieldset className='invite__choices'>
          <legend>{t.invite.chooseAddress}</legend>
          {addresses.map(a => (
            <label key={a.url} className={a.kind === 'lan' ? 'choice' : 'choice choice--dim'}>
              <input type='radio' name='join-address' value={a.url} checked={chosen?.url === a.url} onChange={() => network.choose(a.url)} />
              <span className='choice__url mono'>{a.url}</span>
              <span className='choice__meta'>
                {a.interface} · {t.invite.kind[a.kind] ?? a.kind}
                {a.is_default && <strong className='choice__rec'> · {t.invite.recommended}</strong>}
              </span>
            </label>
          ))}
        </fieldset>
      )}
      {isLarge && warnings.map(w => <p key={w.code} className='note note--warn'>{w.message}</p>)}
    </section>
  )
}
