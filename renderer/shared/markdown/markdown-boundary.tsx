/**
 * One answer's render cannot take the page down: if drawing its Markdown throws (a stack
 * overflow, a renderer bug), that answer alone shows as plain text, its line breaks kept, with a
 * short note; the rest of the room, the console and the projector go on. A new text (the answer
 * still streaming, or edited) is tried again as Markdown.
 */
import { Component, type ReactNode } from 'react'
import { useT } from '../i18n/index.js'

interface BoundaryProps { text: string, children: ReactNode }
interface BoundaryState { failedText: string | null }

export class MarkdownBoundary extends Component<BoundaryProps, BoundaryState> {
  override state: BoundaryState = { failedText: null }

  static getDerivedStateFromError (): Partial<BoundaryState> {
    return { failedText: '' }
  }

  static getDerivedStateFromProps (props: BoundaryProps, state: BoundaryState): Partial<BoundaryState> | null {
    // '' marks "failed on the text being drawn now"; a later text gets its own try.
    if (state.failedText === '') return { failedText: props.text }
    if (state.failedText !== null && state.failedText !== props.text) return { failedText: null }
    return null
  }

  override componentDidCatch (error: unknown): void {
    console.warn('an answer could not be drawn as Markdown; showing it as text', error)
  }

  override render (): ReactNode {
    if (this.state.failedText !== null) return <PlainFallback text={this.props.text} />
    return this.props.children
  }
}

function PlainFallback ({ text }: { text: string }) {
  const t = useT()
  return (
    <div className='md md--plain md--fallback'>
      <p className='md__fallback-note' role='note'>{t.ai.shownAsText}</p>
      {text}
    </div>
  )
}
