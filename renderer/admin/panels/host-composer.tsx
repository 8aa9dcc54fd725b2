/** The host's composer: posts as "Host" over HTTP (POST /api/admin/messages); Enter sends, Shift+Enter breaks the line. */
import { useState, type FormEvent, type KeyboardEvent } from 'react'
import { MAX_MESSAGE_CODE_POINTS, codePointLength } from '../../../server/protocol/index.js'
import { useAdminT } from '../../shared/i18n/admin.js'
import { errorText } from '../components/error-text.js'

interface HostComposerProps {
  onSend: (content: string) => Promise<unknown>
}

export function HostComposer ({ onSend }: HostComposerProps) {
  const t = useAdminT()
  const [text, setText] = useState('')
  const [isSending, setIsSending] = useState(false)
  const [error, setError] = useState<string | null>(null)
  const length = codePointLength(text.trim())
  const canSend = length > 0 && length <= MAX_MESSAGE_CODE_POINTS && !isSending

  const submit = (e?: FormEvent): void => {
    e?.preventDefault()
    if (!canSend) return
    setIsSending(true)
    setError(null)
    onSend(text.trim()).then(
      () => setText(''),
      (err: unknown) => setError(errorText(err))
    ).finally(() => setIsSending(false))
  }

  const onKeyDown = (e: KeyboardEvent<HTMLTextAreaElement>): void => {
    if (e.key === 'Enter' && !e.shiftKey && !e.nativeEvent.isComposing) {
      e.preventDefault()
      submit()
    }
  }

  return (
    <form className='host-composer' onSubmit={submit}>
      <label htmlFor='host-composer-input' className='visually-hidden'>{t.room.composerLabel}</label>
      <textarea
        id='host-composer-input'
        className='host-composer__input'
        rows={2}
        value={text}
        placeholder={t.room.composerPlaceholder}
        onChange={e => setText(e.target.value)}
        onKeyDown={onKeyDown}
        aria-invalid={length > MAX_MESSAGE_CODE_POINTS}
        aria-describedby={error ? 'host-composer-error' : undefined}
      />
      <button type='submit' className='btn btn--primary host-composer__send' disabled={!canSend}>
        {isSending ? t.room.sending : t.room.send}
      </button>
      {error && <p id='host-composer-error' className='host-composer__error' role='alert'>{error}</p>}
    </form>
  )
}
