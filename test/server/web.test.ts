/**
 * The built pages over real HTTP: every text file goes out as its build-time brotli or gzip copy
 * when accepted (decoding to exactly the file), plain otherwise, always with `Vary: Accept-Encoding`;
 * hashed assets are immutable and HTML is never cached. The web build is made here, into a temp
 * directory, with the project's own vite.config.ts (so its precompress step is tested too).
 */
import assert from 'node:assert/strict'
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs'
import { request } from 'node:http'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { after, before, describe, test } from 'node:test'
import { brotliDecompressSync, gunzipSync } from 'node:zlib'
import { build } from 'vite'
import { startHost } from '../helpers/host.js'

const ROOT = fileURLToPath(new URL('../..', import.meta.url))
const TEXT = /\.(?:js|css|html|svg|json|webmanifest)$/

interface RawResponse { status: number, headers: Record<string, string | string[] | undefined>, body: Buffer }

/** GET with a chosen Accept-Encoding, returning the bytes as sent (fetch() would decode them). */
async function getRaw (url: string, acceptEncoding: string | null): Promise<RawResponse> {
  return await new Promise((resolve, reject) => {
    const req = request(url, { headers: acceptEncoding === null ? {} : { 'accept-encoding': acceptEncoding } }, res => {
      const chunks: Buffer[] = []
      res.on('data', (chunk: Buffer) => chunks.push(chunk))
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }))
      res.on('error', reject)
    })
    req.on('error', reject)
    req.end()
  })
}

function varyList (res: RawResponse): string[] {
  return String(res.headers.vary ?? '').toLowerCase().split(',').map(s => s.trim())
}

describe('web pages: precompressed and cached right', () => {
  let webRoot = ''
  let assets: string[] = []

  before(async () => {
    webRoot = mkdtempSync(join(tmpdir(), 'mindweb-web-'))
    await build({ configFile: join(ROOT, 'vite.config.ts'), logLevel: 'silent', build: { outDir: webRoot, emptyOutDir: true } })
    assets = readdirSync(join(webRoot, 'assets')).filter(name => TEXT.test(name))
  })
  after(() => { rmSync(webRoot, { recursive: true, force: true }) })

  test('the build writes a brotli and a gzip copy beside every text file that shrinks', () => {
    const files = [...assets.map(a => join('assets', a)), 'participant/index.html', 'admin/index.html']
    assert.ok(assets.some(a => a.endsWith('.js')) && assets.some(a => a.endsWith('.css')), `assets: ${assets.join(', ')}`)
    for (const file of files) {
      const plain = readFileSync(join(webRoot, file))
      for (const [ext, decode] of [['.br', brotliDecompressSync], ['.gz', gunzipSync]] as const) {
        const path = join(webRoot, file + ext)
        if (plain.length < 200 && !existsSync(path)) continue // too small to shrink
        assert.ok(existsSync(path), `${file}${ext} is missing`)
        const packed = readFileSync(path)
        assert.ok(packed.length < plain.length, `${file}${ext} is not smaller`)
        assert.ok(decode(packed).equals(plain), `${file}${ext} does not decode to the file`)
      }
    }
  })

  test('assets and pages go out as br or gzip as accepted, decode to the file, and vary on Accept-Encoding', async (t) => {
    const host = await startHost(t, { config: { webRoot } })
    const targets = [
      ...assets.map(a => ({ url: `/assets/${a}`, file: join('assets', a), cache: 'public, max-age=31536000, immutable' })),
      { url: '/', file: 'participant/index.html', cache: 'no-cache' },
      { url: '/admin/', file: 'admin/index.html', cache: 'no-cache' },
      ...(existsSync(join(webRoot, 'projector/index.html')) ? [{ url: '/projector/', file: 'projector/index.html', cache: 'no-cache' }] : [])
    ]
    for (const target of targets) {
      const plain = readFileSync(join(webRoot, target.file))
      const type = target.file.endsWith('.js') ? /javascript/ : target.file.endsWith('.css') ? /text\/css/ : /text\/html/
      for (const [accept, encoding] of [['br, gzip', 'br'], ['gzip, deflate', 'gzip'], ['gzip;q=0.5, br;q=1', 'br'], [null, undefined], ['identity', undefined]] as const) {
        const res = await getRaw(host.url + target.url, accept)
        const what = `${target.url} with Accept-Encoding ${accept ?? '(none)'}`
        assert.equal(res.status, 200, what)
        const expected = encoding !== undefined && existsSync(join(webRoot, target.file + (encoding === 'br' ? '.br' : '.gz'))) ? encoding : undefined
        assert.equal(res.headers['content-encoding'], expected, what)
        assert.ok(varyList(res).includes('accept-encoding'), `${what}: Vary is ${String(res.headers.vary)}`)
        assert.match(String(res.headers['content-type']), type, what)
        assert.equal(res.headers['cache-control'], target.cache, what)
        assert.equal(Number(res.headers['content-length']), res.body.length, what)
        const decoded = expected === 'br' ? brotliDecompressSync(res.body) : expected === 'gzip' ? gunzipSync(res.body) : res.body
        assert.ok(decoded.equals(plain), `${what}: the decoded body differs from the file`)
        if (expected !== undefined) assert.ok(res.body.length < plain.length, `${what}: not smaller`)
      }
    }
  })

  test('a first visit\'s JavaScript and CSS shrink to well under half with brotli', async (t) => {
    const host = await startHost(t, { config: { webRoot } })
    const html = readFileSync(join(webRoot, 'participant/index.html'), 'utf8')
    const linked = [...html.matchAll(/(?:src|href)="(\/assets\/[^"]+)"/g)].map(m => m[1]!)
    assert.ok(linked.length >= 2, `the page links ${linked.join(', ')}`)
    let plainBytes = 0
    let sentBytes = 0
    for (const url of linked) {
      const res = await getRaw(host.url + url, 'br, gzip')
      assert.equal(res.headers['content-encoding'], 'br', url)
      sentBytes += res.body.length
      plainBytes += readFileSync(join(webRoot, url)).length
    }
    assert.ok(sentBytes < plainBytes * 0.4, `sent ${sentBytes} of ${plainBytes} bytes`)
  })
})
