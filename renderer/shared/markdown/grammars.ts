/**
 * The highlighter's own chunk: lowlight's core and one loader per grammar, each grammar a chunk of
 * its own (the bundler cannot follow a computed module name, so they are listed one by one). The
 * Markdown renderer fetches this only for a code block in a language we know (highlighter.ts).
 */
import type { LanguageFn } from 'highlight.js'

export { createLowlight } from 'lowlight'

export type GrammarModule = Promise<{ default: LanguageFn }>

/** The grammars named in highlighter.ts `GRAMMAR_ALIASES` (a test keeps the two lists equal). */
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
