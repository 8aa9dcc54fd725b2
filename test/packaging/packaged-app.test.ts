/**
 * The packaged desktop app, checked where Electron itself cannot run: what the package carries, its
 * size, its fuses, and its own main process booted under Node with a double of `electron` (it serves
 * the console and re-encodes a photo).
 */
import { after, before, test } from 'node:test'
import assert from 'node:assert/strict'
import { spawn, type ChildProcess } from 'node:child_process'
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { createServer, type Server } from 'node:net'
import { tmpdir } from 'node:os'
import { runInNewContext } from 'node:vm'
import { join, relative } from 'node:path'
import { createInterface } from 'node:readline'
import { extractAll, extractFile, listPackage } from '@electron/asar'
import sharp from 'sharp'
import { FuseV1Options, getCurrentFuseWire } from '@electron/fuses'
import { buildPackagedApp, type PackagedApp } from './build.js'
import { describePayload, measurePayload, PAYLOAD_BUDGET_BYTES } from '../../scripts/payload-size.mjs'

// The stand-in binary is a shell script and the packaged addon must load in this Node: a Linux build on Linux.
const skip = process.platform === 'linux' ? false : 'the packaging test builds and boots a Linux package; it runs on Linux'
let pkg: PackagedApp
before(async () => { if (skip === false) pkg = await buildPackagedApp() }, { timeout: 240_000 })
after(() => pkg?.cleanup())

// A fuse is the byte '0' (off) or '1' (on) in the binary's fuse wire.
const FuseState = { DISABLE: 0x30, ENABLE: 0x31 } as const
const DEV_TOOLS = /node_modules\/(tsx|vite|typescript|esbuild|@esbuild|rolldown|@rolldown|vitest|electron-vite|electron-builder|playwright-core|eslint|jsdom|@types|react|react-dom)\//

function unpackedFiles (dir: string, base = dir): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap(d => d.isDirectory() ? unpackedFiles(join(dir, d.name), base) : ['/' + relative(base, join(dir, d.name))])
}

/** The photo codecs' WebAssembly: read by the main thread, so it stays inside the asar. */
const WASM = [
  '/node_modules/@jsquash/jpeg/codec/dec/mozjpeg_dec.wasm',
  '/node_modules/@jsquash/jpeg/codec/enc/mozjpeg_enc.wasm',
  '/node_modules/@jsquash/png/codec/pkg/squoosh_png_bg.wasm',
  '/node_modules/@jsquash/webp/codec/dec/webp_dec.wasm',
  '/node_modules/@jsquash/webp/codec/enc/webp_enc_simd.wasm'
]

test('the package carries the app, the SQLite addon for its platform only, the image codecs\' WebAssembly, and no development tools', { skip }, () => {
  const asar = join(pkg.resourcesDir, 'app.asar')
  const unpacked = unpackedFiles(join(pkg.resourcesDir, 'app.asar.unpacked'))
  const files = [...listPackage(asar, { isPack: false }), ...unpacked]
  const addons = [...new Set(files.filter(f => f.endsWith('.node')).map(f => f.split('/').pop()))]
  assert.deepEqual(addons, [`${process.platform}-${process.arch}.node`], 'no native code but the SQLite addon (no sharp, no libvips)')
  assert.deepEqual(files.filter(f => f.endsWith('.wasm')).sort(), WASM)
  assert.deepEqual(files.filter(f => /node_modules\/(sharp|@img)\/|libvips/.test(f)), [])
  assert.deepEqual(files.filter(f => DEV_TOOLS.test(f + '/')), [])
  const outside = files.filter(f => !/^\/(package\.json|out|out\/(main|preload)(\/.*)?|dist|dist\/renderer(\/.*)?|assets|assets\/app(\/.*)?|node_modules|node_modules\/(better-sqlite3|@jsquash|@jsquash\/(jpeg|png|webp))(\/.*)?)$/.test(f))
  assert.deepEqual(outside, [], 'only the built app, the SQLite addon and the image codecs are packaged')
  assert.ok(files.includes('/out/preload/index.cjs'))
  assert.ok(files.includes('/dist/renderer/admin/index.html'))
  // The image worker is a plain file, and so is everything it requires: a thread starts from it without the asar.
  assert.ok(unpacked.includes('/out/main/wasm-image-worker.cjs'), 'the image worker is unpacked')
  const worker = readFileSync(join(pkg.resourcesDir, 'app.asar.unpacked/out/main/wasm-image-worker.cjs'), 'utf8')
  const relative = [...worker.matchAll(/require\(["'`](\.[^"'`]+)["'`]\)/g)].map(m => join('/out/main', m[1]!))
  assert.ok(relative.length > 0)
  for (const path of relative) assert.ok(unpacked.includes(path), `${path}, which the worker requires, is unpacked`)
})

test(`the app payload stays within ${PAYLOAD_BUDGET_BYTES / 1024 / 1024} MB`, { skip }, () => {
  const payload = measurePayload(pkg.resourcesDir)
  console.log(describePayload(payload))
  assert.ok(payload.bytes <= PAYLOAD_BUDGET_BYTES, describePayload(payload))
})

test('the fuses are set in the packaged binary', { skip }, async () => {
  const wire = await getCurrentFuseWire(pkg.executable)
  assert.equal(wire[FuseV1Options.RunAsNode], FuseState.DISABLE)
  assert.equal(wire[FuseV1Options.EnableNodeOptionsEnvironmentVariable], FuseState.DISABLE)
  assert.equal(wire[FuseV1Options.EnableNodeCliInspectArguments], FuseState.DISABLE)
  assert.equal(wire[FuseV1Options.OnlyLoadAppFromAsar], FuseState.ENABLE)
  assert.equal(wire[FuseV1Options.EnableEmbeddedAsarIntegrityValidation], FuseState.ENABLE)
  assert.equal(wire[FuseV1Options.GrantFileProtocolExtraPrivileges], FuseState.DISABLE)
})

test('the packaged preload exposes exactly three named functions as window.mindweb, never ipcRenderer', { skip }, async () => {
  const code = extractFile(join(pkg.resourcesDir, 'app.asar'), 'out/preload/index.cjs').toString('utf8')
  const exposed: Record<string, any> = {}
  const invoked: unknown[][] = []
  const electron = {
    contextBridge: { exposeInMainWorld: (key: string, api: unknown) => { exposed[key] = api } },
    ipcRenderer: { invoke: async (...args: unknown[]) => { invoked.push(args); return null } }
  }
  // The sandboxed preload's world: `require` gives only electron.
  runInNewContext(code, { require: (id: string) => { if (id !== 'electron') throw new Error(`the preload required ${id}`); return electron }, module: {}, exports: {} })
  assert.deepEqual(Object.keys(exposed), ['mindweb'])
  assert.deepEqual(Object.keys(exposed.mindweb).sort(), ['getDesktopInfo', 'getServerInfo', 'setOpenAtLogin'])
  await exposed.mindweb.getServerInfo()
  await exposed.mindweb.setOpenAtLogin('yes')
  assert.deepEqual(invoked, [['host:get-server-info'], ['host:set-open-at-login', false]])
})

interface DoubleEvent { event: string, [key: string]: any }

/** The packaged main process, run by Node with the electron double; events arrive as they are reported. */
function bootPackagedMain (appDir: string, userData: string): { child: ChildProcess, next: (event: string, timeoutMs?: number) => Promise<DoubleEvent>, send: (cmd: object) => void, output: () => string } {
  const child = spawn(process.execPath, [join(appDir, 'out/main/index.cjs')], {
    cwd: appDir,
    env: { PATH: process.env.PATH, HOME: userData, MINDWEB_DOUBLE_USER_DATA: userData, MINDWEB_AUTO_UPDATE: '0' },
    stdio: ['pipe', 'pipe', 'pipe']
  })
  const seen: DoubleEvent[] = []
  const waiters: Array<{ event: string, resolve: (e: DoubleEvent) => void }> = []
  let output = ''
  child.stderr!.on('data', (d: Buffer) => { output += d.toString() })
  createInterface({ input: child.stdout! }).on('line', (line) => {
    output += line + '\n'
    if (!line.startsWith('@double ')) return
    const e = JSON.parse(line.slice(8)) as DoubleEvent
    const i = waiters.findIndex(w => w.event === e.event)
    if (i >= 0) waiters.splice(i, 1)[0]!.resolve(e)
    else seen.push(e)
  })
  const next = async (event: string, timeoutMs = 20_000): Promise<DoubleEvent> => {
    const i = seen.findIndex(e => e.event === event)
    if (i >= 0) return seen.splice(i, 1)[0]!
    return await new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no ${event} from the packaged app within ${timeoutMs} ms:\n${output}`)), timeoutMs)
      waiters.push({ event, resolve: (e) => { clearTimeout(timer); resolve(e) } })
    })
  }
  return { child, next, send: (cmd) => child.stdin!.write(JSON.stringify(cmd) + '\n'), output: () => output }
}

test('the packaged main process starts the room, falls back from a taken port, serves the console, answers its window only, and quits cleanly', { skip, timeout: 60_000 }, async (t) => {
  const work = mkdtempSync(join(tmpdir(), 'mindweb-boot-'))
  t.after(() => rmSync(work, { recursive: true, force: true }))
  const appDir = join(work, 'app')
  extractAll(join(pkg.resourcesDir, 'app.asar'), appDir)
  mkdirSync(join(appDir, 'node_modules/electron'), { recursive: true })
  copyFileSync(new URL('./electron-double.cjs', import.meta.url), join(appDir, 'node_modules/electron/index.js'))

  // The port the desktop is set to is taken by another program.
  const blocker: Server = createServer()
  await new Promise<void>(resolve => blocker.listen(0, '0.0.0.0', resolve))
  t.after(() => blocker.close())
  const taken = (blocker.address() as { port: number }).port
  const userData = join(work, 'user')
  mkdirSync(join(userData, 'userData'), { recursive: true })
  writeFileSync(join(userData, 'userData', 'desktop.json'), JSON.stringify({ port: taken }))

  const app = bootPackagedMain(appDir, userData)
  t.after(() => { if (app.child.exitCode === null) app.child.kill('SIGKILL') })

  const win = await app.next('window')
  const url = new URL(win.url as string)
  assert.equal(url.hostname, '127.0.0.1')
  assert.equal(url.pathname, '/admin/')
  assert.equal(url.hash, '', 'the admin token never travels in the URL')
  assert.ok(Number(url.port) > taken, `fell back from ${taken} to ${url.port}`)
  assert.deepEqual([win.webPreferences.sandbox, win.webPreferences.contextIsolation, win.webPreferences.nodeIntegration], [true, true, false])

  // The preload the window names exists and requires nothing but electron.
  assert.ok(existsSync(win.preload), `preload at ${win.preload}`)
  const requires = [...readFileSync(win.preload, 'utf8').matchAll(/require\(["'`]([^"'`]+)["'`]\)/g)].map(m => m[1])
  assert.deepEqual([...new Set(requires)], ['electron'])

  const page = await fetch(win.url)
  assert.equal(page.status, 200)
  assert.match(await page.text(), /<html/i)
  assert.match(page.headers.get('content-security-policy') ?? '', /script-src 'self'(;|$)/, 'a strict CSP: scripts from the host only')
  assert.ok((await app.next('tray')).exists, 'the tray icon is in the package')

  app.send({ cmd: 'invoke', channel: 'host:get-server-info' })
  const info = (await app.next('ipc-result')).result
  assert.equal(info.baseUrl, url.origin)
  const status = await fetch(`${info.baseUrl}/api/admin/status`, { headers: { authorization: `Bearer ${info.adminToken}` } })
  assert.equal(status.status, 200)

  // A photo is re-encoded by the packaged codec: its worker thread and WebAssembly found in the package.
  assert.equal((await fetch(`${info.baseUrl}/api/admin/room`, { method: 'PUT', headers: { authorization: `Bearer ${info.adminToken}`, 'content-type': 'application/json' }, body: JSON.stringify({ photos: 'on' }) })).status, 200)
  const joined = await (await fetch(`${info.baseUrl}/api/users/join`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'Ann' }) })).json() as { token: string }
  const form = new FormData()
  const photo = await sharp({ create: { width: 640, height: 480, channels: 3, background: '#3a7d5c' } }).jpeg().withMetadata({ orientation: 6 }).toBuffer()
  form.set('file', new Blob([new Uint8Array(photo)], { type: 'image/jpeg' }), 'IMG_0001.JPG')
  const uploaded = await fetch(`${info.baseUrl}/api/files`, { method: 'POST', headers: { authorization: `Bearer ${joined.token}` }, body: form })
  const file = await uploaded.json() as { width: number, height: number, mime_type: string }
  assert.equal(uploaded.status, 201, JSON.stringify(file))
  assert.deepEqual([file.width, file.height, file.mime_type], [480, 640, 'image/jpeg'], 'turned upright')

  app.send({ cmd: 'invoke', channel: 'host:get-server-info', asStranger: true })
  assert.match((await app.next('ipc-error')).message, /Refused/)

  app.send({ cmd: 'invoke', channel: 'host:get-desktop-info' })
  const desktop = (await app.next('ipc-result')).result
  assert.deepEqual({ ...desktop, diagnostics: desktop.diagnostics.map((d: { code: string }) => d.code) }, { portFallbackFrom: taken, keyEncryption: 'unavailable', openAtLogin: false, diagnostics: ['TEST_FROM_PHONE', 'LINUX_FIREWALL'] })

  const started = Date.now()
  app.send({ cmd: 'quit' })
  assert.equal((await app.next('exit', 6000)).code, 0)
  await new Promise(resolve => app.child.once('exit', resolve))
  assert.ok(Date.now() - started < 5000, 'quit within 5 s')
  assert.ok(existsSync(join(userData, 'userData', 'data', 'mindweb.db')), 'the room database is in the user-data folder')
  const log = readFileSync(join(userData, 'userData', 'logs', 'host.log'), 'utf8')
  assert.match(log, new RegExp(`room open on port ${url.port} \\(port ${taken} was taken\\)`))
  assert.match(log, /"msg":"Server listening/, 'the server logs into the same file')
  assert.match(log, /quitting \(quit\)/)
})
