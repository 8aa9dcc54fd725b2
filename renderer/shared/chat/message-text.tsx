/**
 * A participant's message as plain text: newlines kept by CSS, never parsed as HTML or Markdown.
 * `@ai` mentions get a highlight (still text).
 */
import { memo } from 'react'

const MENTION = /(^|[^\p{L}\p{N}_@])(@ai)(?![\p{L}\p{N}_])/giu

export const MessageText = memo(function MessageText ({ text }: { text: string }) {
  const parts: Array<string | { mention: string, at: number }> = []
  let last = 0
  for (const match of text.matchAll(MENTION)) {
    const start = match.index + (match[1]?.length ?? 0)
    if (start > last) parts.push(text.slice(last, start))
    parts.push({ mention: match[2] ?? '@ai', at: start })
    last = start + (match[2]?.length ?? 3)
  }
  if (last < text.length) parts.push(text.slice(last))
  return (
    <p className='msg-text'>
      {parts.map((part, i) => typeof part === 'string'
        ? part
        : <span key={`m${part.at}`} className='mention'>{part.mention}</span>)}
    </p>
  )
})
