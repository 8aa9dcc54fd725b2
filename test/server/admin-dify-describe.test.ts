import { test } from 'node:test'
import assert from 'node:assert/strict'
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { createDifyGateway } from '../../server/adapters/dify-gateway.js'
import { toFormFields } from '../../server/adapters/dify-events.js'
import { CLASS_INPUT_FORM, startFakeDify } from '../helpers/fake-dify.js'

const options = { idleTimeoutMs: 2000, deadlineMs: 5000, retries: 0, retryBaseMs: 10 }

test('describeApp reads /info and /parameters: name, mode, greeting and the input form (file inputs left out)', async (t) => {
  const dify = await startFakeDify({ apiKey: 'app-describe-key', inputForm: CLASS_INPUT_FORM, app: { name: 'Science helper', mode: 'advanced-chat' } })
  t.after(() => dify.close())
  const gateway = createDifyGateway({ baseUrl: dify.url, apiKey: 'app-describe-key', ...options })
  t.after(() => gateway.close())
  const app = await gateway.describeApp!()
  assert.equal(app.name, 'Science helper')
  assert.equal(app.mode, 'advanced-chat')
  assert.match(app.openingStatement ?? '', /Hi!/)
  assert.deepEqual(app.form.map(f => f.variable), ['subject', 'grade', 'notes', 'words', 'simple'])
  assert.deepEqual(dify.requests.map(r => r.path), ['/v1/info', '/v1/parameters'])
})

test('a Dify without /info (404) is still described from /parameters; a refused key is ERR_AI_AUTH', async (t) => {
  const server = createServer((req, res) => {
    if (req.headers.authorization !== 'Bearer app-old-dify-key') { res.writeHead(401, { 'content-type': 'application/json' }).end('{"code":"unauthorized","message":"Access token is invalid","status":401}'); return }
    if (req.url === '/v1/parameters') { res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ opening_statement: 'Hello', user_input_form: [{ 'text-input': { variable: 'lang', label: 'Language', required: true } }] })); return }
    res.writeHead(404, { 'content-type': 'application/json' }).end('{"code":"not_found","message":"The requested URL was not found on the server.","status":404}')
  })
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve))
  t.after(() => server.close())
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`
  const old = createDifyGateway({ baseUrl: url, apiKey: 'app-old-dify-key', ...options })
  t.after(() => old.close())
  const app = await old.describeApp!()
  assert.deepEqual([app.name, app.mode, app.openingStatement], [null, null, 'Hello'])
  assert.deepEqual(app.form, [{ variable: 'lang', label: 'Language', type: 'text-input', required: true }])
  const wrong = createDifyGateway({ baseUrl: url, apiKey: 'app-wrong-key-0000', ...options })
  t.after(() => wrong.close())
  await assert.rejects(wrong.describeApp!(), (err: { code?: string }) => err.code === 'ERR_AI_AUTH')
})

test('the form parser keeps the five input types, labels, options, defaults and lengths, and skips what it cannot fill', () => {
  assert.deepEqual(toFormFields({
    user_input_form: [
      { select: { variable: 'level', label: 'Level', required: true, options: ['A', 'B', 3], default: 'A' } },
      { paragraph: { variable: 'notes', label: '', required: false, max_length: 0 } },
      { 'file-list': { variable: 'docs', label: 'Docs', required: true } },
      { 'text-input': { label: 'No variable' } },
      'nonsense',
      { number: { variable: 'n', label: 'N', required: false, default: 3, max_length: 5 } }
    ]
  }), [
    { variable: 'level', label: 'Level', type: 'select', required: true, options: ['A', 'B'], default: 'A' },
    { variable: 'notes', label: 'notes', type: 'paragraph', required: false },
    { variable: 'n', label: 'N', type: 'number', required: false, default: 3, maxLength: 5 }
  ])
  assert.deepEqual(toFormFields({}), [])
  assert.deepEqual(toFormFields(null), [])
})
