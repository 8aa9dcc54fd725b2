/**
 * Photos for the next message: the attach button (on phones `capture` opens the camera), a small
 * preview of each with a remove button, upload progress and the host's reason when one is refused.
 * Each photo is uploaded as soon as it is picked, so Send only names the uploaded ids.
 */
import type { ChangeEvent } from 'react'
import { MAX_FILES_PER_MESSAGE } from '../../../server/protocol/index.js'
import { useT } from '../../shared/i18n/index.js'
import type { Attachment, PhotoAttachments } from '../hooks/use-photo-attachments.js'

/** The attach button: a real file input (its label is the button), so keyboards and screen readers reach it. */
export function AttachButton ({ attachments, isDisabled }: { attachments: PhotoAttachments, isDisabled: boolean }) {
  const t = useT()
  const isFull = attachments.items.length >= MAX_FILES_PER_MESSAGE
  const onChange = (e: ChangeEvent<HTMLInputElement>): void => {
    const room = MAX_FILES_PER_MESSAGE - attachments.items.length
    for (const file of Array.from(e.target.files ?? []).slice(0, Math.max(0, room))) attachments.add(file)
    e.target.value = ''
  }
  return (
    <label className={isFull || isDisabled ? 'attach-button is-disabled' : 'attach-button'} title={isFull ? t.photo.tooMany(MAX_FILES_PER_MESSAGE) : t.photo.attach}>
      <input type='file' accept='image/*' capture='environment' className='visually-hidden' aria-label={t.photo.attach} disabled={isFull || isDisabled} onChange={onChange} />
      <svg viewBox='0 0 24 24' width='20' height='20' aria-hidden='true'>
        <path fill='currentColor' d='M9 3 7.2 5H4a2 2 0 0 0-2 2v11a2 2 0 0 0 2 2h16a2 2 0 0 0 2-2V7a2 2 0 0 0-2-2h-3.2L15 3H9zm3 5a5 5 0 1 1 0 10 5 5 0 0 1 0-10zm0 2a3 3 0 1 0 0 6 3 3 0 0 0 0-6z' />
      </svg>
    </label>
  )
}

/** The previews above the message box, each with its state and a remove button. */
export function AttachmentPreviews ({ attachments, isChecked }: { attachments: PhotoAttachments, isChecked: boolean }) {
  const t = useT()
  if (attachments.items.length === 0) return null
  return (
    <div className='attachments'>
      <ul className='attachments__list' aria-label={t.photo.previews}>
        {attachments.items.map(a => (
          <li key={a.key} className={`attachment is-${a.state}`}>
            <img src={a.preview} alt='' className='attachment__img' />
            <button type='button' className='attachment__remove' aria-label={t.photo.remove} onClick={() => attachments.remove(a.key)}>×</button>
            {a.state === 'uploading' && <span className='attachment__bar' style={{ transform: `scaleX(${a.progress})` }} aria-hidden='true' />}
          </li>
        ))}
      </ul>
      <p className='attachments__status' role='status'>
        {statusText(t, attachments.items)}
        {isChecked && attachments.items.some(a => a.state === 'done') ? ` ${t.photo.checkNote}` : ''}
      </p>
    </div>
  )
}

function statusText (t: ReturnType<typeof useT>, items: Attachment[]): string {
  const failed = items.find(a => a.state === 'failed')
  if (failed) return t.photo.failed(failed.error ?? '')
  const uploading = items.filter(a => a.state === 'uploading')
  if (uploading.length > 0) return t.photo.uploading(Math.round(100 * uploading.reduce((sum, a) => sum + a.progress, 0) / uploading.length))
  return ''
}
