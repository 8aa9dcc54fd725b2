/** Name, emoji and (when asked) PIN, then one Join button. Errors show next to what caused them. */
import { useId, useState, type FormEvent } from 'react'
import type { RoomInfoResponse } from '../../../server/protocol/index.js'
import { ApiError, ERR_NETWORK, joinRoom } from '../../shared/api.js'
import { useT, type Messages } from '../../shared/i18n/index.js'
import { suggestIdentity } from '../../shared/names.js'
import { loadProfile, type Session } from '../../shared/session-store.js'
import { checkPin, checkUsername } from '../../shared/validate-name.js'
import { EmojiPicker } from './emoji-picker.js'

interface JoinFormProps {
  info: RoomInfoResponse
  /** `renamedFrom`: the name asked for, when the host gave another one. */
  onJoined: (session: Session, renamedFrom: string | null) => void
}

interface Problems {
  name?: string
  pin?: string
  form?: string
}

export function JoinForm ({ info, onJoined }: JoinFormProps) {
  const t = useT()
  const ids = useId()
  const [initial] = useState(() => loadProfile() ?? suggestIdentity(t))
  const [username, setUsername] = useState(initial.username)
  const [emoji, setEmoji] = useState(initial.emoji)
  const [pin, setPin] = useState('')
  // The host may set a PIN after this page asked: the answer to joining says so, and the field appears.
  const [hasPinError, setHasPinError] = useState(false)
  const isPinRequired = info.pin_required || hasPinError
  const [problems, setProblems] = useState<Problems>({})
  const [isBusy, setIsBusy] = useState(false)

  const shuffle = (): void => {
    const next = suggestIdentity(t)
    setUsername(next.username)
    setEmoji(next.emoji)
    setProblems({})
  }

  const onSubmit = async (event: FormEvent): Promise<void> => {
    event.preventDefault()
    const { name, problem } = checkUsername(username, t)
    const pinProblem = isPinRequired ? checkPin(pin, t) : null
    if (problem || pinProblem) {
      setProblems({ name: problem ?? undefined, pin: pinProblem ?? undefined })
      return
    }
    setProblems({})
    setIsBusy(true)
    try {
      const joined = await joinRoom({ username: name, emoji, ...(isPinRequired ? { pin: pin.trim() } : {}) })
      // CONTRACT.md "Names across lessons": the host may have given another name.
      const rename = joined as { renamed?: boolean, requested_username?: string }
      const renamedFrom = rename.renamed === true && joined.username !== name ? (rename.requested_username ?? name) : null
      onJoined({ token: joined.token, userId: joined.user_id, username: joined.username, emoji: joined.emoji }, renamedFrom)
    } catch (err) {
      const next = problemsFor(err, t)
      if (next.pin !== undefined) setHasPinError(true)
      setProblems(next)
      setIsBusy(false)
    }
  }

  const nameError = problems.name ? `${ids}-name-error` : undefined
  const pinError = problems.pin ? `${ids}-pin-error` : undefined
  return (
    <form className='join-form' onSubmit={e => { onSubmit(e).catch(() => setIsBusy(false)) }} noValidate>
      <div className='field'>
        <label className='field__label' htmlFor={`${ids}-name`}>{t.join.nameLabel}</label>
        <div className='field__row'>
          <input
            id={`${ids}-name`}
            className='input'
            value={username}
            onChange={e => setUsername(e.target.value)}
            autoComplete='nickname'
            enterKeyHint='go'
            aria-invalid={problems.name ? true : undefined}
            aria-describedby={nameError ?? `${ids}-name-hint`}
          />
          <button type='button' className='icon-button' onClick={shuffle} aria-label={t.join.shuffle} title={t.join.shuffle}>🎲</button>
        </div>
        {problems.name
          ? <p id={nameError} className='field__error' role='alert'>{problems.name}</p>
          : <p id={`${ids}-name-hint`} className='field__hint'>{t.join.nameHint}</p>}
      </div>

      <div className='field'>
        <span className='field__label' id={`${ids}-emoji`}>{t.join.emojiLabel}</span>
        <EmojiPicker value={emoji} onChange={setEmoji} labelId={`${ids}-emoji`} />
      </div>

      {isPinRequired && (
        <div className='field'>
          <label className='field__label' htmlFor={`${ids}-pin`}>{t.join.pinLabel}</label>
          <input
            id={`${ids}-pin`}
            className='input input--pin'
            value={pin}
            onChange={e => setPin(e.target.value.replace(/\D/g, '').slice(0, 8))}
            inputMode='numeric'
            autoComplete='one-time-code'
            aria-invalid={problems.pin ? true : undefined}
            aria-describedby={pinError ?? `${ids}-pin-hint`}
          />
          {problems.pin
            ? <p id={pinError} className='field__error' role='alert'>{problems.pin}</p>
            : <p id={`${ids}-pin-hint`} className='field__hint'>{t.join.pinHint}</p>}
        </div>
      )}

      {problems.form && <p className='form-error' role='alert'>{problems.form}</p>}

      <button type='submit' className='button button--primary button--block' disabled={isBusy}>
        <span aria-hidden='true'>{emoji}</span> {isBusy ? t.join.submitting : t.join.submit}
      </button>
    </form>
  )
}

function problemsFor (err: unknown, t: Messages): Problems {
  if (!(err instanceof ApiError)) return { form: t.errors.generic }
  if (err.code === ERR_NETWORK) return { form: t.errors.network }
  const text = t.joinErrors[err.code] ?? err.message
  if (err.code.startsWith('ERR_USERNAME')) return { name: text }
  if (err.code.startsWith('ERR_PIN')) return { pin: text }
  if (err.code === 'ERR_RATE_LIMITED' && err.retryAfterS !== null) {
    return { form: `${text} ${t.join.tryAgainIn(err.retryAfterS)}` }
  }
  return { form: text }
}
