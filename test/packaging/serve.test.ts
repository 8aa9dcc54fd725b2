/**
 * `npm run serve` in production form: the server compiled to plain JavaScript (out/server) and run
 * by Node with no TypeScript runtime, falling back from a taken port with a notice, and re-encoding
 * a photo (the compiled image worker and the codecs' WebAssembly from node_modules).
 */
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { execFile, spawn } from 'node:child_process'
import { createServer } from 'node:net'
import { join } from 'node:path'
import { promisify } from 'node:util'
import sharp from 'sharp'
import { ROOT } from './build.js'
import { tempDir } from '../helpers/temp-dir.js'

const ADMIN_TOKEN = 'serve-test-admin-token-0123456789'

test('the compiled server starts with node alone, moves to the next port when its own is taken, and re-encodes a photo', { timeout: 120_000 }, async (t) => {
  await promisify(execFile)(process.execPath, [join(ROOT, 'scripts/ensure-server-build.mjs')], { cwd: ROOT })
  const blocker = createServer()
  await new Promise<void>(resolve => blocker.listen(0, '127.0.0.1', resolve))
  t.after(() => blocker.close())
  const taken = (blocker.address() as { port: number }).port
  // No --import, no loader: plain Node on the compiled output, as `npm run serve` runs it.
  const child = spawn(process.execPath, [join(ROOT, 'out/server/start.js'), '--host', '127.0.0.1', '--port', String(taken), '--data-dir', tempDir(t), '--log-level', 'warn', '--admin-token', ADMIN_TOKEN], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] })
  t.after(() => { if (child.exitCode === null) child.kill('SIGKILL') })
  let output = ''
  child.stderr.on('data', (d: Buffer) => { output += d.toString() })
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no banner:\n${output}`)), 30_000)
    child.stdout.on('data', (d: Buffer) => {
      output += d.toString()
      const m = /Host console \(this computer only\): http:\/\/127\.0\.0\.1:(\d+)\/admin\//.exec(output)
      if (m !== null) { clearTimeout(timer); resolve(Number(m[1])) }
    })
    child.once('exit', (code) => reject(new Error(`exited with ${code}:\n${output}`)))
  })
  assert.ok(port > taken)
  assert.match(output, new RegExp(`Port ${taken} was taken by another program, so the room uses port ${port}\\.`))
  assert.equal((await fetch(`http://127.0.0.1:${port}/healthz`)).status, 200)
  const base = `http://127.0.0.1:${port}`
  assert.equal((await fetch(`${base}/api/admin/room`, { method: 'PUT', headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' }, body: JSON.stringify({ photos: 'on' }) })).status, 200)
  const { token } = await (await fetch(`${base}/api/users/join`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'Ann' }) })).json() as { token: string }
  const form = new FormData()
  const photo = await sharp({ create: { width: 640, height: 480, channels: 3, background: '#3a7d5c' } }).jpeg().withMetadata({ orientation: 8 }).toBuffer()
  form.set('file', new Blob([new Uint8Array(photo)], { type: 'image/jpeg' }), 'IMG_0002.JPG')
  const uploaded = await fetch(`${base}/api/files`, { method: 'POST', headers: { authorization: `Bearer ${token}` }, body: form })
  const file = await uploaded.json() as { width: number, height: number, mime_type: string }
  assert.equal(uploaded.status, 201, JSON.stringify(file))
  assert.deepEqual([file.width, file.height, file.mime_type], [480, 640, 'image/jpeg'])
  const exited = new Promise<number | null>(resolve => child.once('exit', resolve))
  child.kill('SIGTERM')
  assert.equal(await exited, 0)
})
