/**
 * Writing to the room. Makes the room's AI mode obvious: an "Ask AI" toggle in `mention` and
 * `approve` modes (typing @ai works too), a plain note in `all` and `off`. Enter sends,
 * Shift+Enter adds a line, and an IME composition is never cut short.
 */
import { useEffect, useId, useLayoutEffect, useRef, useState, type FormEvent, type KeyboardEvent, type RefObject } from 'react'
import { codePointLength, mentionsAi, normalizeChatText, type AiMode, type PhotosMode } from '../../../server/protocol/index.js'
import { useT, type Messages } from '../../shared/i18n/index.js'
import { AttachButton, AttachmentPreviews } from './photo-attach.js'
import { usePhotoAttachments } from '../hooks/use-photo-attachments.js'

interface ComposerProps {
  aiMode: AiMode
  aiAvailable: boolean
  maxLength: number
  /** 0 = off; else the host's slow mode (one message per this many seconds). */
  slowModeS?: number
  /** The host's photo rule ("off" hides the attach button); photos are uploaded with `token`. */
  photos?: PhotosMode
  token?: string
  onSend: (content: string, files?: string[]) => void
  inputId?: string
  inputRef?: RefObject<HTMLTextAreaElement | null>
  /** Focus the message box on mount (right after joining, so typing and Enter just work). */
  autoFocus?: boolean
}

const MAX_HEIGHT_PX = 160
const FITS_CONTENT = typeof CSS !== 'undefined' && typeof CSS.supports === 'function' && CSS.supports('field-sizing', 'content')
const MENTIONS = /(^|[^\p{L}\p{N}_@])@ai(?![\p{L}\p{N}_])\s?/giu

export function Composer ({ aiMode, aiAvailable, maxLength, slowModeS = 0, photos = 'off', token = '', onSend, inputId, inputRef, autoFocus = false }: ComposerProps) {
  const t = useT()
  const ids = useId()
  const localRef = useRef<HTMLTextAreaElement>(null)
  const areaRef = inputRef ?? localRef
  const [text, setText] = useState('')
  const [askAi, setAskAi] = useState(false)
  const attachments = usePhotoAttachments(token)
  const canAttach = photos !== 'off' && token !== ''

  const canAddress = aiAvailable && (aiMode === 'mention' || aiMode === 'approve')
  const isMentioned = mentionsAi(text)
  const isAsking = canAddress && (askAi || isMentioned)
  const outgoing = outgoingText(text, isAsking && !isMentioned)
  const over = codePointLength(outgoing) - maxLength
  const hasPhotos = canAttach && attachments.fileIds.length > 0
  const canSend = (outgoing.trim().length > 0 || hasPhotos) && over <= 0 && !attachments.isUploading

  const [shouldFocus] = useState(autoFocus)
  useEffect(() => {
    if (shouldFocus) areaRef.current?.focus()
  }, [shouldFocus, areaRef])

  useLayoutEffect(() => {
    const area = areaRef.current
    // Where the browser sizes the box to its text itself, no measuring on every key press.
    if (!area || FITS_CONTENT) return
    area.style.height = 'auto'
    area.style.height = `${Math.min(area.scrollHeight, MAX_HEIGHT_PX)}px`
  }, [text, areaRef])

  const submit = (): void => {
    if (!canSend) return
    if (hasPhotos) onSend(outgoing.trim() === '' && isAsking && !isMentioned ? '@ai' : outgoing, attachments.fileIds)
    else onSend(outgoing)
    attachments.clear()
    setText('')
    setAskAi(false)
    areaRef.current?.focus()
  }

  const onKeyDown = (event: KeyboardEvent<HTMLTextAreaElement>): void => {
    // 229: some browsers report Enter that confirms an IME candidate this way.
    if (event.key !== 'Enter' || event.shiftKey || event.nativeEvent.isComposing || event.keyCode === 229) return
    event.preventDefault()
    submit()
  }

  const toggleAi = (): void => {
    if (isAsking) {
      setAskAi(false)
      if (isMentioned) setText(text.replace(MENTIONS, '$1'))
    } else {
      setAskAi(true)
    }
    areaRef.current?.focus()
  }

  return (
    <form className='composer' aria-label={t.composer.formLabel} onSubmit={(e: FormEvent) => { e.preventDefault(); submit() }}>
      <div className='composer__top'>
        {canAddress && (
          <button type='button' className={isAsking ? 'ai-toggle is-on' : 'ai-toggle'} aria-pressed={isAsking} onClick={toggleAi} title={t.composer.askAiLabel}>
            <span aria-hidden='true'>✨</span> {t.composer.askAi}
          </button>
        )}
        <p className='composer__hint' id={`${ids}-hint`}>
          {hintFor(t, aiMode, aiAvailable, isAsking)}{slowModeS > 0 ? ` ${t.composer.slowMode(slowModeS)}` : ''}
        </p>
        {over > -200 && <span className={over > 0 ? 'composer__count is-over' : 'composer__count'}>{over > 0 ? t.composer.tooLong(over) : -over}</span>}
      </div>
      {canAttach && <AttachmentPreviews attachments={attachments} isChecked={photos === 'check'} />}
      <div className={isAsking || (aiAvailable && aiMode === 'all') ? 'composer__box is-ai' : 'composer__box'}>
        <textarea
          ref={areaRef}
          id={inputId}
          className='composer__input'
          rows={1}
          value={text}
          onChange={e => setText(e.target.value)}
          onKeyDown={onKeyDown}
          placeholder={isAsking || (aiAvailable && aiMode === 'all') ? t.composer.placeholderAi : t.composer.placeholder}
          aria-label={t.composer.label}
          aria-describedby={`${ids}-hint`}
          aria-keyshortcuts='/'
          enterKeyHint='send'
        />
        {canAttach && <AttachButton attachments={attachments} isDisabled={false} />}
        <button type='submit' className='send-button' disabled={!canSend} aria-label={t.composer.send} title={t.composer.keys}>
          <svg viewBox='0 0 24 24' width='20' height='20' aria-hidden='true'><path d='M3.4 20.4 21 12 3.4 3.6 3.4 10l12.6 2-12.6 2z' fill='currentColor' /></svg>
        </button>
      </div>
    </form>
  )
}

/** The chat as it will be sent: normalised, blank lines at the ends dropped, `@ai ` added when asked. */
function outgoingText (text: string, addMention: boolean): string {
  const body = normalizeChatText(text).replace(/^\s*\n/, '').trimEnd()
  return addMention && body.trim() ? `@ai ${body.trimStart()}` : body
}

function hintFor (t: Messages, mode: AiMode, aiAvailable: boolean, isAsking: boolean): string {
  if (!aiAvailable) return t.composer.hintUnavailable
  switch (mode) {
    case 'off': return t.composer.hintOff
    case 'all': return t.composer.hintAll
    case 'approve': return t.composer.hintApprove
    case 'mention': return isAsking ? t.composer.hintMentionOn : t.composer.hintMention
  }
}
