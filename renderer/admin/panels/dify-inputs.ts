/** The Dify app's input values: what to start from, and which required ones are still empty. */
import type { DifyInputValue, FormField } from '../types.js'

/** The values to show: saved ones, else the app's defaults. */
export function initialValues (form: FormField[], saved: Record<string, DifyInputValue>): Record<string, DifyInputValue> {
  const out: Record<string, DifyInputValue> = {}
  for (const field of form) {
    const value = saved[field.variable] ?? field.default
    if (value !== undefined && value !== null) out[field.variable] = value
    else if (field.type === 'checkbox') out[field.variable] = false
  }
  return out
}

/** Required fields still empty (what makes every question fail). */
export function missingRequired (form: FormField[], values: Record<string, DifyInputValue>): string[] {
  return form.filter(f => f.required && f.type !== 'checkbox' && (values[f.variable] === undefined || String(values[f.variable]).trim() === '')).map(f => f.label || f.variable)
}
