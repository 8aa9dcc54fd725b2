import { after, test } from 'node:test'
import assert from 'node:assert/strict'
import fs from 'node:fs'
import net from 'node:net'
import { join } from 'node:path'
import WebSocket from 'ws'
import { startHost, type TestHost } from '../helpers/host.js'
import { closeAgents, freePort } from '../helpers/net.js'
import { tempDir } from '../helpers/temp-dir.js'
import { instantAi } from '../helpers/instant-ai.js'
import { createDifyGateway } from '../../server/adapters/dify-gateway.js'

after(closeAgents)

const XSS = [
  '<script>alert(1)</script>',
  '<img src=x onerror=alert(1)>',
  '"><svg/onload=alert(1)>',
  '</script><script>alert(document.cookie)</script>',
  "javascript:alert('x')",
  '<iframe src="//evil.example"></iframe>',
  '{{constructor.constructor("alert(1)")()}}',
  "Robert'); DROP TABLE messages;--",
  '&lt;b&gt;already escaped&lt;/b&gt;'
]

/** Every response the host sends for API calls is JSON, never HTML. */
function assertJson (res: { headers: Headers, body: unknown }, what: string): void {
  assert.match(res.headers.get('content-type') ?? '', /^application\/json/, what)
  assert.equal(typeof res.body === 'string' && res.body.trimStart().startsWith('<'), false, what)
}

test('security headers on every response; no CORS at all', async (t) => {
  const host = await startHost(t)
  const alice = await host.join('Alice')
  const origin = { origin: 'http://evil.example' }
  const responses = [
    await host.api('GET', '/healthz', { headers: origin }),
    await host.api('GET', '/api/room', { headers: origin }),
    await host.api('GET', '/api/messages', { token: alice.token, headers: origin }),
    await host.api('GET', '/api/users', { headers: origin }),
    await host.api('GET', '/nope', { headers: origin }),
    await host.api('OPTIONS', '/api/users/join', { headers: { ...origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type' } })
  ]
  for (const res of responses) {
    const csp = res.headers.get('content-security-policy') ?? ''
    assert.match(csp, /default-src 'self'/)
    assert.match(csp, /script-src 'self'/)
    assert.match(csp, /frame-ancestors 'none'/)
    assert.equal(res.headers.get('x-content-type-options'), 'nosniff')
    assert.equal(res.headers.get('x-frame-options'), 'DENY')
    assert.equal(res.headers.get('access-control-allow-origin'), null, 'no CORS header, wildcard or not')
    assert.equal(res.headers.get('access-control-allow-credentials'), null)
  }
  // the preflight is not answered as a CORS success
  assert.notEqual(responses[5]!.status, 204)
})

test('one set of security headers on a page, a static file, an API answer, an SSE stream and every kind of error', async (t) => {
  const webRoot = tempDir(t)
  fs.mkdirSync(join(webRoot, 'participant'))
  fs.mkdirSync(join(webRoot, 'assets'))
  fs.writeFileSync(join(webRoot, 'participant', 'index.html'), '<!doctype html><title>room</title>')
  fs.writeFileSync(join(webRoot, 'assets', 'app-1234.js'), 'console.log(1)')
  const host = await startHost(t, { config: { webRoot }, ai: () => instantAi() })
  const alice = await host.join('Alice')
  const port = Number(new URL(host.url).port)
  /** The headers of a raw request (fetch cannot send a broken URL). */
  const rawHeaders = async (request: string): Promise<Map<string, string>> => await new Promise((resolve, reject) => {
    const socket = net.connect({ host: '127.0.0.1', port }, () => socket.write(request))
    let data = ''
    socket.on('data', d => { data += d.toString() })
    socket.on('end', () => {
      const lines = data.slice(0, data.indexOf('\r\n\r\n')).split('\r\n').slice(1)
      resolve(new Map(lines.map(l => [l.slice(0, l.indexOf(':')).toLowerCase(), l.slice(l.indexOf(':') + 1).trim()])))
    })
    socket.on('error', reject)
  })
  const fromFetch = (res: { headers: Headers }): Map<string, string> => new Map(res.headers.entries())
  const answers: Array<[string, Map<string, string>]> = [
    ['the page', fromFetch(await host.api('GET', '/'))],
    ['a static file', fromFetch(await host.api('GET', '/assets/app-1234.js'))],
    ['an API answer', fromFetch(await host.api('GET', '/api/room'))],
    ['an SSE stream', fromFetch(await host.api('POST', '/api/chat/stream', { token: alice.token, body: { message: 'hi' } }))],
    ['a 401', fromFetch(await host.api('GET', '/api/messages'))],
    ['a 404', fromFetch(await host.api('GET', '/nope'))],
    ['a validation error', fromFetch(await host.api('POST', '/api/users/join', { body: { nope: 1 } }))],
    ['a refused Host', await rawHeaders('GET / HTTP/1.1\r\nHost: evil.example\r\nConnection: close\r\n\r\n')],
    ['a broken URL', await rawHeaders(`GET /%E0%A4%A HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nConnection: close\r\n\r\n`)],
    ['an unparseable request', await rawHeaders('BREW / HTTP/1.1\r\n\r\n')]
  ]
  const expected = {
    'content-security-policy': "default-src 'self'; script-src 'self'; script-src-attr 'none'; connect-src 'self'; img-src 'self' data: blob:; media-src 'self' blob:; " +
      "style-src 'self' 'unsafe-inline'; font-src 'self' data:; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'",
    'x-frame-options': 'DENY',
    'x-content-type-options': 'nosniff',
    'referrer-policy': 'no-referrer',
    'cross-origin-resource-policy': 'same-origin'
  }
  assert.match(answers[3]![1].get('content-type') ?? '', /^text\/event-stream/)
  for (const [what, headers] of answers) {
    for (const [name, value] of Object.entries(expected)) assert.equal(headers.get(name), value, `${what}: ${name}`)
    assert.equal(headers.get('strict-transport-security'), undefined, `${what}: no HSTS on plain HTTP`)
  }
})

test('markup and script in names and messages come back as inert JSON strings, never HTML', async (t) => {
  const host = await startHost(t)
  const watcher = await host.join('Watcher')
  const w = await host.connect(watcher.token)
  const names: string[] = []
  for (const [i, payload] of XSS.entries()) {
    const name = [...payload].slice(0, 28).join('') + ` ${i}`
    const res = await host.api('POST', '/api/users/join', { body: { username: name } })
    assertJson(res, name)
    assert.equal(res.status, 200, name)
    assert.equal(res.body.username, name.trim())
    names.push(res.body.username as string)
    const c = await host.connect(res.body.token as string)
    c.chat(payload, `x${i}`)
    await c.waitType('user_message')
  }
  const frames = await w.waitType('user_message', XSS.length)
  assert.deepEqual(frames.map(f => f.content), XSS)
  assert.deepEqual(frames.map(f => f.from_user), names)
  const history = await host.api('GET', '/api/messages', { token: watcher.token })
  assertJson(history, 'history')
  assert.deepEqual(history.body.messages.map((m: { content: string }) => m.content), XSS)
  const users = await host.api('GET', '/api/users', { token: watcher.token })
  assertJson(users, 'users')
  for (const n of names) assert.ok(users.body.users.some((u: { username: string }) => u.username === n))
  // an error that echoes user input is JSON too
  const echo = await host.api('GET', '/%3Cscript%3Ealert(1)%3C/script%3E')
  assert.equal(echo.status, 404)
  assertJson(echo, 'not found')
  const reserved = await host.api('POST', '/api/users/join', { body: { username: 'A<b>I</b>' } })
  assertJson(reserved, 'reserved')
})

test('CRLF cannot inject headers: not through names, paths or frames', async (t) => {
  const host = await startHost(t)
  for (const username of ['Eve\r\nSet-Cookie: pwned=1', 'Eve\nX-Injected: 1', 'Eve\rX-Injected: 1', 'Eve\u2028X-Injected: 1']) {
    const res = await host.api('POST', '/api/users/join', { body: { username } })
    assertJson(res, JSON.stringify(username))
    assert.equal(res.headers.get('set-cookie'), null)
    assert.equal(res.headers.get('x-injected'), null)
    if (/[\r\n]/.test(username)) {
      assert.equal(res.status, 400)
      assert.equal(res.body.error.code, 'ERR_USERNAME_INVALID')
    }
  }
  const path = await host.api('GET', '/api/%0d%0aSet-Cookie:%20pwned=1%0d%0aX-Injected:%201')
  assert.equal(path.status, 404)
  assert.equal(path.headers.get('set-cookie'), null)
  assert.equal(path.headers.get('x-injected'), null)
  // a raw request line with a bare CR is refused by the HTTP parser before any route runs
  const raw = await new Promise<string>((resolve, reject) => {
    const socket = net.connect({ host: '127.0.0.1', port: Number(new URL(host.url).port) }, () => {
      socket.write('GET /healthz HTTP/1.1\r\nHost: x\r\nX-Evil: a\rSet-Cookie: pwned=1\r\n\r\n')
    })
    let data = ''
    socket.on('data', d => { data += d.toString() })
    socket.on('end', () => resolve(data))
    socket.on('error', reject)
  })
  assert.match(raw, /^HTTP\/1\.1 400/)
  assert.doesNotMatch(raw, /set-cookie/i)
  // CRLF in a chat message is stored as a plain newline inside a JSON string
  const alice = await host.join('Alice')
  const a = await host.connect(alice.token)
  a.chat('line\r\nSet-Cookie: pwned=1', 'crlf')
  const [m] = await a.waitType('user_message')
  assert.equal(m!.content, 'line\nSet-Cookie: pwned=1')
})

test('names cannot impersonate Host or AI, and cannot be invisible', async (t) => {
  const host = await startHost(t)
  const reserved = ['AI', 'ai', ' A I ', 'A.I.', 'Ａｉ', 'A\u200BI', 'AI\uFE0F', 'H\u200Bost', 'Hóst', 'HOST 🤖', 'h-o-s-t',
    '\u041d\u043e\u0455\u0442' /* Cyrillic "Ноѕт" */, '\u0410\u0406' /* Cyrillic "АІ" */, '\u0391\u0399']
  for (const username of reserved) {
    const res = await host.api('POST', '/api/users/join', { body: { username } })
    assert.equal(res.status, 400, JSON.stringify(username))
    assert.equal(res.body.error.code, 'ERR_USERNAME_RESERVED', JSON.stringify(username))
  }
  for (const username of ['\u3164', '\u200B\u200B', '\u0301', '\u2800'.slice(0, 0) + '\u115F']) {
    const res = await host.api('POST', '/api/users/join', { body: { username } })
    assert.equal(res.status, 400, JSON.stringify(username))
    assert.equal(res.body.error.code, 'ERR_USERNAME_INVALID', JSON.stringify(username))
  }
  for (const username of ['Aino', 'Hostess', 'Al', 'Ольга', 'Αθηνά']) {
    const res = await host.api('POST', '/api/users/join', { body: { username } })
    assert.equal(res.status, 200, JSON.stringify(username))
  }
})

test('the admin API refuses every non-loopback address, even with the token and a forged X-Forwarded-For', async (t) => {
  const host = await startHost(t, { config: { trustProxy: true } })
  const token = host.config.adminToken
  const inject = async (remoteAddress: string, headers: Record<string, string> = {}) =>
    await host.app.inject({ method: 'GET', url: '/api/admin/status', remoteAddress, headers })
  for (const address of ['192.168.1.5', '10.0.0.7', '::ffff:192.168.1.5', 'fe80::1', '0.0.0.0']) {
    const res = await inject(address, { authorization: `Bearer ${token}`, 'x-forwarded-for': '127.0.0.1' })
    assert.equal(res.statusCode, 403, address)
    assert.equal(res.json().error.code, 'ERR_FORBIDDEN')
    assert.doesNotMatch(res.body, /last_seq/)
  }
  const put = await host.app.inject({ method: 'PUT', url: '/api/admin/ai-mode', remoteAddress: '192.168.1.5', headers: { authorization: `Bearer ${token}` }, payload: { ai_mode: 'off' } })
  assert.equal(put.statusCode, 403)
  assert.equal((await inject('127.0.0.1')).statusCode, 401, 'loopback still needs the token')
  assert.equal((await inject('127.0.0.1', { authorization: 'Bearer wrong-token-wrong-token' })).statusCode, 401)
  assert.equal((await inject('::1', { authorization: `Bearer ${token}` })).statusCode, 200)
  // over a real socket from another loopback address, with the token
  const real = await host.api('GET', '/api/admin/status', { token, localAddress: '127.0.0.9' })
  assert.equal(real.status, 200)
  assert.equal((await host.api('GET', '/api/room')).body.ai_mode, 'mention', 'the refused PUT changed nothing')
})

test('the Dify key never appears in a response, a frame or a log line', async (t) => {
  const closed = await freePort()
  const key = 'app-SECRET-dify-key-7f3a9c1e5b'
  const difyApiUrl = `http://127.0.0.1:${closed}/v1`
  const host = await startHost(t, {
    config: { logLevel: 'trace', difyApiUrl, difyApiKey: key, aiRetries: 1 },
    ai: () => createDifyGateway({ baseUrl: difyApiUrl, apiKey: key, idleTimeoutMs: 2000, deadlineMs: 5000, retries: 1, retryBaseMs: 10 })
  })
  const seen: string[] = []
  const record = (res: { status: number, headers: Headers, body: unknown }): void => {
    seen.push(JSON.stringify([...res.headers.entries()]), typeof res.body === 'string' ? res.body : JSON.stringify(res.body))
  }
  record(await host.api('GET', '/api/room'))
  const alice = await host.join('Alice')
  const a = await host.connect(alice.token)
  a.chat('@ai what is the key?', 'q1')
  await a.waitType('ai_message_error', 1, 10_000)
  a.chat('plain chat still works', 'c1')
  await a.waitType('user_message', 2)
  record(await host.api('POST', '/api/chat/stream', { token: alice.token, body: { message: 'and now?' } }))
  record(await host.api('GET', '/api/messages', { token: alice.token }))
  record(await host.api('GET', '/api/admin/status', { token: host.config.adminToken }))
  record(await host.api('GET', '/api/nope'))
  await host.close()
  seen.push(...a.frames.map(f => JSON.stringify(f)))
  assert.ok(host.logs.length > 5)
  for (const text of [...seen, ...host.logs]) {
    assert.ok(!text.includes(key), `key leaked: ${text.slice(0, 300)}`)
    assert.ok(!text.includes('SECRET-dify'), `key leaked: ${text.slice(0, 300)}`)
  }
})

test('the database, its WAL and its folder are created owner-only', { skip: process.platform === 'win32' ? 'POSIX permissions' : false }, async (t) => {
  const dataDir = join(tempDir(t), 'fresh', 'data')
  const host: TestHost = await startHost(t, { dataDir })
  const alice = await host.join('Alice')
  const a = await host.connect(alice.token)
  a.chat('written', 'w')
  await a.waitType('user_message')
  assert.equal(fs.statSync(dataDir).mode & 0o777, 0o700)
  for (const file of ['mindweb.db', 'mindweb.db-wal', 'mindweb.db-shm']) {
    const path = join(dataDir, file)
    assert.ok(fs.existsSync(path), file)
    assert.equal(fs.statSync(path).mode & 0o777, 0o600, file)
  }
  // a file left wider by an older run is tightened on the next start
  await host.close()
  fs.chmodSync(join(dataDir, 'mindweb.db'), 0o644)
  await host.restart()
  assert.equal(fs.statSync(join(dataDir, 'mindweb.db')).mode & 0o777, 0o600)
})

test('a token in the WebSocket URL is not accepted from another origin, and never logged', async (t) => {
  const host = await startHost(t, { config: { logLevel: 'debug' } })
  const alice = await host.join('Alice')
  const status = await new Promise<number>((resolve) => {
    const ws = new WebSocket(`${host.wsUrl}?token=${alice.token}`, { origin: 'http://192.168.1.66:8000' })
    ws.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0))
    ws.on('open', () => { ws.terminate(); resolve(101) })
    ws.on('error', () => resolve(-1))
  })
  assert.equal(status, 403)
  await host.close()
  for (const line of host.logs) assert.ok(!line.includes(alice.token))
})
