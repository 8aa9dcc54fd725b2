/**
 * Syntax highlighting, loaded piece by piece: nothing until an answer holds a fenced code block with
 * a language we know, then lowlight's core (highlight.js without grammars) and only the grammars
 * those blocks name, each from its own small chunk. A block whose language is unknown or not yet
 * loaded shows as plain code, which is still readable.
 * @see https://github.com/wooorm/lowlight#use
 */
import type { Element, ElementContent, Root } from 'hast'
import type { LanguageFn } from 'highlight.js'
import type { createLowlight } from 'lowlight'

type Lowlight = ReturnType<typeof createLowlight>
type GrammarModule = Promise<{ default: LanguageFn }>

/**
 * One loader per grammar: lowlight's `common` set plus a few more a classroom meets. Listed one by
 * one so the bundler makes a chunk per language (it cannot follow a computed module name).
 */
export const GRAMMARS: Record<string, () => GrammarModule> = {
  arduino: async () => await import('highlight.js/lib/languages/arduino'),
  bash: async () => await import('highlight.js/lib/languages/bash'),
  c: async () => await import('highlight.js/lib/languages/c'),
  clojure: async () => await import('highlight.js/lib/languages/clojure'),
  cmake: async () => await import('highlight.js/lib/languages/cmake'),
  cpp: async () => await import('highlight.js/lib/languages/cpp'),
  csharp: async () => await import('highlight.js/lib/languages/csharp'),
  css: async () => await import('highlight.js/lib/languages/css'),
  dart: async () => await import('highlight.js/lib/languages/dart'),
  diff: async () => await import('highlight.js/lib/languages/diff'),
  dockerfile: async () => await import('highlight.js/lib/languages/dockerfile'),
  elixir: async () => await import('highlight.js/lib/languages/elixir'),
  erlang: async () => await import('highlight.js/lib/languages/erlang'),
  fortran: async () => await import('highlight.js/lib/languages/fortran'),
  fsharp: async () => await import('highlight.js/lib/languages/fsharp'),
  go: async () => await import('highlight.js/lib/languages/go'),
  graphql: async () => await import('highlight.js/lib/languages/graphql'),
  groovy: async () => await import('highlight.js/lib/languages/groovy'),
  haskell: async () => await import('highlight.js/lib/languages/haskell'),
  ini: async () => await import('highlight.js/lib/languages/ini'),
  java: async () => await import('highlight.js/lib/languages/java'),
  javascript: async () => await import('highlight.js/lib/languages/javascript'),
  json: async () => await import('highlight.js/lib/languages/json'),
  julia: async () => await import('highlight.js/lib/languages/julia'),
  kotlin: async () => await import('highlight.js/lib/languages/kotlin'),
  latex: async () => await import('highlight.js/lib/languages/latex'),
  less: async () => await import('highlight.js/lib/languages/less'),
  lisp: async () => await import('highlight.js/lib/languages/lisp'),
  lua: async () => await import('highlight.js/lib/languages/lua'),
  makefile: async () => await import('highlight.js/lib/languages/makefile'),
  markdown: async () => await import('highlight.js/lib/languages/markdown'),
  matlab: async () => await import('highlight.js/lib/languages/matlab'),
  nginx: async () => await import('highlight.js/lib/languages/nginx'),
  objectivec: async () => await import('highlight.js/lib/languages/objectivec'),
  ocaml: async () => await import('highlight.js/lib/languages/ocaml'),
  perl: async () => await import('highlight.js/lib/languages/perl'),
  pgsql: async () => await import('highlight.js/lib/languages/pgsql'),
  php: async () => await import('highlight.js/lib/languages/php'),
  'php-template': async () => await import('highlight.js/lib/languages/php-template'),
  plaintext: async () => await import('highlight.js/lib/languages/plaintext'),
  powershell: async () => await import('highlight.js/lib/languages/powershell'),
  prolog: async () => await import('highlight.js/lib/languages/prolog'),
  python: async () => await import('highlight.js/lib/languages/python'),
  'python-repl': async () => await import('highlight.js/lib/languages/python-repl'),
  r: async () => await import('highlight.js/lib/languages/r'),
  ruby: async () => await import('highlight.js/lib/languages/ruby'),
  rust: async () => await import('highlight.js/lib/languages/rust'),
  scala: async () => await import('highlight.js/lib/languages/scala'),
  scheme: async () => await import('highlight.js/lib/languages/scheme'),
  scss: async () => await import('highlight.js/lib/languages/scss'),
  shell: async () => await import('highlight.js/lib/languages/shell'),
  sql: async () => await import('highlight.js/lib/languages/sql'),
  swift: async () => await import('highlight.js/lib/languages/swift'),
  typescript: async () => await import('highlight.js/lib/languages/typescript'),
  vbnet: async () => await import('highlight.js/lib/languages/vbnet'),
  verilog: async () => await import('highlight.js/lib/languages/verilog'),
  vhdl: async () => await import('highlight.js/lib/languages/vhdl'),
  wasm: async () => await import('highlight.js/lib/languages/wasm'),
  x86asm: async () => await import('highlight.js/lib/languages/x86asm'),
  xml: async () => await import('highlight.js/lib/languages/xml'),
  yaml: async () => await import('highlight.js/lib/languages/yaml')
}

/** Each grammar's own aliases (a test checks them against the grammars), so ```ts finds `typescript`. */
const ALIAS_LISTS: Record<string, string[]> = {
  arduino: ['ino'],
  bash: ['sh', 'zsh'],
  c: ['h'],
  clojure: ['clj', 'edn'],
  cmake: ['cmake.in'],
  cpp: ['cc', 'c++', 'h++', 'hpp', 'hh', 'hxx', 'cxx'],
  csharp: ['cs', 'c#'],
  diff: ['patch'],
  dockerfile: ['docker'],
  elixir: ['ex', 'exs'],
  erlang: ['erl'],
  fortran: ['f90', 'f95'],
  fsharp: ['fs', 'f#'],
  go: ['golang'],
  graphql: ['gql'],
  haskell: ['hs'],
  ini: ['toml'],
  java: ['jsp'],
  javascript: ['js', 'jsx', 'mjs', 'cjs'],
  json: ['jsonc', 'json5'],
  kotlin: ['kt', 'kts'],
  latex: ['tex'],
  lua: ['pluto'],
  makefile: ['mk', 'mak', 'make'],
  markdown: ['md', 'mkdown', 'mkd'],
  nginx: ['nginxconf'],
  objectivec: ['mm', 'objc', 'obj-c', 'obj-c++', 'objective-c++'],
  ocaml: ['ml'],
  perl: ['pl', 'pm'],
  pgsql: ['postgres', 'postgresql'],
  plaintext: ['text', 'txt'],
  powershell: ['pwsh', 'ps', 'ps1'],
  python: ['py', 'gyp', 'ipython'],
  'python-repl': ['pycon'],
  ruby: ['rb', 'gemspec', 'podspec', 'thor', 'irb'],
  rust: ['rs'],
  scheme: ['scm'],
  shell: ['console', 'shellsession'],
  typescript: ['ts', 'tsx', 'mts', 'cts'],
  vbnet: ['vb'],
  verilog: ['v', 'sv', 'svh'],
  xml: ['html', 'xhtml', 'rss', 'atom', 'xjb', 'xsd', 'xsl', 'plist', 'wsf', 'svg'],
  yaml: ['yml']
}

/** Alias → grammar name. */
export const ALIASES: Record<string, string> = Object.fromEntries(
  Object.entries(ALIAS_LISTS).flatMap(([grammar, aliases]) => aliases.map(alias => [alias, grammar]))
)

let lowlight: Lowlight | null = null
let core: Promise<Lowlight> | null = null
const loading = new Map<string, Promise<void>>()

/** The grammar name for a fence's language word (`ts`, `Python`), or null when we have none. */
export function grammarFor (word: string): string | null {
  const key = word.toLowerCase()
  if (Object.hasOwn(GRAMMARS, key)) return key
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

/** Loads (once) lowlight's core and the given grammars. */
export async function loadGrammars (languages: readonly string[]): Promise<void> {
  core ??= import('lowlight').then(mod => { lowlight = mod.createLowlight(); return lowlight })
  const ll = await core
  await Promise.all(languages.map(async name => {
    if (ll.registered(name)) return
    let pending = loading.get(name)
    if (pending === undefined) {
      const load = GRAMMARS[name]
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
