/**
 * Syntax highlighting is loaded only when an answer contains code, so the first paint on a phone
 * does not pay for highlight.js (rehype-highlight with lowlight's `common` languages).
 */
import type { Options } from 'react-markdown'

type PluggableList = NonNullable<Options['rehypePlugins']>

let plugins: PluggableList | null = null
let loading: Promise<PluggableList> | null = null

/** The rehype plugins once loaded, else null. */
export function loadedHighlighter (): PluggableList | null {
  return plugins
}

/** Starts (or joins) the one download of the highlighter. */
export function loadHighlighter (): Promise<PluggableList> {
  loading ??= import('rehype-highlight').then(mod => {
    plugins = [[mod.default, { detect: false }]]
    return plugins
  })
  return loading
}

/** True when Markdown text holds a fenced or indented code block worth highlighting. */
export function hasCodeBlock (markdown: string): boolean {
  return /(^|\n) {0,3}(```|~~~)/.test(markdown)
}
