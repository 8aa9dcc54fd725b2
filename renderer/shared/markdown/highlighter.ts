/**
 * Syntax highlighting, loaded piece by piece: nothing until an answer holds a fenced code block with
 * a language we know, then lowlight's core (highlight.js without grammars) and only the grammars
 * those blocks name, each from its own small chunk. A block whose language is unknown or not yet
 * loaded shows as plain code, which is still readable.
 * @see https://github.com/wooorm/lowlight#use
 */
import type { Element, ElementContent, Root } from 'hast'
import type { createLowlight } from 'lowlight'
import type { GrammarModule } from './grammars.js'

type Lowlight = ReturnType<typeof createLowlight>

/**
 * Every grammar we can load (lowlight's `common` set plus a few more a classroom meets), with its
 * own aliases so ```ts finds `typescript`. A test checks these against grammars.ts and the grammars.
 */
export const GRAMMAR_ALIASES: Record<string, string[]> = {
  arduino: ['ino'],
  bash: ['sh', 'zsh'],
  c: ['h'],
  clojure: ['clj', 'edn'],
  cmake: ['cmake.in'],
  cpp: ['cc', 'c++', 'h++', 'hpp', 'hh', 'hxx', 'cxx'],
  csharp: ['cs', 'c#'],
  css: [],
  dart: [],
  diff: ['patch'],
  dockerfile: ['docker'],
  elixir: ['ex', 'exs'],
  erlang: ['erl'],
  fortran: ['f90', 'f95'],
  fsharp: ['fs', 'f#'],
  go: ['golang'],
  graphql: ['gql'],
  groovy: [],
  haskell: ['hs'],
  ini: ['toml'],
  java: ['jsp'],
  javascript: ['js', 'jsx', 'mjs', 'cjs'],
  json: ['jsonc', 'json5'],
  julia: [],
  kotlin: ['kt', 'kts'],
  latex: ['tex'],
  less: [],
  lisp: [],
  lua: ['pluto'],
  makefile: ['mk', 'mak', 'make'],
  markdown: ['md', 'mkdown', 'mkd'],
  matlab: [],
  nginx: ['nginxconf'],
  objectivec: ['mm', 'objc', 'obj-c', 'obj-c++', 'objective-c++'],
  ocaml: ['ml'],
  perl: ['pl', 'pm'],
  pgsql: ['postgres', 'postgresql'],
  php: [],
  'php-template': [],
  plaintext: ['text', 'txt'],
  powershell: ['pwsh', 'ps', 'ps1'],
  prolog: [],
  python: ['py', 'gyp', 'ipython'],
  'python-repl': ['pycon'],
  r: [],
  ruby: ['rb', 'gemspec', 'podspec', 'thor', 'irb'],
  rust: ['rs'],
  scala: [],
  scheme: ['scm'],
  scss: [],
  shell: ['console', 'shellsession'],
  sql: [],
  swift: [],
  typescript: ['ts', 'tsx', 'mts', 'cts'],
  vbnet: ['vb'],
  verilog: ['v', 'sv', 'svh'],
  vhdl: [],
  wasm: [],
  x86asm: [],
  xml: ['html', 'xhtml', 'rss', 'atom', 'xjb', 'xsd', 'xsl', 'plist', 'wsf', 'svg'],
  yaml: ['yml']
}

/** Alias → grammar name. */
export const ALIASES: Record<string, string> = Object.fromEntries(
  Object.entries(GRAMMAR_ALIASES).flatMap(([grammar, aliases]) => aliases.map(alias => [alias, grammar]))
)

let lowlight: Lowlight | null = null
let core: Promise<Lowlight> | null = null
let grammarLoaders: Record<string, () => GrammarModule> = {}
const loading = new Map<string, Promise<void>>()

/** The grammar name for a fence's language word (`ts`, `Python`), or null when we have none. */
export function grammarFor (word: string): string | null {
  const key = word.toLowerCase()
  if (Object.hasOwn(GRAMMAR_ALIASES, key)) return key
  return Object.hasOwn(ALIASES, key) ? ALIASES[key]! : null
}

/** The grammars the fenced code blocks of a Markdown text ask for (known ones only, no repeats). */
export function codeLanguages (markdown: string): string[] {
  const found = new Set<string>()
  for (const match of markdown.matchAll(/^ {0,3}(?:`{3,}|~{3,})[ \t]*([^\s`{]+)/gm)) {
    const grammar = grammarFor(match[1]!)
    if (grammar !== null) found.add(grammar)
  }
  return [...found]
}

/** True when every grammar in `languages` is loaded (so highlighting needs no download). */
export function hasGrammars (languages: readonly string[]): boolean {
  return lowlight !== null && languages.every(l => lowlight!.registered(l))
}

/** Loads (once) lowlight's core with the table of grammar loaders, then the given grammars. */
export async function loadGrammars (languages: readonly string[]): Promise<void> {
  core ??= import('./grammars.js').then(mod => {
    const created = mod.createLowlight()
    grammarLoaders = mod.GRAMMARS
    lowlight = created
    return created
  })
  const ll = await core
  await Promise.all(languages.map(async name => {
    if (ll.registered(name)) return
    let pending = loading.get(name)
    if (pending === undefined) {
      const load = grammarLoaders[name]
      if (load === undefined) return
      pending = load().then(mod => { ll.register(name, mod.default) })
      // A failed download may be retried by a later render.
      pending.catch(() => loading.delete(name))
      loading.set(name, pending)
    }
    await pending
  }))
}

/**
 * A rehype plugin that colours `pre > code.language-x` blocks whose grammar is loaded, using the
 * same `hljs-*` classes as highlight.js (markdown.css holds the theme).
 */
export function rehypeHighlightLoaded () {
  return (tree: Root): void => {
    const ll = lowlight
    if (ll === null) return
    visitCode(tree, code => {
      const word = languageOf(code)
      const grammar = word === null ? null : grammarFor(word)
      if (grammar === null || !ll.registered(grammar)) return
      const result = ll.highlight(grammar, textOf(code))
      code.children = result.children as ElementContent[]
      const classes = Array.isArray(code.properties.className) ? code.properties.className : []
      code.properties.className = [...classes, 'hljs']
    })
  }
}

function visitCode (node: Root | Element, onCode: (code: Element) => void): void {
  for (const child of node.children) {
    if (child.type !== 'element') continue
    if (child.tagName === 'pre') {
      for (const inner of child.children) if (inner.type === 'element' && inner.tagName === 'code') onCode(inner)
    } else {
      visitCode(child, onCode)
    }
  }
}

function languageOf (code: Element): string | null {
  const classes = code.properties.className
  if (!Array.isArray(classes)) return null
  for (const c of classes) {
    if (typeof c === 'string' && c.startsWith('language-')) return c.slice('language-'.length)
  }
  return null
}

function textOf (node: Element | ElementContent): string {
  if (node.type === 'text') return node.value
  if (node.type === 'element') return node.children.map(textOf).join('')
  return ''
}
