/**
 * The KaTeX chunk: remark-math (only `$$` delimits math: a single `$` is money) and rehype-katex,
 * with KaTeX's stylesheet and fonts. KaTeX is told not to trust commands that make links or
 * HTML, to keep sizes and macro expansion small, and to show an error in place of a bad formula.
 * @see https://katex.org/docs/options
 */
import type { PluggableList } from 'unified'
import remarkMath from 'remark-math'
import rehypeKatex from 'rehype-katex'
import 'katex/dist/katex.min.css'

export const MATH_PLUGINS: { remark: PluggableList, rehype: PluggableList } = {
  remark: [[remarkMath, { singleDollarTextMath: false }]],
  rehype: [[rehypeKatex, { throwOnError: false, trust: false, strict: 'ignore', maxSize: 20, maxExpand: 200, output: 'htmlAndMathml' }]]
}
