/**
 * Room controls: lock, slow mode, a pinned announcement, who asks the AI, the fair-use limits (live,
 * with their defaults beside them) and a new lesson behind a confirm that says what happens.
 */
import { useState, type FormEvent } from 'react'
import { useAdminT } from '../../shared/i18n/admin.js'
import type { ConsolePanelProps } from './panel-props.js'
import { ConfirmDialog } from '../components/confirm-dialog.js'
import { useToast } from '../components/toast.js'
import type { Desktop } from '../hooks/use-desktop.js'
import { useSettings } from '../hooks/use-settings.js'
import type { AiMode, Limits, PhotosMode, RateLimit } from '../types.js'

const SLOW_MODE_CHOICES = [0, 5, 10, 30, 60, 120] as const
const AI_MODES: readonly AiMode[] = ['mention', 'all', 'approve', 'off']
const PHOTO_MODES: readonly PhotosMode[] = ['off', 'check', 'on']
const LIMIT_NAMES = ['chat_rate', 'ai_rate', 'room_ai_rate', 'join_rate'] as const

export function ControlsPanel ({ api, socket, desktop }: ConsolePanelProps & { desktop?: Desktop }) {
  const t = useAdminT()
  const toast = useToast()
  const room = socket.state.room
  const settings = useSettings(api, socket)
  const [isConfirmingSession, setIsConfirmingSession] = useState(false)
  const locked = settings.data?.locked ?? {}

  // The choice shows at once and says when the host has it; a refusal puts the old one back.
  // (it is shown while the room still reports the mode it replaces)
  const [pending, setPending] = useState<{ mode: AiMode, from: AiMode | undefined } | null>(null)
  const shownMode = pending !== null && room?.aiMode === pending.from ? pending.mode : room?.aiMode

  const setRoom = (body: { locked?: boolean, slow_mode_s?: number, announcement?: string, anonymous?: boolean, photos?: PhotosMode }): void => {
    api.setRoom(body).then(() => { socket.refreshStatus(); toast.notify({ text: t.controls.saved }) }, toast.fail)
  }
  const setAiMode = (mode: AiMode): void => {
    setPending({ mode, from: room?.aiMode })
    api.setAiMode(mode).then(() => {
      socket.refreshStatus()
      toast.notify({ text: t.controls.aiModeSaved(t.controls.aiModes[mode] ?? mode) })
    }, (err: unknown) => {
      setPending(null)
      toast.fail(err)
    })
  }

  return (
    <section className='panel controls' aria-labelledby='controls-h'>
      <h2 id='controls-h' className='panel__title'>{t.controls.heading}</h2>
      <div className='controls__grid'>
        <div className='card'>
          {settings.data && (
            <RoomNameForm
              key={settings.data.settings.room_name}
              current={settings.data.settings.room_name}
              lockedBy={locked.room_name ?? null}
              onSave={async (name) => {
                try {
                  await settings.save({ room_name: name })
                  socket.refreshStatus()
                  toast.notify({ text: t.controls.saved })
                } catch (err) { toast.fail(err) }
              }}
            />
          )}
          {settings.data && (
            <PinForm
              key={settings.data.settings.pin ?? ''}
              current={settings.data.settings.pin ?? null}
              lockedBy={locked.pin ?? null}
              onSave={async (pin) => {
                try {
                  await settings.save({ pin })
                  socket.refreshStatus()
                  toast.notify({ text: t.controls.saved })
                } catch (err) { toast.fail(err) }
              }}
            />
          )}
          <label className='switch'>
            <input type='checkbox' role='switch' checked={room?.locked ?? false} onChange={e => setRoom({ locked: e.target.checked })} />
            <span className='switch__label'>{t.controls.lock}</span>
          </label>
          <p className='help'>{t.controls.lockHelp}</p>

          <label className='switch'>
            <input type='checkbox' role='switch' checked={room?.anonymous ?? false} onChange={e => setRoom({ anonymous: e.target.checked })} />
            <span className='switch__label'>{t.controls.anonymous}</span>
          </label>
          <p className='help'>{t.controls.anonymousHelp}</p>

          <label className='field'>
            <span className='field__label'>{t.controls.slowMode}</span>
            <select value={room?.slowModeS ?? 0} onChange={e => setRoom({ slow_mode_s: Number(e.target.value) })}>
              {withCurrent(SLOW_MODE_CHOICES, room?.slowModeS ?? 0).map(s => <option key={s} value={s}>{s === 0 ? t.controls.off : t.controls.seconds(s)}</option>)}
            </select>
            <span className='help'>{t.controls.slowModeHelp}</span>
          </label>

          <AnnouncementForm key={room?.announcement ?? ''} current={room?.announcement ?? ''} onPin={text => setRoom({ announcement: text })} />
        </div>

        <fieldset className='card'>
          <legend className='card__title'>{t.controls.aiMode}</legend>
          {AI_MODES.map(mode => (
            <label key={mode} className='choice'>
              <input
                type='radio' name='ai-mode' value={mode} checked={shownMode === mode} disabled={locked.ai_mode !== undefined}
                onChange={() => setAiMode(mode)}
              />
              <span>{t.controls.aiModes[mode]}</span>
            </label>
          ))}
          {locked.ai_mode && <p className='note'>{t.controls.lockedBy(locked.ai_mode)}</p>}
        </fieldset>

        <fieldset className='card'>
          <legend className='card__title'>{t.controls.photos}</legend>
          {PHOTO_MODES.map(mode => (
            <label key={mode} className='choice'>
              <input type='radio' name='photos' value={mode} checked={room?.photos === mode} onChange={() => setRoom({ photos: mode })} />
              <span>{t.controls.photoModes[mode]}</span>
            </label>
          ))}
          <p className='help'>{t.controls.photosHelp}</p>
        </fieldset>

        {settings.data
          ? (
            <LimitsCard
              key={JSON.stringify(settings.data?.settings.limits ?? null)}
              limits={settings.data?.settings.limits ?? null}
              defaults={settings.data?.defaults ?? null}
              locked={locked}
              onSave={async (limits) => {
                try {
                  await settings.save({ limits })
                  toast.notify({ text: t.controls.saved })
                } catch (err) { toast.fail(err) }
              }}
            />
            )
          : <div className='card'><h3 className='card__title'>{t.controls.limits}</h3><p className='muted' role='status'>{t.loadingShort}</p></div>}

        {desktop?.info && desktop.setOpenAtLogin && (
          <div className='card'>
            <label className='switch'>
              <input
                type='checkbox' role='switch' checked={desktop.info.openAtLogin}
                onChange={e => { desktop.setOpenAtLogin?.(e.target.checked).catch(toast.fail) }}
              />
              <span className='switch__label'>{t.controls.openAtLogin}</span>
            </label>
            <p className='help'>{t.controls.openAtLoginHelp}</p>
          </div>
        )}

        <div className='card card--danger-zone'>
          <h3 className='card__title'>{t.controls.newSession}</h3>
          <p className='help'>{t.controls.newSessionHelp}</p>
          <button type='button' className='btn btn--danger' onClick={() => setIsConfirmingSession(true)}>{t.controls.newSession}</button>
        </div>
      </div>
      {isConfirmingSession && (
        <ConfirmDialog
          title={t.controls.newSessionTitle}
          confirmLabel={t.controls.newSessionConfirm}
          onCancel={() => setIsConfirmingSession(false)}
          onConfirm={() => {
            setIsConfirmingSession(false)
            // A new lesson also starts the AI on a fresh conversation: the last lesson's context is not this one's.
            api.newSession().then(() => api.resetConversation()).then(() => socket.refreshStatus(), toast.fail)
          }}
        >
          <p>{t.controls.newSessionBody}</p>
        </ConfirmDialog>
      )}
    </section>
  )
}

interface LimitsCardProps {
  limits: Limits | null
  defaults: Limits | null
  /** Setting name → launch flag; a limit may be fixed alone or with all of them (`limits`). */
  locked: Record<string, string>
  onSave: (limits: Limits) => Promise<void>
}

function LimitsCard ({ limits, defaults, locked, onSave }: LimitsCardProps) {
  const t = useAdminT()
  // Keyed by the saved limits: a save or another window's change starts a fresh draft.
  const [draft, setDraft] = useState<Limits | null>(limits)
  const [isSaving, setIsSaving] = useState(false)

  const set = (name: keyof Limits, part: keyof RateLimit, value: string): void => {
    if (!draft) return
    setDraft({ ...draft, [name]: { ...draft[name], [part]: Number(value) } })
  }
  const lockOf = (name: string): string | null => locked[name] ?? locked[`limits.${name}`] ?? locked.limits ?? null
  // One launch flag (e.g. --limits off) usually fixes them all: say it once.
  const locks = LIMIT_NAMES.map(lockOf)
  const lockedBy = locks.every(l => l !== null && l === locks[0]) ? locks[0]! : null
  const isChanged = draft !== null && limits !== null && JSON.stringify(draft) !== JSON.stringify(limits)

  return (
    <form
      className='card limits'
      onSubmit={(e) => {
        e.preventDefault()
        if (!draft) return
        setIsSaving(true)
        onSave(draft).finally(() => setIsSaving(false))
      }}
    >
      <h3 className='card__title'>{t.controls.limits}</h3>
      <p className='help'>{t.controls.limitsHelp}</p>
      {lockedBy && <p className='note'>{t.controls.lockedBy(lockedBy)}</p>}
      {draft && LIMIT_NAMES.map(name => {
        const label = t.controls.limitNames[name] ?? name
        const d = defaults?.[name]
        const lock = lockOf(name)
        return (
          <div key={name} className='limit-row'>
            <span className='limit-row__name' id={`limit-${name}`}>{label}</span>
            <input
              type='number' min={1} max={100000} required value={draft[name].count} disabled={lock !== null}
              aria-label={t.controls.countLabel(label)} onChange={e => set(name, 'count', e.target.value)}
            />
            <span className='muted'>{t.controls.per}</span>
            <input
              type='number' min={1} max={86400} required value={draft[name].per_s} disabled={lock !== null}
              aria-label={t.controls.windowLabel(label)} onChange={e => set(name, 'per_s', e.target.value)}
            />
            <span className='muted'>s</span>
            {d && <span className='limit-row__default'>{t.controls.defaultIs(d.count, d.per_s)}</span>}
            {lock && lock !== lockedBy && <span className='limit-row__lock'>{t.controls.lockedBy(lock)}</span>}
          </div>
        )
      })}
      <div className='field__row'>
        <button type='submit' className='btn btn--primary' disabled={!isChanged || isSaving || lockedBy !== null}>{t.controls.saveLimits}</button>
        {defaults && <button type='button' className='btn' disabled={lockedBy !== null} onClick={() => setDraft(defaults)}>{t.controls.resetDefaults}</button>}
      </div>
    </form>
  )
}

function RoomNameForm ({ current, lockedBy, onSave }: { current: string, lockedBy: string | null, onSave: (name: string) => Promise<void> }) {
  const t = useAdminT()
  // Keyed by the saved name: a save (here or elsewhere) starts the field from it.
  const [name, setName] = useState(current)
  const submit = (e: FormEvent): void => {
    e.preventDefault()
    onSave(name.trim()).catch(() => { /* the toast said why */ })
  }
  return (
    <form className='field' onSubmit={submit}>
      <label className='field__label' htmlFor='room-name'>{t.controls.roomName}</label>
      <div className='field__row'>
        <input id='room-name' type='text' maxLength={64} value={name} disabled={lockedBy !== null} onChange={e => setName(e.target.value)} />
        <button type='submit' className='btn' disabled={lockedBy !== null || name.trim() === '' || name.trim() === current}>{t.controls.rename}</button>
      </div>
      {lockedBy ? <span className='note'>{t.controls.lockedBy(lockedBy)}</span> : <span className='help'>{t.controls.roomNameHelp}</span>}
    </form>
  )
}

/** The join PIN: 4-8 digits, or empty for none (the host checks it too). */
export function PinForm ({ current, lockedBy, onSave }: { current: string | null, lockedBy: string | null, onSave: (pin: string) => Promise<void> }) {
  const t = useAdminT()
  // Keyed by the saved PIN: a save (here or elsewhere) starts the field from it.
  const [pin, setPin] = useState(current ?? '')
  const value = pin.trim()
  const isValid = value === '' || /^[0-9]{4,8}$/.test(value)
  const isChanged = value !== (current ?? '')
  const submit = (e: FormEvent): void => {
    e.preventDefault()
    if (!isValid) return
    onSave(value).catch(() => { /* the toast said why */ })
  }
  return (
    <form className='field' onSubmit={submit} noValidate>
      <label className='field__label' htmlFor='join-pin'>{t.controls.joinPin}</label>
      <div className='field__row'>
        <input
          id='join-pin' type='text' inputMode='numeric' autoComplete='off' maxLength={8} value={pin} disabled={lockedBy !== null}
          aria-invalid={!isValid} aria-describedby='join-pin-help' onChange={e => setPin(e.target.value)}
        />
        <button type='submit' className='btn' disabled={lockedBy !== null || !isValid || !isChanged}>{t.controls.joinPinSet}</button>
        {current !== null && lockedBy === null && <button type='button' className='btn' onClick={() => { onSave('').catch(() => {}) }}>{t.controls.joinPinRemove}</button>}
      </div>
      {lockedBy
        ? <span className='note' id='join-pin-help'>{t.controls.lockedBy(lockedBy)}</span>
        : isValid
          ? <span className='help' id='join-pin-help'>{t.controls.joinPinHelp}</span>
          : <span className='note note--error' id='join-pin-help' role='alert'>{t.controls.joinPinInvalid}</span>}
    </form>
  )
}

function AnnouncementForm ({ current, onPin }: { current: string, onPin: (text: string) => void }) {
  const t = useAdminT()
  // Keyed by the pinned text: when it changes (here or elsewhere) the field starts from it.
  const [text, setText] = useState(current)
  const submit = (e: FormEvent): void => {
    e.preventDefault()
    onPin(text.trim())
  }
  return (
    <form className='field' onSubmit={submit}>
      <label className='field__label' htmlFor='announcement'>{t.controls.announcement}</label>
      <div className='field__row'>
        <input id='announcement' type='text' maxLength={500} value={text} placeholder={t.controls.announcementPlaceholder} onChange={e => setText(e.target.value)} />
        <button type='submit' className='btn btn--primary' disabled={text.trim() === current}>{t.controls.pin}</button>
        {current !== '' && <button type='button' className='btn' onClick={() => onPin('')}>{t.controls.clear}</button>}
      </div>
      <span className='help'>{t.controls.announcementHelp}</span>
    </form>
  )
}

function withCurrent (choices: readonly number[], current: number): number[] {
  return choices.includes(current) ? [...choices] : [...choices, current].sort((a, b) => a - b)
}
