/**
 * The real host as its own process (`server/start.ts` under tsx), for tests that kill it with
 * SIGKILL and restart it on the same data. Resolves once it prints its URL; killed after the test.
 */
import type { TestContext } from 'node:test'
import { spawn, type ChildProcess } from 'node:child_process'
import { join } from 'node:path'
import type { FakeDify } from './fake-dify.js'

const root = join(import.meta.dirname, '..', '..')

export interface HostProcess { url: string, child: ChildProcess }

/** Starts the host on 127.0.0.1 (a free port) with `dataDir` and the fake Dify; `extraArgs` go after the defaults. */
export async function spawnHost (t: TestContext, o: { dataDir: string, dify: FakeDify, extraArgs?: string[], startTimeoutMs?: number }): Promise<HostProcess> {
  const args = ['--import', 'tsx', 'server/start.ts', '--host', '127.0.0.1', '--port', '0', '--data-dir', o.dataDir, '--log-level', 'warn', ...(o.extraArgs ?? [])]
  const child = spawn(process.execPath, args, {
    cwd: root,
    env: { ...process.env, DIFY_API_URL: o.dify.url, DIFY_API_KEY: o.dify.apiKey },
    stdio: ['ignore', 'pipe', 'pipe']
  })
  t.after(() => child.kill('SIGKILL'))
  const url = await new Promise<string>((resolve, reject) => {
    let out = ''
    const timer = setTimeout(() => reject(new Error(`host did not start: ${out}`)), o.startTimeoutMs ?? 30_000)
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString()
      const m = /http:\/\/127\.0\.0\.1:(\d+)\//.exec(out)
      if (m !== null) { clearTimeout(timer); resolve(`http://127.0.0.1:${m[1]}`) }
    })
    child.stderr.on('data', (d: Buffer) => { out += d.toString() })
    child.once('exit', (code) => { clearTimeout(timer); reject(new Error(`host exited with ${code}: ${out}`)) })
  })
  return { url, child }
}
