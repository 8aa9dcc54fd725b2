/**
 * Every error answer is `{ error: { code, message } }` (PROTOCOL.md "Errors"), also the ones
 * Fastify and Node's parser make themselves: a broken URL, a bad body, no route, a wrong method.
 */
import { after, test } from 'node:test'
import assert from 'node:assert/strict'
import net from 'node:net'
import { startHost, type TestHost } from '../helpers/host.js'
import { closeAgents } from '../helpers/net.js'

after(closeAgents)

/** Writes `head` (request line and extra headers) and `body` as is; reads the whole answer. */
async function raw (host: TestHost, head: string, body = ''): Promise<{ status: number, headers: string, body: any }> {
  const port = Number(new URL(host.url).port)
  const text = await new Promise<string>((resolve, reject) => {
    const socket = net.connect({ host: '127.0.0.1', port }, () => {
      socket.write(`${head}\r\nHost: 127.0.0.1:${port}\r\nConnection: close\r\n${body === '' ? '' : `Content-Length: ${Buffer.byteLength(body)}\r\n`}\r\n${body}`)
    })
    let data = ''
    socket.on('data', d => { data += d.toString() })
    socket.on('end', () => resolve(data))
    socket.on('error', reject)
  })
  const split = text.indexOf('\r\n\r\n')
  return { status: Number(text.slice(9, 12)), headers: text.slice(0, split).toLowerCase(), body: JSON.parse(text.slice(split + 4)) }
}

test('Fastify\'s and the parser\'s own refusals answer in the protocol\'s error shape', async (t) => {
  const host = await startHost(t)
  const json = 'Content-Type: application/json'
  const cases: Array<[string, string, string, number, string]> = [
    ['a URL with broken %-encoding', 'GET /%E0%A4%A HTTP/1.1', '', 400, 'ERR_BAD_REQUEST'],
    ['a broken URL on an API path', 'GET /api/messages/%ZZ HTTP/1.1', '', 400, 'ERR_BAD_REQUEST'],
    ['a path parameter over the length limit', `GET /api/messages/${'9'.repeat(300)}/audio HTTP/1.1`, '', 404, 'ERR_NOT_FOUND'],
    ['malformed JSON', `POST /api/users/join HTTP/1.1\r\n${json}`, '{"username":', 400, 'ERR_BAD_JSON'],
    ['an empty JSON body', `POST /api/users/join HTTP/1.1\r\n${json}\r\nContent-Length: 0`, '', 400, 'ERR_BAD_JSON'],
    ['an unsupported content type', 'POST /api/users/join HTTP/1.1\r\nContent-Type: text/xml', '<join/>', 415, 'ERR_BAD_REQUEST'],
    ['a body over the limit', `POST /api/users/join HTTP/1.1\r\n${json}`, JSON.stringify({ username: 'x'.repeat(300 * 1024) }), 413, 'ERR_FRAME_TOO_LARGE'],
    ['no such route', 'GET /api/nope HTTP/1.1', '', 404, 'ERR_NOT_FOUND'],
    ['a method the route does not take', 'DELETE /api/room HTTP/1.1', '', 404, 'ERR_NOT_FOUND'],
    ['a method HTTP does not know', 'BREW /api/room HTTP/1.1', '', 400, 'ERR_BAD_REQUEST'],
    ['a request line the parser cannot read', 'GET /api/room HTTP/9.9', '', 400, 'ERR_BAD_REQUEST']
  ]
  for (const [what, head, body, status, code] of cases) {
    const res = await raw(host, head, body)
    assert.equal(res.status, status, what)
    assert.match(res.headers, /\r\ncontent-type: application\/json/, what)
    assert.deepEqual(Object.keys(res.body), ['error'], what)
    assert.deepEqual(Object.keys(res.body.error).sort(), ['code', 'message'], what)
    assert.equal(res.body.error.code, code, what)
    assert.equal(typeof res.body.error.message, 'string', what)
    assert.ok(res.body.error.message.length > 0, what)
  }
})
