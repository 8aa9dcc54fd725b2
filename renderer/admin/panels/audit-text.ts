/** One audit entry in words: who it was about, and the rest of its details. */

/** The name the detail carries (who it was about), with the target id; else the id alone. */
export function targetText (target: string | null, detail: Record<string, unknown> | null): string {
  const name = detail?.username ?? detail?.from_user
  if (typeof name === 'string' && name !== '') return target === null ? name : `${name} (#${target})`
  return target === null ? '' : `#${target}`
}

/** `{minutes: 5, username: "Kim"}` → `minutes: 5` (the name is shown as the target). */
export function describe (detail: Record<string, unknown>): string {
  return Object.entries(detail).filter(([k]) => k !== 'username' && k !== 'from_user').map(([k, v]) => `${k}: ${typeof v === 'string' ? v : JSON.stringify(v)}`).join(' · ')
}
