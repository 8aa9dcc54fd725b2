/**
 * One short-lived note at the bottom of the console: what an action did, with "Undo" when it can be
 * undone, or why it failed. Announced politely to screen readers (errors assertively).
 */
import { createContext, useCallback, useContext, useEffect, useMemo, useRef, useState, type ReactNode } from 'react'
import { useAdminT } from '../../shared/i18n/admin.js'
import { errorText } from './error-text.js'

export interface ToastInput {
  text: string
  isError?: boolean
  undo?: () => void
}

interface ToastApi {
  notify: (toast: ToastInput) => void
  /** Shows the server's message for a failed action. */
  fail: (err: unknown) => void
}

const ToastContext = createContext<ToastApi>({ notify: () => {}, fail: () => {} })
const TOAST_MS = 7000

export function ToastProvider ({ children }: { children: ReactNode }) {
  const t = useAdminT()
  const [toast, setToast] = useState<(ToastInput & { id: number }) | null>(null)
  const nextId = useRef(1)

  useEffect(() => {
    if (!toast) return
    const timer = setTimeout(() => setToast(null), toast.undo ? TOAST_MS * 1.5 : TOAST_MS)
    return () => clearTimeout(timer)
  }, [toast])

  const notify = useCallback((input: ToastInput) => setToast({ ...input, id: nextId.current++ }), [])
  const api = useMemo<ToastApi>(() => ({
    notify,
    fail: (err: unknown) => notify({ text: `${t.errorPrefix} ${errorText(err)}`, isError: true })
  }), [notify, t.errorPrefix])

  return (
    <ToastContext value={api}>
      {children}
      <div className='toast-region' aria-live={toast?.isError ? 'assertive' : 'polite'} role={toast?.isError ? 'alert' : 'status'}>
        {toast && (
          <div key={toast.id} className={toast.isError ? 'toast toast--error' : 'toast'}>
            <span>{toast.text}</span>
            {toast.undo && (
              <button type='button' className='toast__undo' onClick={() => { toast.undo?.(); setToast(null) }}>{t.people.undo}</button>
            )}
            <button type='button' className='toast__close' aria-label={t.dialog.close} onClick={() => setToast(null)}>×</button>
          </div>
        )}
      </div>
    </ToastContext>
  )
}

// eslint-disable-next-line react-refresh/only-export-components -- the provider and its hook belong together; every section imports the hook from here
export function useToast (): ToastApi {
  return useContext(ToastContext)
}
