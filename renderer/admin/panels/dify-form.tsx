/**
 * The Dify app's input form (`user_input_form` from its /parameters), rendered for the host: text,
 * paragraph, select, number and checkbox, required ones flagged. The values go with every question.
 * The parent keys it by the form and saved values, so a new form starts a fresh draft.
 */
import { useState, type FormEvent } from 'react'
import { useAdminT } from '../../shared/i18n/admin.js'
import type { DifyInputValue, FormField } from '../types.js'
import { initialValues, missingRequired } from './dify-inputs.js'

interface DifyFormProps {
  form: FormField[]
  values: Record<string, DifyInputValue>
  isLocked: boolean
  onSave: (values: Record<string, DifyInputValue>) => Promise<void>
}

export function DifyForm ({ form, values, isLocked, onSave }: DifyFormProps) {
  const t = useAdminT()
  const [draft, setDraft] = useState(() => initialValues(form, values))
  const [isSaving, setIsSaving] = useState(false)

  const set = (variable: string, value: DifyInputValue): void => setDraft(d => ({ ...d, [variable]: value }))
  const submit = (e: FormEvent): void => {
    e.preventDefault()
    setIsSaving(true)
    onSave(draft).finally(() => setIsSaving(false))
  }

  if (form.length === 0) return <p className='muted'>{t.ai.formNone}</p>
  const missing = missingRequired(form, draft)

  return (
    <form className='dify-form' onSubmit={submit}>
      {form.map(field => {
        const id = `input-${field.variable}`
        const value = draft[field.variable]
        const label = (
          <span className='field__label'>
            {field.label || field.variable}
            {field.required && <span className='required'> · {t.ai.required}</span>}
          </span>
        )
        if (field.type === 'checkbox') {
          return (
            <label key={field.variable} className='switch'>
              <input id={id} type='checkbox' checked={value === true} disabled={isLocked} onChange={e => set(field.variable, e.target.checked)} />
              {label}
            </label>
          )
        }
        const hint = field.max_length ? <span className='help'>{t.ai.maxChars(field.max_length)}</span> : null
        let control
        if (field.type === 'select') {
          control = (
            <select id={id} value={value === undefined ? '' : String(value)} required={field.required} disabled={isLocked} onChange={e => set(field.variable, e.target.value)}>
              <option value=''>{t.ai.choose}</option>
              {(field.options ?? []).map(o => <option key={o} value={o}>{o}</option>)}
            </select>
          )
        } else if (field.type === 'paragraph') {
          control = (
            <textarea
              id={id} rows={3} value={value === undefined ? '' : String(value)} required={field.required} disabled={isLocked}
              maxLength={field.max_length ?? undefined} onChange={e => set(field.variable, e.target.value)}
            />
          )
        } else if (field.type === 'number') {
          control = (
            <input
              id={id} type='number' value={value === undefined ? '' : String(value)} required={field.required} disabled={isLocked}
              onChange={e => set(field.variable, e.target.value === '' ? '' : Number(e.target.value))}
            />
          )
        } else {
          control = (
            <input
              id={id} type='text' value={value === undefined ? '' : String(value)} required={field.required} disabled={isLocked}
              maxLength={field.max_length ?? undefined} onChange={e => set(field.variable, e.target.value)}
            />
          )
        }
        return (
          <div key={field.variable} className='field'>
            <label htmlFor={id}>{label}</label>
            {control}
            {hint}
          </div>
        )
      })}
      {missing.length > 0 && <p className='note note--warn'>{t.ai.missingInputs(missing.join(', '))}</p>}
      <button type='submit' className='btn btn--primary' disabled={isSaving || isLocked}>{isSaving ? t.ai.saving : t.ai.saveInputs}</button>
    </form>
  )
}
