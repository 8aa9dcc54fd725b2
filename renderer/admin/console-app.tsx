/**
 * The console's frame: a header with the room's state at a glance, a section list on the left and
 * the chosen section. The live socket lives here so every section sees the same room.
 */
import { useEffect, useState, type ComponentType } from 'react'
import { useAdminT } from '../shared/i18n/admin.js'
import type { AdminApi } from './api.js'
import { ToastProvider } from './components/toast.js'
import { useAdminSocket } from './hooks/use-admin-socket.js'
import { useDesktop } from './hooks/use-desktop.js'
import { useNetwork } from './hooks/use-network.js'
import { AiPanel } from './panels/ai-panel.js'
import { AuditPanel } from './panels/audit-panel.js'
import { ControlsPanel } from './panels/controls-panel.js'
import { InvitePanel } from './panels/invite-panel.js'
import type { ConsolePanelProps } from './panels/panel-props.js'
import { PeoplePanel } from './panels/people-panel.js'
import { PollsPanel } from './panels/polls-panel.js'
import { RoomPanel } from './panels/room-panel.js'
import { StatsPanel } from './panels/stats-panel.js'
import { forgetKeptToken } from './server-info.js'
import { QuestionsPanel as GateQuestionsPanel } from './gate/questions-panel.js'
import { useWaitingCount } from './gate/use-waiting-count.js'

// The teacher's question queue (renderer/admin/gate/).
const QuestionsPanel: ComponentType<ConsolePanelProps> | null = GateQuestionsPanel

const SECTIONS = ['room', 'people', 'invite', 'questions', 'polls', 'controls', 'ai', 'stats', 'audit'] as const
type Section = typeof SECTIONS[number]

export function ConsoleApp ({ api, token }: { api: AdminApi, token: string }) {
  const t = useAdminT()
  const socket = useAdminSocket(api, token)
  // questions waiting for the host, on the navigation wherever the host is
  const waiting = useWaitingCount(socket.subscribe, token)
  const network = useNetwork(api)
  const desktop = useDesktop()
  const [section, setSection] = useState<Section>(readSection)
  const { state, phase } = socket

  useEffect(() => {
    const onHash = (): void => setSection(readSection())
    window.addEventListener('hashchange', onHash)
    return () => window.removeEventListener('hashchange', onHash)
  }, [])

  useEffect(() => { if (phase === 'refused') forgetKeptToken() }, [phase])

  const go = (next: Section): void => {
    setSection(next)
    window.history.replaceState(window.history.state, '', `#${next}`)
  }

  const online = [...state.participants.values()].filter(p => p.online).length
  const props: ConsolePanelProps = { api, socket, token }

  return (
    <ToastProvider>
      <div className='console'>
        <header className='console__header'>
          <p className='brand'><span className='brand__mark' aria-hidden='true'>◆</span> MindWeb</p>
          <h1 className='console__room'>{state.room?.name ?? t.title}</h1>
          <span className={`phase phase--${phase}`} role='status'>
            <span className='phase__dot' aria-hidden='true' />{t.phase[phase]}
          </span>
          <span className='console__spacer' />
          {state.room?.locked && <span className='badge badge--warn'>🔒 {t.locked}</span>}
          {(state.room?.slowModeS ?? 0) > 0 && <span className='badge'>{t.slowMode(state.room?.slowModeS ?? 0)}</span>}
          {state.room?.anonymous === true && <span className='badge'><span aria-hidden='true'>🕶️ </span>{t.anonymousBadge}</span>}
          <span className='console__online'>
            <strong className='console__online-n'>{state.online}</strong> {t.onlineNow}
            <span className='console__peak'> · {t.peak(state.peak)}</span>
          </span>
        </header>
        {phase === 'refused' && <p className='console__refused' role='alert'>{t.refused}</p>}
        <nav className='console__nav' aria-label={t.nav.label}>
          <ul>
            {SECTIONS.map(s => (
              <li key={s}>
                <button type='button' className='nav-item' aria-current={section === s ? 'page' : undefined} onClick={() => go(s)}>
                  <span className='nav-item__icon' aria-hidden='true'>{ICONS[s]}</span>
                  <span className='nav-item__label'>{t.nav[s]}</span>
                  {s === 'people' && <span className='nav-item__count'>{online}</span>}
                  {s === 'questions' && waiting > 0 && <span className='nav-item__count nav-item__count--waiting'>{waiting}</span>}
                </button>
              </li>
            ))}
          </ul>
        </nav>
        <main className='console__main' id='console-main'>
          {section === 'room' && <RoomPanel {...props} network={network} desktop={desktop} onShowInvite={() => go('invite')} />}
          {section === 'people' && <PeoplePanel {...props} />}
          {section === 'invite' && <InvitePanel network={network} desktop={desktop} isLarge />}
          {section === 'questions' && (QuestionsPanel ? <QuestionsPanel {...props} /> : <QuestionsSlot />)}
          {section === 'polls' && <PollsPanel {...props} />}
          {section === 'controls' && <ControlsPanel {...props} desktop={desktop} />}
          {section === 'ai' && <AiPanel {...props} />}
          {section === 'stats' && <StatsPanel {...props} />}
          {section === 'audit' && <AuditPanel {...props} />}
        </main>
      </div>
    </ToastProvider>
  )
}

const ICONS: Record<Section, string> = {
  room: '💬', people: '👥', invite: '▦', questions: '❓', polls: '📊', controls: '⚙', ai: '✨', stats: '📈', audit: '🧾'
}

function QuestionsSlot () {
  const t = useAdminT()
  return (
    <section className='panel' aria-labelledby='questions-h'>
      <h2 id='questions-h' className='panel__title'>{t.questions.heading}</h2>
      <p className='muted'>{t.questions.pending}</p>
    </section>
  )
}

function readSection (): Section {
  const name = window.location.hash.replace(/^#/, '')
  return (SECTIONS as readonly string[]).includes(name) ? name as Section : 'room'
}
