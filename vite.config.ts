/**
 * Builds the two browser entries (participant client at `/`, host console at `/admin/`) into
 * dist/renderer, which the host serves with a strict CSP: no inline scripts, no CDNs.
 * @see https://vite.dev/guide/build.html#multi-page-app
 */
import { fileURLToPath } from 'node:url'
import { defineConfig } from 'vite'
import react from '@vitejs/plugin-react'

const root = fileURLToPath(new URL('./renderer', import.meta.url))
const devTarget = 'http://127.0.0.1:8000'

export default defineConfig({
  root,
  base: '/',
  plugins: [react()],
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
        admin: `${root}/admin/index.html`
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
