import { after, test } from 'node:test'
import assert from 'node:assert/strict'
import net from 'node:net'
import { hostname } from 'node:os'
import WebSocket from 'ws'
import { startHost, type TestHost } from '../helpers/host.js'
import { closeAgents } from '../helpers/net.js'
import { createHostNames } from '../../server/plugins/host-check.js'

after(closeAgents)

/** A raw HTTP/1.1 request with this Host header (fetch cannot set Host). */
async function withHost (host: TestHost, hostHeader: string, path = '/api/room', extra = ''): Promise<{ status: number, body: string }> {
  return await raw(host, `GET ${path} HTTP/1.1\r\nHost: ${hostHeader}\r\nConnection: close\r\n${extra}\r\n`)
}

/** Writes `request` as is and reads the whole answer. */
async function raw (host: TestHost, request: string): Promise<{ status: number, body: string }> {
  const port = Number(new URL(host.url).port)
  const text = await new Promise<string>((resolve, reject) => {
    const socket = net.connect({ host: '127.0.0.1', port }, () => { socket.write(request) })
    let data = ''
    socket.on('data', d => { data += d.toString() })
    socket.on('end', () => resolve(data))
    socket.on('error', reject)
  })
  return { status: Number(text.slice(9, 12)), body: text.slice(text.indexOf('\r\n\r\n') + 4) }
}

test('only Host names of this computer are answered; anything else is 403 ERR_HOST_NOT_ALLOWED saying how to allow it', async (t) => {
  const host = await startHost(t)
  const port = new URL(host.url).port
  for (const ok of [`127.0.0.1:${port}`, `localhost:${port}`, `LOCALHOST:${port}`, `[::1]:${port}`, `127.0.0.2:${port}`, `${hostname()}:${port}`, `${hostname()}.local:${port}`, 'localhost']) {
    assert.equal((await withHost(host, ok)).status, 200, ok)
  }
  for (const bad of [`evil.example:${port}`, 'attacker.example', `192.0.2.77:${port}`, `localhost.evil.example:${port}`, `127.0.0.1.nip.io:${port}`]) {
    const res = await withHost(host, bad)
    assert.equal(res.status, 403, bad)
    const body = JSON.parse(res.body)
    assert.equal(body.error.code, 'ERR_HOST_NOT_ALLOWED')
    assert.match(body.error.message, /Allowed host names|--allowed-host/)
  }
  // pages and the health check are protected the same way
  assert.equal((await withHost(host, 'evil.example', '/healthz')).status, 403)
  assert.equal((await withHost(host, 'evil.example', '/')).status, 403)
})

test('the Host header is parsed strictly: anything but a name or address with a port 1-65535 is 400', async (t) => {
  const host = await startHost(t)
  const port = new URL(host.url).port
  for (const ok of [`127.0.0.1:${port}`, `localhost:${port}`, `[::1]:${port}`, '[::1]', `${hostname()}:${port}`, 'localhost:1', 'localhost:65535', 'localhost.']) {
    assert.equal((await withHost(host, ok)).status, 200, ok)
  }
  const bad = [
    'localhost:1@evil.example', 'localhost:1@127.0.0.1', `user@localhost:${port}`, `user:pw@127.0.0.1:${port}`, '', ' ', 'a b', `localhost ${port}`,
    `localhost:${port}/path`, 'localhost/', '127.0.0.1:', 'localhost:port', 'localhost:0', 'localhost:65536', 'localhost:123456', 'localhost:-1',
    `localhost:${port}:${port}`, '[::1', '::1', '[127.0.0.1]', '[::1]x', 'local..host', '.localhost', 'localhost?x', 'localhost#x', 'localhost\\evil', '%6cocalhost'
  ]
  for (const value of bad) {
    const res = await withHost(host, value)
    assert.equal(res.status, 400, JSON.stringify(value))
    const body = JSON.parse(res.body)
    assert.equal(body.error.code, 'ERR_BAD_REQUEST', value)
    assert.ok(body.error.message.length > 0)
  }
  // no Host at all: HTTP/1.1 needs one (answered in the protocol's shape), HTTP/1.0 may go without
  const none = await raw(host, 'GET /api/room HTTP/1.1\r\nConnection: close\r\n\r\n')
  assert.equal(none.status, 400)
  assert.equal(JSON.parse(none.body).error.code, 'ERR_BAD_REQUEST')
  assert.equal((await raw(host, 'GET /api/room HTTP/1.0\r\n\r\n')).status, 200)
})

test('a name the host adds in the settings (or with --allowed-host) is answered at once', async (t) => {
  const host = await startHost(t, { config: { allowedHosts: ['lab-pc.school.example'] } })
  assert.equal((await withHost(host, 'lab-pc.school.example:8000')).status, 200)
  assert.equal((await withHost(host, 'classroom.example.org')).status, 403)
  const res = await host.api('PUT', '/api/admin/settings', { token: host.config.adminToken, body: { allowed_hosts: ['classroom.example.org'] } })
  assert.deepEqual(res.body.settings.allowed_hosts, ['lab-pc.school.example', 'classroom.example.org'])
  assert.equal((await withHost(host, 'classroom.example.org')).status, 200)
  assert.equal((await withHost(host, 'Classroom.Example.org.')).status, 200)
})

test('the WebSocket Origin must name this computer from the same list, not merely equal the Host header', async (t) => {
  const host = await startHost(t)
  const alice = await host.join('Alice')
  const port = new URL(host.url).port
  const upgrade = async (origin: string, hostHeader?: string): Promise<number> => await new Promise((resolve) => {
    const ws = new WebSocket(`${host.wsUrl}?token=${alice.token}`, { origin, ...(hostHeader !== undefined ? { headers: { host: hostHeader } } : {}) })
    // a refused upgrade leaves its socket open unless the client drops it (browsers do)
    ws.on('unexpected-response', (req, res) => { resolve(res.statusCode ?? 0); req.destroy() })
    ws.on('open', () => { ws.terminate(); resolve(101) })
    ws.on('error', () => resolve(-1))
  })
  assert.equal(await upgrade(`http://127.0.0.1:${port}`), 101)
  assert.equal(await upgrade(`http://localhost:${port}`, `localhost:${port}`), 101)
  // a rebinding page: Origin and Host both name the attacker's domain; the Host check stops it first
  assert.equal(await upgrade(`http://evil.example:${port}`, `evil.example:${port}`), 403)
  // another machine's page, or another port, is not this room
  assert.equal(await upgrade(`http://192.0.2.66:${port}`), 403)
  assert.equal(await upgrade('http://127.0.0.1:5173'), 403)
  assert.equal(await upgrade('null'), 403)
})

test('the allow-list: own addresses, loopback, localhost, the hostname and .local, and added names only', () => {
  const names = createHostNames({ hostname: () => 'Teacher-PC', addresses: () => ['192.168.1.20', 'fe80::1', '10.0.0.5'], extra: () => ['room.school.example'] })
  for (const ok of ['192.168.1.20', '10.0.0.5', '[fe80::1]', '127.0.0.1', '127.8.9.10', '::1', '[::1]', 'localhost', 'app.localhost', 'teacher-pc', 'Teacher-PC.local', 'room.school.example']) {
    assert.equal(names.isAllowed(ok), true, ok)
  }
  for (const bad of ['192.168.1.21', '8.8.8.8', 'teacher-pc.evil.example', 'evil.example', 'local', '', 'room.school.example.evil']) {
    assert.equal(names.isAllowed(bad), false, bad)
  }
})
