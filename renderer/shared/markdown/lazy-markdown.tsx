/**
 * Renders an answer in three steps of weight: plain text as paragraphs right away (no renderer
 * downloaded), Markdown through its own chunk (react-markdown + GFM), and code blocks with
 * highlighting that loads only the languages they name (see highlighter.ts). Until the Markdown
 * chunk arrives the text shows as-is (still safe: React escapes it).
 */
import { Fragment, lazy, memo, Suspense } from 'react'
import type { MarkdownViewProps } from './markdown-view.js'
import { MarkdownBoundary } from './markdown-boundary.js'
import { isPlainText, plainParagraphs } from './plain-text.js'
import { hasMath } from './math.js'
import './markdown-base.css'

const MarkdownView = lazy(() => import('./markdown-view.js'))

/** An answer or welcome text, as Markdown when it needs it. Props are MarkdownView's. */
export const LazyMarkdown = memo(function LazyMarkdown (props: MarkdownViewProps) {
  if (isPlainText(props.text) && !hasMath(props.text)) return <PlainText {...props} />
  return (
    <MarkdownBoundary text={props.text}>
      <Suspense fallback={<div className='md md--plain'>{props.text}</div>}>
        <MarkdownView {...props} />
      </Suspense>
    </MarkdownBoundary>
  )
})

/** The same elements react-markdown makes of plain text: paragraphs with newlines between them. */
function PlainText ({ text, isStreaming = false }: MarkdownViewProps) {
  return (
    <div className={isStreaming ? 'md is-streaming' : 'md'}>
      {plainParagraphs(text).map((paragraph, i) => (
        <Fragment key={i}>{i > 0 && '\n'}<p>{paragraph}</p></Fragment>
      ))}
    </div>
  )
}
