/**
 * The host console's text. Kept out of `index.ts` so the participant page, which every phone
 * downloads, does not carry the console's strings.
 */
import { useContext } from 'react'
import { I18nContext } from './index.js'
import { adminEn, type AdminMessages } from './admin-en.js'
import { adminZhCN } from './admin-zh-CN.js'

export type { AdminMessages }

/** The host console's text, in the same language as the rest of the page. */
export function useAdminT (): AdminMessages {
  return useContext(I18nContext).locale.startsWith('zh') ? adminZhCN : adminEn
}
