/**
 * One build for the desktop app (`npm run build`): the main process (with the server bundled in),
 * the console window's preload, and the web pages. The pages are exactly `npm run build:web`'s:
 * their config is imported from vite.config.ts, not copied.
 * @see https://electron-vite.org/config/
 */
import { fileURLToPath } from 'node:url'
import { defineConfig } from 'electron-vite'
import type { Plugin, UserConfig } from 'vite'
import web from './vite.config.js'

const here = (path: string): string => fileURLToPath(new URL(path, import.meta.url))

const pages: UserConfig = web

export default defineConfig({
  main: {
    build: {
      outDir: here('./out/main'),
      // The server and its libraries are bundled into one file, so the package carries no
      // node_modules but the SQLite addon (native: it cannot be bundled) and the image codecs' .wasm
      // files. The image codec's worker thread is a second entry, a file of its own beside it.
      externalizeDeps: false,
      minify: true,
      rolldownOptions: {
        input: { index: here('./main/index.ts'), 'wasm-image-worker': here('./server/adapters/wasm-image-worker.ts') },
        external: ['better-sqlite3'],
        output: { format: 'cjs', entryFileNames: '[name].cjs', chunkFileNames: 'chunks/[name]-[hash].cjs' }
      }
    }
  },
  preload: {
    build: {
      outDir: here('./out/preload'),
      // A sandboxed preload may require only `electron`: one CommonJS file, no chunks.
      externalizeDeps: false,
      rolldownOptions: {
        input: { index: here('./main/preload.ts') },
        output: { format: 'cjs', entryFileNames: '[name].cjs', inlineDynamicImports: true }
      }
    }
  },
  renderer: {
    ...pages,
    // electron-vite sets a relative base and turns minifying off for pages loaded from files;
    // these pages are served over HTTP by the host, as `vite build` makes them.
    plugins: [...(pages.plugins ?? []), keepWebBuild(pages)]
  }
})

/** Puts back what electron-vite's renderer preset changes, so both builds write the same files. */
function keepWebBuild (pages: UserConfig): Plugin {
  return {
    name: 'mindweb:keep-web-build',
    config (config) {
      config.base = pages.base ?? '/'
      config.build = { ...config.build, minify: pages.build?.minify ?? true, modulePreload: pages.build?.modulePreload ?? true }
    }
  }
}
