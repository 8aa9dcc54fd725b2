/**
 * A message's photos: thumbnails in the bubble, each a button that opens the photo large in a
 * modal dialog (the browser's own <dialog>: focus moves in and back, Escape closes it).
 */
import { useEffect, useRef, useState } from 'react'
import type { MessageFile } from '../../../server/protocol/index.js'
import { useT } from '../i18n/index.js'

const THUMB_PX = 160

export function MessagePhotos ({ files, name, isTabbable }: { files: MessageFile[], name: string, isTabbable: boolean }) {
  const t = useT()
  const [open, setOpen] = useState<MessageFile | null>(null)
  if (files.length === 0) return null
  return (
    <div className={files.length === 1 ? 'msg-photos is-single' : 'msg-photos'}>
      {files.map(f => {
        const [w, h] = thumbSize(f)
        return (
          <button key={f.file_id} type='button' className='msg-photo' tabIndex={isTabbable ? 0 : -1} aria-label={t.photo.open(name)} onClick={() => setOpen(f)}>
            <img src={f.thumb_url} alt={t.photo.alt(name)} width={w} height={h} loading='lazy' decoding='async' />
          </button>
        )
      })}
      {open !== null && <PhotoDialog file={open} name={name} onClose={() => setOpen(null)} />}
    </div>
  )
}

function PhotoDialog ({ file, name, onClose }: { file: MessageFile, name: string, onClose: () => void }) {
  const t = useT()
  const ref = useRef<HTMLDialogElement>(null)
  useEffect(() => {
    const dialog = ref.current
    if (dialog === null) return
    if (typeof dialog.showModal === 'function' && !dialog.open) dialog.showModal()
    return () => { if (dialog.open) dialog.close() }
  }, [])
  return (
    <dialog
      ref={ref}
      className='photo-viewer'
      aria-label={t.photo.alt(name)}
      onClose={onClose}
      onCancel={(e) => { e.preventDefault(); onClose() }}
      // a click on the backdrop (the dialog itself, outside the photo) closes it
      onClick={(e) => { if (e.target === e.currentTarget) onClose() }}
    >
      <img src={file.url} alt={t.photo.alt(name)} width={file.width} height={file.height} className='photo-viewer__img' />
      <button type='button' className='photo-viewer__close' autoFocus onClick={onClose}>{t.photo.close}</button>
    </dialog>
  )
}

/** The thumbnail's box: its aspect ratio kept, its longest side THUMB_PX. */
function thumbSize (f: MessageFile): [number, number] {
  if (f.width <= 0 || f.height <= 0) return [THUMB_PX, THUMB_PX]
  const scale = THUMB_PX / Math.max(f.width, f.height)
  return [Math.round(f.width * scale), Math.round(f.height * scale)]
}
