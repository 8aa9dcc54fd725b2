/**
 * Picks the UI language from the browser's preferences; English is the fallback.
 * Components read text through `useT()`.
 */
import { createContext, useContext } from 'react'
import { en, type Messages } from './en.js'
import { zhCN } from './zh-CN.js'

export type { Messages }

const catalogues: Record<string, Messages> = { en, 'zh-CN': zhCN }

/** The best catalogue for a list of BCP 47 tags such as `navigator.languages`. */
export function pickMessages (languages: readonly string[]): Messages {
  for (const tag of languages) {
    const lower = tag.toLowerCase()
    if (lower.startsWith('zh')) {
      // Traditional-script tags still read Simplified better than English.
      return zhCN
    }
    if (lower.startsWith('en')) return en
    const exact = catalogues[tag]
    if (exact) return exact
  }
  return en
}

/** The browser's preferred languages, safe outside a browser. */
export function browserLanguages (): readonly string[] {
  if (typeof navigator === 'undefined') return []
  return navigator.languages?.length ? navigator.languages : [navigator.language]
}

export const I18nContext = createContext<Messages>(en)

/** The active language's text. */
export function useT (): Messages {
  return useContext(I18nContext)
}
