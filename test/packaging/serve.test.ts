/**
 * `npm run serve` in production form: the server compiled to plain JavaScript (out/server) and run
 * by Node with no TypeScript runtime, falling back from a taken port with a notice.
 */
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { execFile, spawn } from 'node:child_process'
import { createServer } from 'node:net'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { ROOT } from './build.js'
import { tempDir } from '../helpers/temp-dir.js'

test('the compiled server starts with node alone and moves to the next port when its own is taken', { timeout: 120_000 }, async (t) => {
  await promisify(execFile)(process.execPath, [join(ROOT, 'scripts/ensure-server-build.mjs')], { cwd: ROOT })
  const blocker = createServer()
  await new Promise<void>(resolve => blocker.listen(0, '127.0.0.1', resolve))
  t.after(() => blocker.close())
  const taken = (blocker.address() as { port: number }).port
  // No --import, no loader: plain Node on the compiled output, as `npm run serve` runs it.
  const child = spawn(process.execPath, [join(ROOT, 'out/server/start.js'), '--host', '127.0.0.1', '--port', String(taken), '--data-dir', tempDir(t), '--log-level', 'warn'], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] })
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
  const exited = new Promise<number | null>(resolve => child.once('exit', resolve))
  child.kill('SIGTERM')
  assert.equal(await exited, 0)
})
