/**
 * Builds the two browser entries (participant client at `/`, host console at `/admin/`) into
 * dist/renderer, which the host serves with a strict CSP: no inline scripts, no CDNs.
 * @see https://vite.dev/guide/build.html#multi-page-app
 */
import { readdir, readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import { brotliCompress, constants as zlib, gzip } from 'node:zlib'
import { defineConfig, type Plugin } from 'vite'
import react from '@vitejs/plugin-react'

const root = fileURLToPath(new URL('./renderer', import.meta.url))
const devTarget = 'http://127.0.0.1:8000'

export default defineConfig({
  root,
  base: '/',
  plugins: [react(), katexWoff2Only(), precompress()],
  build: {
    outDir: fileURLToPath(new URL('./dist/renderer', import.meta.url)),
    emptyOutDir: true,
    target: 'es2022',
    // Cheap phones on a busy Wi-Fi: small chunks, no source maps shipped.
    sourcemap: false,
    chunkSizeWarningLimit: 400,
    rolldownOptions: {
      // The protocol module builds TypeBox schemas at load; the pages only use its types and
      // helpers, so those calls may be dropped.
      treeshake: { manualPureFunctions: ['Type'] },
      input: {
        participant: `${root}/participant/index.html`,
        admin: `${root}/admin/index.html`,
        projector: `${root}/projector/index.html`
      }
    }
  },
  server: {
    host: '127.0.0.1',
    // `vite` in dev talks to a host started with `npm run dev:server`.
    proxy: {
      '/api': { target: devTarget, ws: true },
      '/healthz': devTarget
    }
  }
})

/**
 * KaTeX's stylesheet names each font three times (woff2, woff, ttf); every browser the pages
 * support reads woff2, so the other two are dropped before Vite copies them: 1.2 MB of fonts in
 * the build and the desktop package become about 0.3 MB.
 */
function katexWoff2Only (): Plugin {
  return {
    name: 'mindweb-katex-woff2-only',
    enforce: 'pre',
    transform (code, id) {
      if (!/[\\/]katex[\\/]dist[\\/]katex(\.min)?\.css$/.test(id)) return null
      return { code: code.replace(/,url\(fonts\/[^)]+\.(?:woff|ttf)\) format\("(?:woff|truetype)"\)/g, ''), map: null }
    }
  }
}

const COMPRESSIBLE = /\.(?:js|mjs|css|html|svg|json|webmanifest|txt|xml|ico|wasm)$/
const brotli = promisify(brotliCompress)
const gzipAsync = promisify(gzip)

/**
 * Writes `<file>.br` (quality 11) and `<file>.gz` (level 9) beside every text asset of the build,
 * once, so the host sends them as they are (@fastify/static `preCompressed`) and spends no CPU per
 * request. A file whose compressed form is not smaller keeps only its plain copy. Twenty lines of
 * node:zlib rather than a plugin: nothing to keep up to date, and it also covers the HTML pages.
 */
function precompress (): Plugin {
  return {
    name: 'mindweb:precompress',
    apply: 'build',
    // After a successful write only (closeBundle also runs after a failed build).
    async writeBundle (options) {
      const outDir = options.dir ?? ''
      const files = (await readdir(outDir, { recursive: true })).filter(name => COMPRESSIBLE.test(name))
      await Promise.all(files.map(async name => {
        const path = join(outDir, name)
        const body = await readFile(path)
        const [br, gz] = await Promise.all([
          brotli(body, { params: { [zlib.BROTLI_PARAM_QUALITY]: 11, [zlib.BROTLI_PARAM_SIZE_HINT]: body.length, [zlib.BROTLI_PARAM_MODE]: zlib.BROTLI_MODE_TEXT } }),
          gzipAsync(body, { level: 9 })
        ])
        if (br.length < body.length) await writeFile(`${path}.br`, br)
        if (gz.length < body.length) await writeFile(`${path}.gz`, gz)
      }))
    }
  }
}
