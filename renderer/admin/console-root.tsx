/** Finds the admin token (desktop bridge or `#token=`), then opens the console, or says what is missing. */
import { useEffect, useMemo, useState } from 'react'
import { useAdminT } from '../shared/i18n/admin.js'
import { createAdminApi } from './api.js'
import { ConsoleApp } from './console-app.js'
import { resolveServerInfo, tokenFromHash, type ConsoleServerInfo } from './server-info.js'

type Resolved = { phase: 'loading' } | { phase: 'ready', info: ConsoleServerInfo } | { phase: 'missing' } | { phase: 'failed', message: string }

export function ConsoleRoot () {
  const t = useAdminT()
  const [resolved, setResolved] = useState<Resolved>({ phase: 'loading' })

  useEffect(() => {
    const resolve = (): void => {
      resolveServerInfo().then(
        info => setResolved(info ? { phase: 'ready', info } : { phase: 'missing' }),
        (err: unknown) => setResolved({ phase: 'failed', message: err instanceof Error ? err.message : String(err) })
      )
    }
    resolve()
    // Pasting the console link into a tab already on /admin/ only changes the fragment: read it.
    const onHash = (): void => { if (tokenFromHash(window.location.hash) !== null) resolve() }
    window.addEventListener('hashchange', onHash)
    return () => window.removeEventListener('hashchange', onHash)
  }, [])

  useEffect(() => { document.title = `MindWeb · ${t.title}` }, [t.title])

  // Keyed by the token: a new link starts a new console.
  if (resolved.phase === 'ready') return <ReadyConsole key={resolved.info.token} info={resolved.info} />
  return (
    <main className='splash'>
      <p className='brand'><span className='brand__mark' aria-hidden='true'>◆</span> MindWeb · {t.title}</p>
      {resolved.phase === 'loading' && <div className='splash__spinner' role='status' aria-label={t.loading} />}
      {resolved.phase === 'missing' && <p className='splash__error' role='alert'>{t.noToken}</p>}
      {resolved.phase === 'failed' && <p className='splash__error' role='alert'>{t.hostUnreachable} {resolved.message}</p>}
    </main>
  )
}

function ReadyConsole ({ info }: { info: ConsoleServerInfo }) {
  const api = useMemo(() => createAdminApi(info.baseUrl, info.token), [info.baseUrl, info.token])
  return <ConsoleApp api={api} token={info.token} />
}
