/**
 * A remark plugin that keeps the syntax tree shallow enough to render: every step after parsing
 * (mdast to hast, hast to React elements, React's commit) recurses once per level. boundNesting
 * caps each kind of nesting before the parse; together they could still stack up (32 quotes, 32
 * lists, 32 links, 32 emphases), so any node deeper than MAX_TREE_DEPTH becomes its plain text.
 * Both walks here use their own stack, never the call stack.
 */
import type { Nodes, Parent, Root, Text } from 'mdast'

/** Levels of the tree that render as Markdown; deeper content shows as text. */
export const MAX_TREE_DEPTH = 64

/** `remarkPlugins={[remarkFlattenDeep]}`. */
export function remarkFlattenDeep (): (tree: Root) => void {
  return flattenDeep
}

/** Replaces, in place, every parent deeper than MAX_TREE_DEPTH with a text node of its content. */
export function flattenDeep (tree: Root): void {
  const stack: Array<{ node: Parent, depth: number }> = [{ node: tree, depth: 0 }]
  for (let item = stack.pop(); item !== undefined; item = stack.pop()) {
    const { node, depth } = item
    const children = node.children as Nodes[]
    for (let i = 0; i < children.length; i++) {
      const child = children[i]!
      if (!('children' in child)) continue
      if (depth + 1 >= MAX_TREE_DEPTH) {
        const text: Text = { type: 'text', value: textOf(child) }
        children[i] = text
      } else {
        stack.push({ node: child, depth: depth + 1 })
      }
    }
  }
}

const BLOCKS = new Set(['paragraph', 'heading', 'blockquote', 'listItem', 'code', 'tableRow', 'html'])

/** The text a reader sees in `root`, blocks on lines of their own. */
export function textOf (root: Nodes): string {
  const parts: string[] = []
  // Strings are pushed as they are due (a block's line break goes after its children).
  const stack: Array<Nodes | string> = [root]
  for (let item = stack.pop(); item !== undefined; item = stack.pop()) {
    if (typeof item === 'string') { parts.push(item); continue }
    if ('value' in item && typeof item.value === 'string') parts.push(item.value)
    if (BLOCKS.has(item.type)) stack.push('\n')
    if ('children' in item) {
      const children = item.children as Nodes[]
      for (let i = children.length - 1; i >= 0; i--) stack.push(children[i]!)
    }
  }
  const text = parts.join('')
  let end = text.length
  while (end > 0 && text[end - 1] === '\n') end--
  return text.slice(0, end)
}
