/**
 * A modal question for actions that cannot be undone (remove, ban, new lesson): the native
 * `<dialog>` traps focus and closes on Escape; the safe choice has the focus first.
 */
import { useEffect, useRef, type ReactNode } from 'react'
import { useAdminT } from '../../shared/i18n/admin.js'

interface ConfirmDialogProps {
  title: string
  children: ReactNode
  confirmLabel: string
  isDanger?: boolean
  onConfirm: () => void
  onCancel: () => void
}

export function ConfirmDialog ({ title, children, confirmLabel, isDanger = false, onConfirm, onCancel }: ConfirmDialogProps) {
  const t = useAdminT()
  const ref = useRef<HTMLDialogElement>(null)
  const cancelRef = useRef<HTMLButtonElement>(null)

  useEffect(() => {
    const dialog = ref.current
    if (!dialog) return
    if (!dialog.open) dialog.showModal()
    cancelRef.current?.focus()
    return () => { if (dialog.open) dialog.close() }
  }, [])

  return (
    <dialog ref={ref} className='confirm' aria-labelledby='confirm-title' onCancel={(e) => { e.preventDefault(); onCancel() }}>
      <h2 id='confirm-title' className='confirm__title'>{title}</h2>
      <div className='confirm__body'>{children}</div>
      <div className='confirm__actions'>
        <button ref={cancelRef} type='button' className='btn' onClick={onCancel}>{t.dialog.cancel}</button>
        <button type='button' className={isDanger ? 'btn btn--danger' : 'btn btn--primary'} onClick={onConfirm}>{confirmLabel}</button>
      </div>
    </dialog>
  )
}
