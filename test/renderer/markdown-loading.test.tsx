import { render, screen, waitFor } from '@testing-library/react'
import fc from 'fast-check'
import hljs from 'highlight.js/lib/core'
import Markdown from 'react-markdown'
import remarkGfm from 'remark-gfm'
import { describe, expect, it } from 'vitest'
import { GRAMMARS } from '../../renderer/shared/markdown/grammars.js'
import { ALIASES, GRAMMAR_ALIASES, codeLanguages, grammarFor, hasGrammars } from '../../renderer/shared/markdown/highlighter.js'
import { LazyMarkdown } from '../../renderer/shared/markdown/lazy-markdown.js'
import { MarkdownView } from '../../renderer/shared/markdown/markdown-view.js'
import { isPlainText, plainParagraphs } from '../../renderer/shared/markdown/plain-text.js'
import { remarkGfmParse } from '../../renderer/shared/markdown/remark-gfm-parse.js'

describe('plain text needs no Markdown renderer', () => {
  it('tells plain sentences from anything Markdown could change', () => {
    for (const text of ['Hello, how are you?', 'It costs 3.50 (or so) - maybe.', '你好，我想问一个问题。', "Don't panic; it's fine.\nSecond line", 'Para one.\n\nPara two.', "Hi! I'm here. Mention @ai and I'll answer. 大家好！", 'Q&A: 3 < 5 and #1 in C# > all']) {
      expect(isPlainText(text), text).toBe(true)
    }
    for (const text of ['**bold**', '_it_', '`code`', '# Title', '- item', '+ item', '1. first', '2) second', '> quote', 'a | b', '[x](https://a.test)',
      'see https://a.test', 'www.a.test', 'mail me: a@b.test', 'line  \nbreak', '    indented code', '\tcode', 'Title\n===', 'AT&amp;T', 'back\\slash', '~~gone~~', '<b>', '![i](x)', 'a\0b', 'x &copy; y', 'x &#169;', '<https://a.test>', '# not a tag\n#also', 'me@school.test']) {
      expect(isPlainText(text), text).toBe(false)
    }
  })

  it('renders plain text exactly as react-markdown does, without loading it', { timeout: 60_000 }, async () => {
    const letters = fc.constantFrom('a', 'b', 'Z', '你', 'é', ' ', ' ', '\n', '\n', '.', ',', '?', "'", '"', '(', ')', ':', ';', '-', '1', '\t', '=', '+', '!', '@', '#', '&', '<', '>', '|', '*')
    const plainTexts = fc.array(letters, { maxLength: 40 }).map(chars => chars.join('')).filter(isPlainText)
    fc.assert(fc.property(plainTexts, text => {
      const lazy = render(<LazyMarkdown text={text} />)
      const full = render(<MarkdownView text={text} />)
      const same = lazy.container.innerHTML === full.container.innerHTML
      lazy.unmount()
      full.unmount()
      return same
    }), { numRuns: 500 })
  })

  it('splits paragraphs at blank lines and trims each line', () => {
    expect(plainParagraphs('  one\n  two  \n \n\nthree\n')).toEqual(['one\ntwo', 'three'])
    expect(plainParagraphs(' \n ')).toEqual([])
  })

  it('shows plain text at once and Markdown once its renderer has loaded', async () => {
    const { container } = render(<><LazyMarkdown text='Just words.' /><LazyMarkdown text='Some **bold** words' /></>)
    expect(container.querySelector('.md p')?.textContent).toBe('Just words.')
    expect((await screen.findByText('bold')).tagName).toBe('STRONG')
  })

  it('keeps the streaming caret class on plain text', () => {
    const { container } = render(<LazyMarkdown text='Arriving' isStreaming />)
    expect(container.querySelector('.md.is-streaming > p')?.textContent).toBe('Arriving')
  })
})

describe('highlighting loads only the languages a code block names', () => {
  it('finds the languages of fenced blocks by name or alias, ignoring unknown ones', () => {
    expect(codeLanguages('```py\nx = 1\n```\n\n~~~ts\nlet a\n~~~\n\n```unknownlang\n```\n\n```Python\n```\n\n```\nplain\n```')).toEqual(['python', 'typescript'])
    expect(codeLanguages('no code `here`')).toEqual([])
    expect(grammarFor('C++')).toBe('cpp')
    expect(grammarFor('constructor')).toBeNull()
  })

  it('names the same grammars as the loaders, and every alias belongs to its grammar', async () => {
    expect(Object.keys(GRAMMAR_ALIASES).sort()).toEqual(Object.keys(GRAMMARS).sort())
    for (const [alias, grammar] of Object.entries(ALIASES)) {
      const load = GRAMMARS[grammar]
      expect(load, grammar).toBeDefined()
      const definition = (await load!()).default(hljs)
      expect(definition.aliases ?? [], `${alias} → ${grammar}`).toContain(alias)
    }
  })

  it('colours a TypeScript block after loading that grammar alone', async () => {
    expect(hasGrammars(['typescript'])).toBe(false)
    const { container } = render(<MarkdownView text={'```ts\nconst answer: number = 42\n```'} />)
    await waitFor(() => expect(container.querySelector('pre code.hljs .hljs-keyword')?.textContent).toBe('const'))
    expect(container.querySelector('pre code')?.textContent).toBe('const answer: number = 42\n')
    expect(hasGrammars(['typescript'])).toBe(true)
    expect(hasGrammars(['python'])).toBe(false)
    expect(screen.getByText('ts')).toBeTruthy()
  })

  it('leaves a block in an unknown language as plain code', async () => {
    const { container } = render(<MarkdownView text={'```nosuchlang\nx <- 1\n```'} />)
    expect(container.querySelector('pre code')?.textContent).toBe('x <- 1\n')
    expect(container.querySelector('pre code .hljs-keyword, pre code [class^="hljs-"]')).toBeNull()
  })
})

describe('GFM without its Markdown writer', () => {
  it('renders every GFM feature exactly as remark-gfm does', () => {
    const samples = [
      '| A | B |\n|:--|--:|\n| 1 | **2** |\n| x \\| y | `z` |',
      '~~gone~~ and ~also~, www.example.com, https://a.test/x?y=1. and me@school.test',
      '- [ ] todo\n- [x] done\n\n1. one\n2. two',
      'A note[^1].\n\n[^1]: The footnote, with *emphasis*.',
      '# Title\n\n> quote\n\n```py\nprint(1)\n```\n\n<b>raw</b> & &copy;'
    ]
    for (const text of samples) {
      const ours = render(<Markdown remarkPlugins={[remarkGfmParse]}>{text}</Markdown>)
      const theirs = render(<Markdown remarkPlugins={[remarkGfm]}>{text}</Markdown>)
      expect(ours.container.innerHTML, text).toBe(theirs.container.innerHTML)
      expect(ours.container.innerHTML.length).toBeGreaterThan(text.length / 2)
      ours.unmount()
      theirs.unmount()
    }
  })
})
