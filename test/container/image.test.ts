/**
 * The Dockerfile, built and run with podman on a base made here (no registry image can be pulled
 * on this machine): `debootstrap --variant=minbase bookworm` plus this machine's Node 24 binary and
 * npm (Node is a single executable with its own CA store, so the base needs nothing else). The
 * image is built with that base as its BASE argument, started with the plain single-process host on
 * the host network, and asked for a join, a socket and an AI answer from the fake Dify. The base is
 * made once and kept as the image `mindweb-base-local` (with the CA in NODE_EXTRA_CA_CERTS, where
 * this machine reaches the npm registry through a proxy of its own). Skipped, saying why, without podman,
 * debootstrap or root. Bounded: every step has a deadline; the container is removed at the end.
 */
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { execFileSync, spawnSync } from 'node:child_process'
import { cpSync, mkdtempSync, realpathSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { startFakeDify } from '../helpers/fake-dify.js'
import { freePort } from '../helpers/net.js'
import { TestClient } from '../helpers/ws-client.js'

const root = join(import.meta.dirname, '..', '..')
const BASE = 'mindweb-base-local'
const IMAGE = 'mindweb-host:test'
/** crun fails on this kernel's cgroups and higher ulimits are refused (docs/scale-out.md, "Containers"). */
const PODMAN = ['--runtime', 'runc', '--cgroup-manager', 'cgroupfs']
const ULIMITS = ['--ulimit', 'nofile=1024:1024', '--ulimit', 'nproc=1024:1024']

function missing (): string | null {
  for (const bin of ['podman', 'debootstrap', 'runc']) {
    if (spawnSync('sh', ['-c', `command -v ${bin} || test -x /usr/sbin/${bin}`]).status !== 0) return `${bin} is not installed (Debian: apt-get install podman runc debootstrap)`
  }
  if (process.getuid?.() !== 0) return 'podman build with a debootstrap base needs root here'
  const info = spawnSync('podman', [...PODMAN, 'info'], { encoding: 'utf8', timeout: 30_000 })
  if (info.status !== 0) return `podman cannot run containers here: ${(info.stderr ?? '').trim().split('\n')[0] ?? ''}`
  return null
}

const podman = (args: string[], timeoutMs: number): string =>
  execFileSync('podman', [...PODMAN, ...args], { encoding: 'utf8', timeout: timeoutMs, maxBuffer: 64 * 1024 * 1024, stdio: ['ignore', 'pipe', 'pipe'] })

/** Makes the base once: Debian minbase, this machine's Node 24 and npm. */
function ensureBase (): void {
  if (spawnSync('podman', [...PODMAN, 'image', 'exists', BASE]).status === 0) return
  const dir = mkdtempSync(join(tmpdir(), 'mindweb-base-'))
  try {
    execFileSync('debootstrap', ['--variant=minbase', 'bookworm', dir, debianMirror()], { stdio: 'ignore', timeout: 240_000 })
    const node = realpathSync(process.execPath)
    cpSync(node, join(dir, 'usr/local/bin/node'))
    const npm = realpathSync(join(dirname(realpathSync(execFileSync('sh', ['-c', 'command -v npm'], { encoding: 'utf8' }).trim())), '..'))
    cpSync(npm, join(dir, 'usr/local/lib/node_modules/npm'), { recursive: true })
    execFileSync('sh', ['-c', `ln -sf ../lib/node_modules/npm/bin/npm-cli.js ${dir}/usr/local/bin/npm && ln -sf ../lib/node_modules/npm/bin/npx-cli.js ${dir}/usr/local/bin/npx`])
    // Where this machine reaches the npm registry through a proxy with its own CA, the base trusts it too.
    const changes: string[] = []
    const extraCa = process.env.NODE_EXTRA_CA_CERTS
    if (extraCa !== undefined && extraCa !== '') {
      cpSync(extraCa, join(dir, 'etc/ssl/certs/mindweb-extra-ca.crt'))
      changes.push('--change', 'ENV NODE_EXTRA_CA_CERTS=/etc/ssl/certs/mindweb-extra-ca.crt')
    }
    execFileSync('sh', ['-c', `tar -C "$0" -c . | podman ${PODMAN.join(' ')} import "$@" - ${BASE}`, dir, ...changes], { stdio: 'ignore', timeout: 120_000 })
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}

/** The Debian mirror apt uses here. */
function debianMirror (): string {
  const out = spawnSync('sh', ['-c', 'cat /etc/apt/sources.list /etc/apt/sources.list.d/* 2>/dev/null'], { encoding: 'utf8' }).stdout
  const m = /(?:URIs:|deb)\s+(https?:\/\/\S+\/debian)\b(?!-security)/.exec(out)
  return m?.[1] ?? 'http://deb.debian.org/debian'
}

const skip = missing()

test('the image builds on a local base and serves a join and an AI answer', { skip: skip ?? false, timeout: 540_000 }, async (t) => {
  ensureBase()
  podman(['build', ...ULIMITS, '--format', 'docker', '--build-arg', `BASE=${BASE}`, '-t', IMAGE, root], 420_000)
  assert.equal(podman(['image', 'inspect', IMAGE, '--format', '{{.Config.User}}'], 30_000).trim(), '10001:10001', 'runs without privileges')
  const health = JSON.parse(podman(['image', 'inspect', IMAGE, '--format', '{{json .Config.Healthcheck}}'], 30_000)) as { Test?: string[] } | null
  assert.ok(health?.Test?.join(' ').includes('/healthz'), 'HEALTHCHECK on /healthz')

  const dify = await startFakeDify({})
  t.after(async () => { await dify.close() })
  const port = await freePort()
  const name = `mindweb-test-${process.pid}`
  podman(['run', '-d', '--rm', '--name', name, ...ULIMITS, '--network', 'host', '-e', `PORT=${port}`, '-e', 'HOST=127.0.0.1',
    '-e', `DIFY_API_URL=${dify.url}`, '-e', `DIFY_API_KEY=${dify.apiKey}`, IMAGE, '--limits', 'off'], 60_000)
  t.after(() => { spawnSync('podman', [...PODMAN, 'rm', '-f', name], { timeout: 30_000 }) })

  const base = `http://127.0.0.1:${port}`
  const until = Date.now() + 30_000
  for (;;) {
    const ok = await fetch(`${base}/healthz`).then(r => r.ok, () => false)
    if (ok) break
    if (Date.now() > until) throw new Error(`the container did not answer /healthz: ${spawnSync('podman', [...PODMAN, 'logs', name], { encoding: 'utf8' }).stdout}`)
    await new Promise(resolve => setTimeout(resolve, 250))
  }
  const page = await fetch(`${base}/`)
  assert.equal(page.status, 200, 'serves the participant page')
  const joined = await (await fetch(`${base}/api/users/join`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'container' }) })).json() as { token: string }
  const c = new TestClient(`ws://127.0.0.1:${port}/api/broadcast/ws?token=${joined.token}`)
  await c.opened()
  await c.waitType('hello')
  c.chat('@ai hello from a container', 'c1')
  const [end] = await c.waitType('ai_message_end', 1, 20_000)
  assert.ok(end!.content.length > 0)
  await c.close()
})

if (skip !== null) test(`container test skipped: ${skip}`, { skip }, () => {})
