import { test } from 'node:test'
import assert from 'node:assert/strict'
import { startHost } from '../helpers/host.js'

test('join trims and normalises names, keeps them unique and returns a token', async (t) => {
  const host = await startHost(t)
  const a = await host.join('  Alice  ', '🦊')
  assert.equal(a.username, 'Alice')
  assert.equal(a.emoji, '🦊')
  assert.equal(a.room.name, 'Test Room')
  assert.ok(a.token.length >= 32)
  const b = await host.join('alice')
  assert.equal(b.username, 'alice 2')
  assert.notEqual(b.user_id, a.user_id)
  const long = 'é'.repeat(31)
  const c = await host.join(long)
  const d = await host.join(long)
  assert.equal(c.username, long)
  assert.equal([...d.username].length <= 32, true)
  assert.match(d.username, / 2$/)
  // NFC: a decomposed é joins as the composed form
  const e = await host.join('Zoe\u0301')
  assert.equal(e.username, 'Zoé')
})

test('join refuses bad names and emoji with clear errors, never truncating', async (t) => {
  const host = await startHost(t)
  const cases: Array<[unknown, number, string]> = [
    [{ username: '' }, 400, 'ERR_USERNAME_INVALID'],
    [{ username: '   ' }, 400, 'ERR_USERNAME_INVALID'],
    [{ username: 'x'.repeat(33) }, 400, 'ERR_USERNAME_INVALID'],
    [{ username: 'bad\u0007name' }, 400, 'ERR_USERNAME_INVALID'],
    [{ username: 'AI' }, 400, 'ERR_USERNAME_RESERVED'],
    [{ username: ' host ' }, 400, 'ERR_USERNAME_RESERVED'],
    [{ username: 'Ｈｏｓｔ' }, 400, 'ERR_USERNAME_RESERVED'],
    [{ username: 'Bob', emoji: 'not an emoji' }, 400, 'ERR_EMOJI_INVALID'],
    [{ username: 'Bob', emoji: '🦊🦊' }, 400, 'ERR_EMOJI_INVALID'],
    [{}, 400, 'ERR_VALIDATION'],
    [{ username: 42 }, 400, 'ERR_VALIDATION'],
    ['{"username":', 400, 'ERR_BAD_JSON']
  ]
  for (const [body, status, code] of cases) {
    const res = await host.api('POST', '/api/users/join', { body })
    assert.equal(res.status, status, JSON.stringify(body))
    assert.equal(res.body.error.code, code, JSON.stringify(body))
    assert.equal(typeof res.body.error.message, 'string')
  }
  const ok = await host.join('x'.repeat(32))
  assert.equal(ok.username, 'x'.repeat(32))
})

test('the user list needs a token and shows who is online', async (t) => {
  const host = await startHost(t)
  const a = await host.join('Alice')
  const b = await host.join('Bob')
  assert.equal((await host.api('GET', '/api/users')).status, 401)
  const forged = await host.api('GET', '/api/users', { token: 'forged-token-forged-token-forged' })
  assert.equal(forged.status, 401)
  assert.equal(forged.body.error.code, 'ERR_UNAUTHORIZED')
  const client = await host.connect(a.token)
  await client.waitType('hello')
  const res = await host.api('GET', '/api/users', { token: b.token })
  assert.equal(res.status, 200)
  const byName = Object.fromEntries(res.body.users.map((u: { username: string, online: boolean }) => [u.username, u.online]))
  assert.deepEqual(byName, { Alice: true, Bob: false })
})

test('errors are always { error: { code, message } }', async (t) => {
  const host = await startHost(t)
  const missing = await host.api('GET', '/api/nope')
  assert.equal(missing.status, 404)
  assert.equal(missing.body.error.code, 'ERR_NOT_FOUND')
  const health = await host.api('GET', '/healthz')
  assert.deepEqual(health.body, { ok: true })
})
