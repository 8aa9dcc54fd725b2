import { describe, expect, it, vi } from 'vitest'
import { render, screen } from '@testing-library/react'
import { MarkdownBoundary } from '../../renderer/shared/markdown/markdown-boundary.js'

function Boom ({ text }: { text: string }): never {
  throw new RangeError(`Maximum call stack size exceeded (${text.length})`)
}

describe('one answer that cannot be drawn', () => {
  it('shows as plain text with a note, and the rest of the page stays', () => {
    vi.spyOn(console, 'error').mockImplementation(() => {})
    vi.spyOn(console, 'warn').mockImplementation(() => {})
    const text = '>>> deep\nsecond line'
    render(
      <main>
        <p>the room</p>
        <MarkdownBoundary text={text}><Boom text={text} /></MarkdownBoundary>
        <p>the next message</p>
      </main>
    )
    expect(screen.getByText('the room')).toBeTruthy()
    expect(screen.getByText('the next message')).toBeTruthy()
    expect(screen.getByRole('note').textContent).toMatch(/shown as plain text/)
    expect(document.querySelector('.md--fallback')?.textContent).toContain('>>> deep\nsecond line')
  })

  it('tries again as Markdown when the text changes', () => {
    vi.spyOn(console, 'error').mockImplementation(() => {})
    vi.spyOn(console, 'warn').mockImplementation(() => {})
    const Child = ({ text }: { text: string }) => text.startsWith('bad') ? <Boom text={text} /> : <p>drawn: {text}</p>
    const { rerender } = render(<MarkdownBoundary text='bad'><Child text='bad' /></MarkdownBoundary>)
    expect(screen.getByRole('note')).toBeTruthy()
    rerender(<MarkdownBoundary text='good now'><Child text='good now' /></MarkdownBoundary>)
    expect(screen.getByText('drawn: good now')).toBeTruthy()
    expect(screen.queryByRole('note')).toBeNull()
  })
})
