/** A fenced code block with its language and a copy button. */
import { useState, type ComponentPropsWithoutRef } from 'react'
import type { ExtraProps } from 'react-markdown'
import { useT } from '../i18n/index.js'
import { copyText } from './copy-text.js'

type HastNode = NonNullable<ExtraProps['node']>

export function CodeBlock ({ node, children }: ComponentPropsWithoutRef<'pre'> & ExtraProps) {
  const t = useT()
  const [isCopied, setIsCopied] = useState(false)
  const code = node ? findCode(node) : undefined
  const language = code ? languageOf(code) : null

  const onCopy = async (): Promise<void> => {
    if (!node) return
    if (await copyText(textOf(node).replace(/\n$/, ''))) {
      setIsCopied(true)
      setTimeout(() => setIsCopied(false), 1500)
    }
  }

  return (
    <div className='code-block'>
      <div className='code-block__bar'>
        <span className='code-block__lang'>{language ?? ''}</span>
        <button type='button' className='code-block__copy' onClick={() => { onCopy().catch(ignore) }} aria-label={t.ai.copyCode}>
          {isCopied ? t.ai.copied : t.ai.copy}
        </button>
      </div>
      <pre>{children}</pre>
    </div>
  )
}

function findCode (node: HastNode): HastNode | undefined {
  for (const child of node.children) {
    if (child.type === 'element' && child.tagName === 'code') return child
  }
  return undefined
}

function languageOf (code: HastNode): string | null {
  const classes: unknown = code.properties.className
  const list: unknown[] = Array.isArray(classes) ? classes : typeof classes === 'string' ? classes.split(' ') : []
  for (const c of list) {
    if (typeof c === 'string' && c.startsWith('language-')) return c.slice('language-'.length)
  }
  return null
}

/** The plain text of a hast subtree (what the user sees in the block). */
function textOf (node: HastNode | HastNode['children'][number]): string {
  if (node.type === 'text') return node.value
  if (node.type === 'element') return node.children.map(textOf).join('')
  return ''
}

function ignore (): void { /* copying is best effort */ }
