/**
 * Everyone of this session, online first: messages sent, mute for 5/15/60 min, remove, ban, each
 * with undo where it makes sense (mute, ban) and a confirm where it does not (remove, ban). The
 * list is searchable and virtualised, so a room of hundreds scrolls as smoothly as a class of 30.
 */
import { useVirtualizer } from '@tanstack/react-virtual'
import { memo, useCallback, useDeferredValue, useEffect, useMemo, useRef, useState } from 'react'
import { Avatar } from '../../shared/chat/avatar.js'
import { useNow } from '../../shared/chat/use-now.js'
import { formatTime } from '../../shared/format.js'
import { useT } from '../../shared/i18n/index.js'
import { useAdminT } from '../../shared/i18n/admin.js'
import type { AdminApi } from '../api.js'
import type { ConsolePanelProps } from './panel-props.js'
import { ConfirmDialog } from '../components/confirm-dialog.js'
import { useToast } from '../components/toast.js'
import { filterParticipants, sortedParticipants } from '../state/console-state.js'
import type { AdminParticipant, Ban } from '../types.js'

const MUTE_MINUTES = [5, 15, 60] as const
const ROW_PX = 60

type Pending = { kind: 'kick' | 'ban', person: AdminParticipant } | null

export function PeoplePanel ({ api, socket }: ConsolePanelProps) {
  const t = useAdminT()
  const toast = useToast()
  const [query, setQuery] = useState('')
  const [scope, setScope] = useState<'session' | 'online'>('session')
  const [pending, setPending] = useState<Pending>(null)
  const [bans, setBans] = useState<Ban[]>([])
  const deferredQuery = useDeferredValue(query)
  const { participants } = socket.state
  const { refreshPeople } = socket
  const now = useNow(15_000, true)

  const sorted = useMemo(() => sortedParticipants(participants), [participants])
  // Removed and banned people are folded away below: someone who joins again under the same name
  // must not look like a second live row of one person.
  const all = useMemo(() => sorted.filter(p => !p.removed), [sorted])
  const removed = useMemo(() => sorted.filter(p => p.removed), [sorted])
  const inScope = useMemo(() => scope === 'online' ? all.filter(p => p.online) : all, [all, scope])
  const shown = useMemo(() => filterParticipants(inScope, deferredQuery), [inScope, deferredQuery])

  const loadBans = useCallback(() => { api.bans().then(r => setBans(r.bans), () => { /* the list stays */ }) }, [api])
  useEffect(() => { loadBans() }, [loadBans])
  // The list follows the socket; one fresh read when the section opens covers anything missed.
  useEffect(() => { refreshPeople() }, [refreshPeople])

  const actions = useMemo(() => peopleActions(api, t, toast, () => { refreshPeople(); loadBans() }), [api, t, toast, refreshPeople, loadBans])

  const { mute: handleMute, unban: handleUnban } = actions
  const scrollRef = useRef<HTMLDivElement>(null)
  // eslint-disable-next-line react-hooks/incompatible-library -- the virtualizer's own hook; its values are read during render only
  const virtualizer = useVirtualizer({ count: shown.length, getScrollElement: () => scrollRef.current, estimateSize: () => ROW_PX, overscan: 8 })

  return (
    <section className='panel people' aria-labelledby='people-h'>
      <div className='panel__head'>
        <h2 id='people-h' className='panel__title'>{t.people.heading}</h2>
        <span className='muted'>{t.people.countOf(shown.length, all.length)}</span>
      </div>
      <div className='people__tools'>
        <label className='field field--inline people__search'>
          <span className='visually-hidden'>{t.people.search}</span>
          <input type='search' placeholder={t.people.search} value={query} onChange={e => setQuery(e.target.value)} />
        </label>
        <div className='segmented' role='group' aria-label={t.people.heading}>
          {(['session', 'online'] as const).map(s => (
            <button key={s} type='button' aria-pressed={scope === s} onClick={() => setScope(s)}>{t.people.scope[s]}</button>
          ))}
        </div>
      </div>
      {all.length === 0 && <p className='empty'>{t.people.none}</p>}
      {all.length > 0 && shown.length === 0 && <p className='empty'>{t.people.noMatch}</p>}
      <div className='people__scroll' ref={scrollRef}>
        <ul className='people__list' style={{ height: virtualizer.getTotalSize() }}>
          {virtualizer.getVirtualItems().map(item => {
            const person = shown[item.index]!
            return (
              <li key={person.user_id} className='person-slot' style={{ transform: `translateY(${item.start}px)`, height: ROW_PX }}>
                <PersonRow person={person} now={now} onMute={handleMute} onUnban={handleUnban} onAsk={setPending} />
              </li>
            )
          })}
        </ul>
      </div>
      {removed.length > 0 && (
        <details className='bans people__removed'>
          <summary>{t.people.removedGroup(removed.length)}</summary>
          <ul className='people__removed-list'>
            {removed.map(person => (
              <li key={person.user_id}>
                <PersonRow person={person} now={now} onMute={handleMute} onUnban={handleUnban} onAsk={setPending} />
              </li>
            ))}
          </ul>
        </details>
      )}
      {bans.length > 0 && (
        <details className='bans'>
          <summary>{t.people.bans} ({bans.length})</summary>
          <ul>
            {bans.map(b => (
              <li key={b.address} className='bans__row'>
                <span className='mono'>{b.address}</span>
                <span>{b.username ?? ''}</span>
                <button type='button' className='btn btn--small' onClick={() => actions.unbanAddress(b)}>{t.people.unban}</button>
              </li>
            ))}
          </ul>
        </details>
      )}
      {pending && (
        <ConfirmDialog
          title={pending.kind === 'kick' ? t.people.kickTitle(pending.person.username) : t.people.banTitle(pending.person.username)}
          confirmLabel={pending.kind === 'kick' ? t.people.kick : t.people.ban}
          isDanger
          onCancel={() => setPending(null)}
          onConfirm={() => {
            const { kind, person } = pending
            setPending(null)
            if (kind === 'kick') actions.kick(person)
            else actions.ban(person)
          }}
        >
          <p>{pending.kind === 'kick' ? t.people.kickBody : t.people.banBody}</p>
        </ConfirmDialog>
      )}
    </section>
  )
}

interface PersonRowProps {
  person: AdminParticipant
  now: number
  onMute: (person: AdminParticipant, minutes: number) => void
  onUnban: (person: AdminParticipant) => void
  onAsk: (pending: Pending) => void
}

const PersonRow = memo(function PersonRow ({ person, now, onMute, onUnban, onAsk }: PersonRowProps) {
  const t = useAdminT()
  const base = useT()
  const [isMuteOpen, setIsMuteOpen] = useState(false)
  const isMuted = person.muted_until !== null && person.muted_until > now
  const name = person.username

  return (
    <div className={person.online ? 'person' : 'person person--offline'} data-user-id={person.user_id}>
      <Avatar emoji={person.emoji} userId={person.user_id} />
      <div className='person__main'>
        <span className='person__name'>{name}</span>
        <span className='person__meta'>
          <span className={person.online ? 'dot dot--on' : 'dot'} aria-hidden='true' />
          {person.online ? t.people.online : t.people.offline} · {t.people.messages(person.message_count)}
          {isMuted && <span className='tag tag--warn'>{t.people.mutedUntil(formatTime(person.muted_until!, base.locale))}</span>}
          {person.banned && <span className='tag tag--danger'>{t.people.banned}</span>}
          {person.removed && !person.banned && <span className='tag'>{t.people.removed}</span>}
        </span>
      </div>
      <div className='person__actions' role='group' aria-label={t.people.actionsFor(name)}>
        {person.banned
          ? <button type='button' className='btn btn--small' onClick={() => onUnban(person)}>{t.people.unban}</button>
          : (
            <>
              {!person.removed && isMuted && <button type='button' className='btn btn--small' onClick={() => onMute(person, 0)}>{t.people.unmute}</button>}
              {!person.removed && !isMuted && !isMuteOpen && (
                <button type='button' className='btn btn--small' aria-expanded={false} aria-label={t.people.muteMenu(name)} onClick={() => setIsMuteOpen(true)}>
                  {t.people.mute}
                </button>
              )}
              {!person.removed && !isMuted && isMuteOpen && MUTE_MINUTES.map(min => (
                <button
                  key={min}
                  type='button'
                  className='btn btn--small'
                  // The first choice takes the focus the "Mute" button had.
                  autoFocus={min === MUTE_MINUTES[0]}
                  onClick={() => { setIsMuteOpen(false); onMute(person, min) }}
                  onKeyDown={e => { if (e.key === 'Escape') setIsMuteOpen(false) }}
                >
                  {t.people.muteFor(min)}
                </button>
              ))}
              {!person.removed && <button type='button' className='btn btn--small' onClick={() => onAsk({ kind: 'kick', person })}>{t.people.kick}</button>}
              <button type='button' className='btn btn--small btn--danger-text' onClick={() => onAsk({ kind: 'ban', person })}>{t.people.ban}</button>
            </>
            )}
      </div>
    </div>
  )
})

type Messages = ReturnType<typeof useAdminT>
type Toast = ReturnType<typeof useToast>

function peopleActions (api: AdminApi, t: Messages, toast: Toast, refresh: () => void) {
  const run = <T,>(call: Promise<T>, done: (result: T) => void): void => {
    call.then((result) => { done(result); refresh() }, toast.fail)
  }
  const mute = (p: AdminParticipant, minutes: number): void => run(api.mute(p.user_id, minutes), () => {
    if (minutes === 0) toast.notify({ text: t.people.unmutedToast(p.username) })
    else toast.notify({ text: t.people.mutedToast(p.username, minutes), undo: () => mute(p, 0) })
  })
  const unban = (p: AdminParticipant): void => run(api.unban(p.user_id), () => toast.notify({ text: t.people.unbannedToast(p.username) }))
  return {
    mute,
    unban,
    kick: (p: AdminParticipant): void => run(api.kick(p.user_id), () => toast.notify({ text: t.people.kickedToast(p.username) })),
    // the others on that address were removed with them: the toast says how many, the undo lifts only the ban
    ban: (p: AdminParticipant): void => run(api.ban(p.user_id), (r) => toast.notify({ text: t.people.bannedToast(p.username, Math.max(0, r.removed_count - 1)), undo: () => unban(p) })),
    unbanAddress: (b: Ban): void => run(api.unbanAddress(b.address), () => toast.notify({ text: t.people.unbannedToast(b.username ?? b.address) }))
  }
}
