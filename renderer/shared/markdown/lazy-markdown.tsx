/**
 * The Markdown renderer arrives in its own chunk: the join screen and plain chat never wait for it.
 * Until it loads, the text shows as-is (still safe: React escapes it).
 */
import { lazy, Suspense } from 'react'
import type { MarkdownViewProps } from './markdown-view.js'

const MarkdownView = lazy(() => import('./markdown-view.js'))

export function LazyMarkdown (props: MarkdownViewProps) {
  return (
    <Suspense fallback={<div className='md md--plain'>{props.text}</div>}>
      <MarkdownView {...props} />
    </Suspense>
  )
}

/** Starts downloading the renderer early (e.g. right after joining). */
export function preloadMarkdown (): void {
  import('./markdown-view.js').catch(() => { /* retried when first needed */ })
}
