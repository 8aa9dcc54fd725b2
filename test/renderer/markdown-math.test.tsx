/** Math in answers: KaTeX draws $$…$$, \(…\) and \[…\]; money, code and hostile formulas stay safe. */
import { render } from '@testing-library/react'
import { beforeAll, describe, expect, it } from 'vitest'
import { hasMath, loadMath, normalizeMath } from '../../renderer/shared/markdown/math.js'
import { MarkdownView } from '../../renderer/shared/markdown/markdown-view.js'

function shown (text: string): HTMLElement {
  return render(<MarkdownView text={text} />).container
}

describe('math in answers', () => {
  beforeAll(async () => { await loadMath() })

  it('draws display and inline math in all three notations', () => {
    const view = shown('The area is \\(\\pi r^2\\), and\n\n$$\n\\int_0^1 x^2\\,dx = \\frac{1}{3}\n$$\n\nor \\[ E = mc^2 \\]')
    expect(view.querySelectorAll('.katex').length).toBe(3)
    expect(view.querySelectorAll('.katex-display').length).toBe(2)
    // MathML for screen readers, with the source as its annotation
    expect(view.querySelector('math annotation')?.textContent).toContain('\\pi r^2')
    expect(view.textContent).toContain('The area is')
  })

  it('leaves money, code spans and code blocks alone', () => {
    expect(hasMath('It costs $5 and $10.')).toBe(false)
    const view = shown('It costs $5 and $10.\n\n`\\(x\\)` and\n\n```tex\n\\[ a \\]\n```')
    expect(view.querySelector('.katex')).toBeNull()
    expect(view.textContent).toContain('$5 and $10')
    expect(view.querySelector('code')?.textContent).toBe('\\(x\\)')
    expect(view.querySelector('pre')?.textContent).toContain('\\[ a \\]')
  })

  it('shows a bad formula as an error in place, and trusts no link or HTML command', () => {
    const view = shown('$$\\frac{1}{$$ then $$\\href{javascript:alert(1)}{click}$$ and $$\\htmlId{x}{y}$$')
    expect(view.querySelector('a')).toBeNull()
    expect(view.textContent).toContain('then')
    expect(view.querySelector('[id="x"]')).toBeNull()
  })

  it('stays linear and standing on hostile math: many openers, deep braces, runaway macros', () => {
    const started = performance.now()
    const openers = shown('\\('.repeat(25_000) + 'deep \\(x\\)')
    expect(openers.textContent).toContain('deep')
    const deep = shown('$$' + '{'.repeat(5000) + 'deep' + '}'.repeat(5000) + '$$')
    expect(deep.querySelector('.katex')).toBeNull()
    expect(deep.textContent).toContain('deep')
    const macro = shown('$$\\def\\a{\\a\\a}\\a$$ deep')
    expect(macro.textContent).toContain('deep')
    expect(performance.now() - started).toBeLessThan(20_000)
    expect(normalizeMath('\\('.repeat(100_000)).length).toBe(200_000)
  })
})
