/**
 * Safe Markdown for AI answers: react-markdown + GFM (tables, lists, autolinks) and, once
 * the grammars its code blocks name are loaded, syntax highlighting; math with KaTeX once its
 * chunk is loaded (math.ts). No rehype-raw: raw HTML in an
 * answer shows as literal text, never as markup. Links open in a new tab and must be http(s) or
 * mailto; images show as links.
 * @see https://github.com/remarkjs/react-markdown#security
 */
import { memo, useEffect, useMemo, useState, type ComponentPropsWithoutRef } from 'react'
import Markdown, { type Components, type ExtraProps } from 'react-markdown'
import { useT } from '../i18n/index.js'
import { CodeBlock } from './code-block.js'
import { codeLanguages, hasGrammars, loadGrammars, rehypeHighlightLoaded } from './highlighter.js'
import { boundNesting } from './bound-nesting.js'
import { remarkFlattenDeep } from './flatten-deep.js'
import { remarkGfmParse } from './remark-gfm-parse.js'
import { safeUrl } from './safe-url.js'
import { hasMath, loadMath, mathPlugins, normalizeMath } from './math.js'
import './markdown.css'

export interface MarkdownViewProps {
  text: string
  isStreaming?: boolean
}

const remarkPlugins = [remarkGfmParse, remarkFlattenDeep]
const highlightPlugins = [rehypeHighlightLoaded]

/** Renders one answer; re-renders only when its text changes. */
export const MarkdownView = memo(function MarkdownView ({ text, isStreaming = false }: MarkdownViewProps) {
  // Joined into one string so the effect below reruns only when the set of languages changes.
  const languages = codeLanguages(text).join(' ')
  // Set once the grammars (or the math chunk) arrive, to render again with them.
  const [, setLoaded] = useState('')
  const withMath = hasMath(text)
  const math = withMath ? mathPlugins() : null

  useEffect(() => {
    if (!withMath || mathPlugins() !== null) return
    let isCurrent = true
    loadMath().then(() => { if (isCurrent) setLoaded('math') }, () => { /* the formulas stay text */ })
    return () => { isCurrent = false }
  }, [withMath])

  const remark = useMemo(() => math === null ? remarkPlugins : [...remarkPlugins, ...math.remark], [math])
  const rehype = useMemo(() => {
    const list = [...(languages !== '' ? highlightPlugins : []), ...(math?.rehype ?? [])]
    return list.length === 0 ? undefined : list
  }, [languages, math])

  useEffect(() => {
    if (languages === '' || hasGrammars(languages.split(' '))) return
    let isCurrent = true
    loadGrammars(languages.split(' ')).then(() => { if (isCurrent) setLoaded(languages) }, () => { /* plain code is fine */ })
    return () => { isCurrent = false }
  }, [languages])

  return (
    <div className={isStreaming ? 'md is-streaming' : 'md'}>
      <Markdown
        remarkPlugins={remark}
        rehypePlugins={rehype}
        urlTransform={safeUrl}
        components={components}
      >
        {boundNesting(math !== null ? normalizeMath(text) : text)}
      </Markdown>
    </div>
  )
})

function SafeLink ({ href, children }: ComponentPropsWithoutRef<'a'> & ExtraProps) {
  if (!href) return <span className='md__dead-link'>{children}</span>
  return <a href={href} target='_blank' rel='noopener noreferrer'>{children}</a>
}

function ImageAsLink ({ src, alt }: ComponentPropsWithoutRef<'img'> & ExtraProps) {
  const t = useT()
  const label = `🖼 ${alt || t.ai.image}`
  // Remote images would leak who reads the room (and the CSP blocks them anyway).
  if (typeof src !== 'string' || !src) return <span>{label}</span>
  return <a href={src} target='_blank' rel='noopener noreferrer'>{label}</a>
}

function ScrollTable ({ children }: ComponentPropsWithoutRef<'table'> & ExtraProps) {
  return <div className='md__table'><table>{children}</table></div>
}

const components: Components = {
  a: SafeLink,
  img: ImageAsLink,
  pre: CodeBlock,
  table: ScrollTable
}

export default MarkdownView
