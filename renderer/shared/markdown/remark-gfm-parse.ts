/**
 * GitHub-flavoured Markdown (tables, strikethrough, autolinks, task lists, footnotes) for reading
 * only. remark-gfm registers the same two parser extensions plus GFM's Markdown writer, which pulls
 * mdast-util-to-markdown (about a quarter of the renderer chunk) into a page that never writes
 * Markdown. Same syntax tree as remark-gfm (a test renders both and compares).
 * @see https://github.com/remarkjs/remark-gfm/blob/main/lib/index.js
 */
import { gfmFromMarkdown } from 'mdast-util-gfm'
import { gfm } from 'micromark-extension-gfm'
import type { Processor } from 'unified'

/** Where remark-parse reads its extensions (its typings add these to unified's `Data`). */
interface ParserData {
  micromarkExtensions?: Array<ReturnType<typeof gfm>>
  fromMarkdownExtensions?: Array<ReturnType<typeof gfmFromMarkdown>>
}

/** A remark plugin: `remarkPlugins={[remarkGfmParse]}`. */
export function remarkGfmParse (this: Processor): void {
  const data = this.data() as ParserData
  ;(data.micromarkExtensions ??= []).push(gfm())
  ;(data.fromMarkdownExtensions ??= []).push(gfmFromMarkdown())
}
