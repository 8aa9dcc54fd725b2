/**
 * No answer text can knock a page over: generated Markdown (deep nesting of every construct, long
 * lines, huge tables, many code fences) renders without throwing, shows its words, and costs about
 * what the same length of ordinary prose costs. And the caps change nothing a reader sees in an
 * answer that does not nest past them.
 */
import { render } from '@testing-library/react'
import fc from 'fast-check'
import { fromMarkdown } from 'mdast-util-from-markdown'
import { gfmFromMarkdown } from 'mdast-util-gfm'
import { toString } from 'mdast-util-to-string'
import { gfm } from 'micromark-extension-gfm'
import { describe, expect, it } from 'vitest'
import { boundNesting } from '../../renderer/shared/markdown/bound-nesting.js'
import { flattenDeep, MAX_TREE_DEPTH } from '../../renderer/shared/markdown/flatten-deep.js'
import { MarkdownView } from '../../renderer/shared/markdown/markdown-view.js'

/** Half the default answer cap: big enough that anything quadratic stands out. */
const SIZE = 50_000

const repeat = (unit: string, head = '', tail = ''): string =>
  head + unit.repeat(Math.floor((SIZE - head.length - tail.length) / unit.length)) + tail

/** Each one crashed, froze or took quadratic time before the caps. */
const HOSTILE: Record<string, string> = {
  'quotes ×3000': '>'.repeat(3000) + ' deep',
  'quotes ×50000': repeat('>', '', ' deep'),
  'quotes split by CR': '>\r' + '>'.repeat(3000) + ' deep',
  'a fence that hides quotes': '<div>\n```\n\n' + '>'.repeat(3000) + ' deep',
  'inline list markers': repeat('- ', '', 'deep'),
  'inline ordered markers': repeat('1. ', '', 'deep'),
  'a staircase of lists': Array.from({ length: 220 }, (_, i) => ' '.repeat(i * 2) + '- deep').join('\n'),
  'stars ×50000': repeat('*', '', 'deep'),
  'stars around a word': '*'.repeat(SIZE / 2) + 'deep' + '*'.repeat(SIZE / 2),
  'alternating emphasis': repeat('*_', '', 'deep'),
  'nested emphasis': '*_'.repeat(SIZE / 8) + 'deep' + '_*'.repeat(SIZE / 8),
  'brackets ×50000': repeat('[', '', 'deep'),
  'nested links': '['.repeat(SIZE / 10) + 'deep' + '](y)'.repeat(SIZE / 10),
  'one open bracket before prose': repeat('ab ', '[deep '),
  'stray closing brackets': repeat(']', 'deep '),
  // A `]` after a bare URL cannot take a backslash (the URL would swallow it).
  'nested links to bare URLs': '['.repeat(SIZE / 25) + 'deep' + '](https://y.test)'.repeat(SIZE / 25),
  'stray brackets after bare URLs': repeat('x](https://y.test)', 'deep '),
  'backticks ×50000': repeat('`', '', 'deep'),
  'backtick staircase': Array.from({ length: 300 }, (_, i) => '`'.repeat(i + 1) + 'deep').join(''),
  'unpaired backticks': repeat('`a', 'deep '),
  'a long table': '| deep | b |\n|---|---|\n' + '| **1** | 2 |\n'.repeat(SIZE / 14),
  'a wide table': '|' + ' deep |'.repeat(1500) + '\n|' + '-|'.repeat(1500) + '\n' + ('|' + 'x|'.repeat(1500) + '\n').repeat(10),
  'many fences': repeat('```\ndeep\n```\n'),
  'one long line': repeat('deep '),
  'spaces before a word': 'deep' + ' '.repeat(SIZE) + 'x',
  'html openers': repeat('<a', 'deep '),
  'html entities': repeat('&#', 'deep '),
  'parentheses after a bracket': repeat('(y)', '[deep '),
  'quotes, lists and emphasis mixed': repeat('> - **[`', '', ' deep'),
}

/** Ordinary prose of the same length, the yardstick for the cost of each hostile text. */
const PROSE = repeat('Some **bold** and _em_ text with [a link](https://x.test) and `code`.\n\n')

const parse = (text: string) => fromMarkdown(text, { extensions: [gfm()], mdastExtensions: [gfmFromMarkdown()] })

function timeRender (text: string): { ms: number, text: string } {
  const started = performance.now()
  const view = render(<MarkdownView text={text} />)
  const shown = view.container.textContent ?? ''
  view.unmount()
  return { ms: performance.now() - started, text: shown }
}

describe('Markdown that cannot knock a page over', () => {
  it('renders every hostile answer, shows its words, and costs about what prose of its length costs', () => {
    timeRender(PROSE) // warm the parser and the JIT
    const prose = timeRender(PROSE).ms
    const costs: string[] = []
    for (const [name, text] of Object.entries(HOSTILE)) {
      const { ms, text: shown } = timeRender(text)
      costs.push(`${name} ${(ms / prose).toFixed(1)}×`)
      expect(shown, name).toContain('deep')
      // A ratio, not a time: quadratic work on 50,000 characters is hundreds of times prose.
      expect(ms, `${name}: ${Math.round(ms)} ms against ${Math.round(prose)} ms of prose`).toBeLessThan(prose * 8 + 500)
    }
    console.log(`cost against ${SIZE} characters of prose (${Math.round(prose)} ms): ${costs.join(', ')}`)
  }, 240_000)

  it('never throws and shows every word it parsed, whatever is generated from the Markdown constructs', () => {
    const word = fc.constantFrom('alpha', 'beta', 'gamma')
    const piece = fc.oneof(
      word,
      fc.constantFrom('>', '> ', '- ', '* ', '+ ', '1. ', '1) ', '**', '*', '_', '__', '~~', '~', '[', ']', '](https://a.test)', '![', '`', '``', '```', '~~~',
        '|', '|-|', '\n', '\n\n', '\r', '  ', '    ', '\t', '<', '&', '\\', '#', '---', '[^1]', 'https://b.test', ' '),
      // Deep nesting of one construct, to many times the caps.
      fc.tuple(fc.constantFrom('>', '- ', '1. ', '*', '_', '[', '`', '    ', '> - ', '**_'), fc.integer({ min: 30, max: 3000 }))
        .map(([marker, times]) => marker.repeat(times))
    )
    const answer = fc.array(piece, { maxLength: 120 }).map(parts => parts.join(''))
    fc.assert(fc.property(answer, text => {
      const { text: shown } = timeRender(text)
      // What the parser read as text (not a code block's language or a link's address) is on screen.
      const words = toString(parse(boundNesting(text))).match(/alpha|beta|gamma/g) ?? []
      expect((shown.match(/alpha|beta|gamma/g) ?? []).length).toBeGreaterThanOrEqual(words.length)
    }), { numRuns: 150 })
  }, 240_000)

  it('changes nothing a reader sees in an answer that stays within the caps', () => {
    // Without tables and indented code: a code span in a table cell, or indented code opened
    // inside a quote, can still show an escape's backslash (the caps read lines, not blocks).
    const piece = fc.constantFrom('alpha', 'beta ', ' ', '\n', '\n\n', '> ', '- ', '1. ', '**', '*', '_', '~~', '[', ']', '](https://a.test)',
      '`', '```', '|', '#', '---', '[^1]', '\\', '<b>', '&amp;')
    const answer = fc.array(piece, { maxLength: 60 }).map(parts => parts.join(''))
    fc.assert(fc.property(answer, text => {
      // Nor a backslash in a bare URL: after an open `[` GFM links no URL, so the backslash is an escape;
      // with that `[` escaped (it would make every later word walk back) the URL is linked as written.
      fc.pre(!/:\/\/\S*\\/.test(text))
      expect(toString(parse(boundNesting(text)))).toBe(toString(parse(text)))
    }), { numRuns: 2000 })
  })

  it('leaves ordinary answers byte for byte as they are', () => {
    for (const text of ['Plain words.', PROSE, '# Title\n\n- one\n  - two\n\n> quoted **bold**\n\n```js\nconst a = [1, 2]\n```', '| a | b |\n|---|---|\n| [x](https://a.test) | `y` |']) {
      expect(boundNesting(text)).toBe(text)
    }
  })

  it('flattens a tree deeper than it renders into its text, without recursion', () => {
    type Node = { type: string, children?: Node[], value?: string }
    const root: Node = { type: 'root', children: [] }
    let here = root
    for (let i = 0; i < 100_000; i++) {
      const next: Node = { type: 'blockquote', children: [] }
      here.children!.push(next)
      here = next
    }
    here.children!.push({ type: 'paragraph', children: [{ type: 'text', value: 'deep' }] })
    flattenDeep(root as never)
    let depth = 0
    for (let node: Node | undefined = root; node?.children?.[0] !== undefined; node = node.children[0]) depth++
    expect(depth).toBeLessThanOrEqual(MAX_TREE_DEPTH)
    expect(JSON.stringify(root)).toContain('deep')
  })
})
