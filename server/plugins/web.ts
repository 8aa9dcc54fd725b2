/**
 * Serves the built pages: the participant client at `/`, the host console at `/admin/`, hashed
 * assets with immutable caching and HTML never cached (so a new build reaches everyone).
 * Every text file goes out as the brotli or gzip copy written at build time (vite.config.ts
 * `precompress`) when the browser accepts it, with `Vary: Accept-Encoding`: thirty phones on one
 * Wi-Fi fetch about a third of the bytes, and the host compresses nothing per request.
 * @see https://github.com/fastify/fastify-static#precompressed
 */
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import type { FastifyInstance } from 'fastify'
import fastifyStatic from '@fastify/static'

/** Registers static serving of `webRoot` (a Vite build) if it exists. */
export async function registerWeb (app: FastifyInstance, webRoot: string): Promise<void> {
  if (!existsSync(join(webRoot, 'participant', 'index.html'))) {
    app.log.warn({ webRoot }, 'the web pages are not built; run `npm run build:web`')
    app.get('/', async (_request, reply) => reply.type('text/plain; charset=utf-8').send('MindWeb Host is running, but its web pages are not built. Run `npm run build:web`.'))
    return
  }
  await app.register(fastifyStatic, {
    root: webRoot,
    serve: false,
    cacheControl: false,
    preCompressed: true
  })
  app.get('/assets/*', async (request, reply) => {
    const path = (request.params as { '*': string })['*']
    return reply.header('cache-control', 'public, max-age=31536000, immutable').sendFile(join('assets', path))
  })
  const page = (file: string) => async (_request: unknown, reply: import('fastify').FastifyReply) =>
    await reply.header('cache-control', 'no-cache').sendFile(file)
  app.get('/', page('participant/index.html'))
  app.get('/admin', async (_request, reply) => reply.redirect('/admin/'))
  app.get('/admin/', page('admin/index.html'))
  app.get('/projector', async (_request, reply) => reply.redirect('/projector/'))
  app.get('/projector/', page('projector/index.html'))
  for (const icon of ['favicon.svg', 'favicon.ico', 'manifest.webmanifest']) {
    if (existsSync(join(webRoot, icon))) app.get(`/${icon}`, page(icon))
  }
}
