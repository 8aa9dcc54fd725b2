import { render, screen } from '@testing-library/react'
import { describe, expect, it } from 'vitest'
import { MarkdownView } from '../../renderer/shared/markdown/markdown-view.js'
import { safeUrl } from '../../renderer/shared/markdown/safe-url.js'

describe('MarkdownView (AI answers)', () => {
  it('shows raw HTML as inert text, never as elements', () => {
    const { container } = render(
      <MarkdownView text={'Hi <script>alert(1)</script> and <img src=x onerror="alert(2)"> and <iframe src="https://evil.test"></iframe>'} />
    )
    expect(container.querySelector('script')).toBeNull()
    expect(container.querySelector('img')).toBeNull()
    expect(container.querySelector('iframe')).toBeNull()
    expect(container.querySelector('[onerror]')).toBeNull()
    expect(container.textContent).toContain('<script>alert(1)</script>')
    expect(container.textContent).toContain('<img src=x onerror="alert(2)">')
  })

  it('renders javascript: and data: links as plain text', () => {
    const { container } = render(
      <MarkdownView text={'[click me](javascript:alert(1)) [data](data:text/html,<b>x</b>) [tab](java\tscript:alert(1)) <javascript:alert(3)>'} />
    )
    expect(container.querySelectorAll('a')).toHaveLength(0)
    expect(screen.getByText('click me').tagName).toBe('SPAN')
  })

  it('opens http(s) and mailto links in a new tab without an opener', () => {
    render(<MarkdownView text='[docs](https://example.com/a?b=1) and [mail](mailto:teacher@school.test)' />)
    const docs = screen.getByRole('link', { name: 'docs' })
    expect(docs.getAttribute('href')).toBe('https://example.com/a?b=1')
    expect(docs.getAttribute('target')).toBe('_blank')
    expect(docs.getAttribute('rel')).toBe('noopener noreferrer')
    expect(screen.getByRole('link', { name: 'mail' }).getAttribute('href')).toBe('mailto:teacher@school.test')
  })

  it('shows images as links instead of loading them', () => {
    const { container } = render(<MarkdownView text='![a cat](https://example.com/cat.png) ![x](javascript:alert(1))' />)
    expect(container.querySelector('img')).toBeNull()
    expect(screen.getByRole('link', { name: /a cat/ }).getAttribute('href')).toBe('https://example.com/cat.png')
    expect(container.querySelectorAll('a')).toHaveLength(1)
  })

  it('renders GFM tables, lists and code blocks with a copy button', () => {
    const { container } = render(<MarkdownView text={'| A | B |\n|---|---|\n| 1 | 2 |\n\n- one\n- two\n\n```js\nconst x = 1\n```'} />)
    expect(container.querySelector('table')).not.toBeNull()
    expect(container.querySelectorAll('li')).toHaveLength(2)
    expect(container.querySelector('pre code')?.textContent).toContain('const x = 1')
    expect(screen.getByRole('button', { name: 'Copy code' })).toBeTruthy()
    expect(screen.getByText('js')).toBeTruthy()
  })
})

describe('safeUrl', () => {
  it('keeps only http, https and mailto', () => {
    expect(safeUrl('https://a.test/x')).toBe('https://a.test/x')
    expect(safeUrl('HTTP://a.test')).toBe('http://a.test/')
    expect(safeUrl('mailto:a@b.test')).toBe('mailto:a@b.test')
    expect(safeUrl('javascript:alert(1)')).toBe('')
    expect(safeUrl(' javascript:alert(1)')).toBe('')
    expect(safeUrl('jav\nascript:alert(1)')).toBe('')
    expect(safeUrl('vbscript:x')).toBe('')
    expect(safeUrl('data:text/html,hi')).toBe('')
    expect(safeUrl('/relative')).toBe('')
  })
})
