/** The activity log: every action taken from the console, as a sentence, newest first, live. */
import { formatTime } from '../../shared/format.js'
import { useT } from '../../shared/i18n/index.js'
import { useAdminT } from '../../shared/i18n/admin.js'
import type { ConsolePanelProps } from './panel-props.js'
import { auditSentence } from './audit-text.js'

export function AuditPanel ({ socket }: ConsolePanelProps) {
  const t = useAdminT()
  const base = useT()
  const entries = socket.state.audit
  return (
    <section className='panel' aria-labelledby='audit-h'>
      <h2 id='audit-h' className='panel__title'>{t.audit.heading}</h2>
      <p className='muted'>{t.audit.intro}</p>
      {entries.length === 0
        ? <p className='empty'>{t.audit.none}</p>
        : (
          <div className='table-wrap' tabIndex={0} role='region' aria-labelledby='audit-h'>
            <table className='table'>
              <thead><tr><th scope='col'>{t.audit.when}</th><th scope='col'>{t.audit.action}</th></tr></thead>
              <tbody>
                {entries.map(e => (
                  <tr key={e.id}>
                    <td className='nowrap'>{formatTime(e.at, base.locale)}</td>
                    {/* the action's code stays at hand for scripts and support, out of the way */}
                    <td title={e.action}>{auditSentence(e, t.audit.say)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          )}
    </section>
  )
}
