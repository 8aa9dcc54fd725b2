import { test, type TestContext } from 'node:test'
import assert from 'node:assert/strict'
import { existsSync, readdirSync } from 'node:fs'
import { join } from 'node:path'
import sharp from 'sharp'
import { startHost, type TestHost } from '../helpers/host.js'
import { admin, adminSocket } from '../helpers/admin.js'
import { startFakeDify, type FakeDify } from '../helpers/fake-dify.js'
import { createDifyGateway } from '../../server/adapters/dify-gateway.js'
import type { Config } from '../../server/config.js'
import type { FileUploadResponse, ServerFrame, UserMessageFrame } from '../../server/protocol/index.js'

/** A phone photo as it leaves the camera: 3000×2000 JPEG whose EXIF names the owner and where it was taken. */
async function phonePhoto (width = 3000, height = 2000): Promise<Buffer> {
  return await sharp({ create: { width, height, channels: 3, background: '#3a7d5c' } })
    .jpeg({ quality: 90 })
    .withExif({
      IFD0: { Make: 'PhoneCo', Model: 'P1', Copyright: 'Ann at 12 Elm Street' },
      IFD3: { GPSLatitudeRef: 'N', GPSLatitude: '51/1 30/1 1234/100', GPSLongitudeRef: 'W', GPSLongitude: '0/1 7/1 3900/100' }
    })
    .toBuffer()
}

async function upload (host: TestHost, token: string, data: Buffer | Uint8Array, name = 'photo.jpg', type = 'image/jpeg'): Promise<{ status: number, body: any }> {
  const form = new FormData()
  form.set('file', new Blob([new Uint8Array(data)], { type }), name)
  const res = await fetch(`${host.url}/api/files`, { method: 'POST', headers: { authorization: `Bearer ${token}` }, body: form })
  const text = await res.text()
  let body: unknown = text
  try { body = JSON.parse(text) } catch {}
  return { status: res.status, body }
}

async function aiHost (t: TestContext, options: { config?: Partial<Config> } = {}): Promise<{ host: TestHost, dify: FakeDify }> {
  const dify = await startFakeDify({ tokenDelayMs: 2, pingIntervalMs: 200, vision: true })
  t.after(() => dify.close())
  const host = await startHost(t, {
    config: { difyApiUrl: dify.url, difyApiKey: dify.apiKey, ...options.config },
    ai: () => createDifyGateway({ baseUrl: dify.url, apiKey: dify.apiKey, idleTimeoutMs: 3000, deadlineMs: 30_000, retries: 0, retryBaseMs: 20 })
  })
  return { host, dify }
}

async function photosOn (host: TestHost): Promise<void> {
  const res = await admin(host)('PUT', '/api/admin/room', { photos: 'on' })
  assert.equal(res.status, 200)
  assert.equal(res.body.photos, 'on')
}

const userMessages = (frames: ServerFrame[]): UserMessageFrame[] => frames.filter((f): f is UserMessageFrame => f.type === 'user_message')

test('an uploaded phone photo is stored re-encoded, capped, without EXIF or GPS, with a thumbnail, served with its type', async (t) => {
  const host = await startHost(t)
  const ann = await host.join('Ann')
  const original = await phonePhoto()
  const before = await sharp(original).metadata()
  assert.ok(before.exif !== undefined && before.exif.toString('latin1').includes('12 Elm Street'), 'the test photo carries EXIF')
  assert.ok(before.exif.includes(Buffer.from([0x88, 0x25])) || before.exif.includes(Buffer.from([0x25, 0x88])), 'and a GPS block')

  const res = await upload(host, ann.token, original, 'IMG_0001.JPG')
  assert.equal(res.status, 201, JSON.stringify(res.body))
  const file = res.body as FileUploadResponse
  assert.match(file.file_id, /^[A-Za-z0-9_-]{20,}$/)
  assert.equal(file.url, `/api/files/${file.file_id}`)
  assert.equal(file.thumb_url, `/api/files/${file.file_id}/thumb`)
  assert.equal(file.mime_type, 'image/jpeg')
  assert.equal(Math.max(file.width, file.height), 2048)
  assert.equal(file.width, 2048)
  assert.equal(file.height, 1365)

  const served = await fetch(host.url + file.url)
  assert.equal(served.status, 200)
  assert.equal(served.headers.get('content-type'), 'image/jpeg')
  assert.match(served.headers.get('cache-control') ?? '', /max-age=\d+/)
  const bytes = Buffer.from(await served.arrayBuffer())
  assert.equal(bytes.length, file.bytes)
  const after = await sharp(bytes).metadata()
  assert.equal(after.exif, undefined, 'no EXIF left')
  assert.equal(after.width, 2048)
  assert.ok(!bytes.toString('latin1').includes('Elm Street'))
  assert.ok(!bytes.toString('latin1').includes('PhoneCo'))

  const thumb = await fetch(host.url + file.thumb_url)
  assert.equal(thumb.status, 200)
  assert.equal(thumb.headers.get('content-type'), 'image/webp')
  const thumbMeta = await sharp(Buffer.from(await thumb.arrayBuffer())).metadata()
  assert.equal(Math.max(thumbMeta.width, thumbMeta.height), 320)
  assert.equal(thumbMeta.exif, undefined)

  // On disk in the data folder, named by the random id only.
  const stored = readdirSync(join(host.dataDir, 'photos'))
  assert.deepEqual(stored.sort(), [`${file.file_id}.jpg`, `${file.file_id}_thumb.webp`].sort())
  // An unknown id is a plain 404.
  assert.equal((await fetch(`${host.url}/api/files/AAAAAAAAAAAAAAAAAAAAAA`)).status, 404)
})

test('uploads are refused clearly: photos off, not an image by content, too large, no participant', async (t) => {
  const host = await startHost(t)
  const ann = await host.join('Ann')
  // Not an image, though it is named and typed as one.
  const fake = await upload(host, ann.token, Buffer.from('%PDF-1.7\nnot a photo at all\n'), 'homework.jpg', 'image/jpeg')
  assert.equal(fake.status, 415)
  assert.equal(fake.body.error.code, 'ERR_FILE_TYPE')
  // Too large: over 10 MB of bytes.
  const big = await upload(host, ann.token, Buffer.alloc(10 * 1024 * 1024 + 10, 1), 'big.jpg')
  assert.equal(big.status, 413)
  assert.equal(big.body.error.code, 'ERR_FILE_TOO_LARGE')
  // No token.
  const form = new FormData()
  form.set('file', new Blob([new Uint8Array(await phonePhoto(40, 30))], { type: 'image/jpeg' }), 'a.jpg')
  assert.equal((await fetch(`${host.url}/api/files`, { method: 'POST', body: form })).status, 401)
  // No part named file.
  const wrong = new FormData()
  wrong.set('photo', new Blob([new Uint8Array(await phonePhoto(40, 30))], { type: 'image/jpeg' }), 'a.jpg')
  const noFile = await fetch(`${host.url}/api/files`, { method: 'POST', headers: { authorization: `Bearer ${ann.token}` }, body: wrong })
  assert.equal(noFile.status, 400)
  assert.equal((await noFile.json() as { error: { code: string } }).error.code, 'ERR_VALIDATION')

  const off = await admin(host)('PUT', '/api/admin/room', { photos: 'off' })
  assert.equal(off.body.photos, 'off')
  const refused = await upload(host, ann.token, await phonePhoto(40, 30))
  assert.equal(refused.status, 403)
  assert.equal(refused.body.error.code, 'ERR_PHOTOS_OFF')
  assert.ok(!existsSync(join(host.dataDir, 'photos')) || readdirSync(join(host.dataDir, 'photos')).length === 0, 'nothing refused was kept')
})

test('photos per participant are limited per 10 minutes', async (t) => {
  const host = await startHost(t, { config: { photoRate: { limit: 2, windowMs: 600_000 } } })
  const ann = await host.join('Ann')
  const small = await phonePhoto(64, 48)
  assert.equal((await upload(host, ann.token, small)).status, 201)
  assert.equal((await upload(host, ann.token, small)).status, 201)
  const third = await upload(host, ann.token, small)
  assert.equal(third.status, 429)
  assert.equal(third.body.error.code, 'ERR_RATE_LIMITED')
  assert.match(third.body.error.message, /at most 2 photos per 10 minutes/)
})

test('the room setting: hello, GET /api/room and room_update carry it; it survives a restart', async (t) => {
  const host = await startHost(t)
  const ann = await host.join('Ann')
  assert.equal((await host.api('GET', '/api/room')).body.photos, 'check', 'teachers see photos first by default')
  const a = await host.connect(ann.token)
  const [hello] = await a.waitFor(f => f.type === 'hello')
  assert.equal((hello as { photos?: string }).photos, 'check')
  await photosOn(host)
  const [update] = await a.waitFor(f => f.type === 'room_update')
  assert.equal((update as { photos?: string }).photos, 'on')
  assert.equal((await host.api('GET', '/api/room')).body.photos, 'on')
  const bad = await admin(host)('PUT', '/api/admin/room', { photos: 'sometimes' })
  assert.equal(bad.status, 400)
  await host.restart()
  assert.equal((await host.api('GET', '/api/room')).body.photos, 'on')
})

test('a message carries its photos to everyone, in history and in a replay; only own, unposted photos, at most 4', async (t) => {
  const host = await startHost(t)
  await photosOn(host)
  const [ann, ben] = await Promise.all([host.join('Ann'), host.join('Ben')])
  const a = await host.connect(ann.token)
  const b = await host.connect(ben.token)
  const photo = (await upload(host, ann.token, await phonePhoto(800, 600))).body as FileUploadResponse
  a.send({ type: 'chat', content: 'what is wrong with my working?', client_msg_id: 'p1', files: [photo.file_id] })
  const [seen] = userMessages(await b.waitFor(f => f.type === 'user_message'))
  assert.deepEqual(seen!.files, [{ file_id: photo.file_id, url: photo.url, thumb_url: photo.thumb_url, width: 800, height: 600 }])

  const history = await host.api('GET', '/api/messages', { token: ben.token })
  assert.deepEqual(history.body.messages.at(-1).files, seen!.files)
  const replay = await host.connect(ben.token, 0)
  const [again] = userMessages(await replay.waitFor(f => f.type === 'user_message'))
  assert.deepEqual(again!.files, seen!.files)

  // The same photo again (already posted), someone else's, unknown, five: refused, nothing posted.
  const refusals: Array<{ files: string[], by: typeof a }> = []
  const benPhoto = (await upload(host, ben.token, await phonePhoto(60, 40))).body as FileUploadResponse
  refusals.push({ files: [photo.file_id], by: a })
  refusals.push({ files: [benPhoto.file_id], by: a })
  refusals.push({ files: ['doesnotexist'], by: a })
  const five: string[] = []
  for (let i = 0; i < 5; i++) five.push(((await upload(host, ann.token, await phonePhoto(20 + i, 20))).body as FileUploadResponse).file_id)
  refusals.push({ files: five, by: a })
  let n = 0
  for (const r of refusals) {
    r.by.send({ type: 'chat', content: 'look', client_msg_id: `bad${n++}`, files: r.files })
    const [error] = await r.by.waitFor(f => f.type === 'error', n)
    assert.equal((error as { code: string }).code, 'ERR_VALIDATION', JSON.stringify(error))
  }
  assert.match((a.frames.filter(f => f.type === 'error').at(-1) as { message: string }).message, /at most 4 photos/)
  assert.equal(userMessages(b.frames).length, 1)
  // Four is fine.
  a.send({ type: 'chat', content: 'four', client_msg_id: 'four', files: five.slice(0, 4) })
  const [four] = userMessages(await b.waitFor(f => f.type === 'user_message', 2)).slice(1)
  assert.equal(four!.files?.length, 4)

  // A photo without words is a message too.
  const alone = (await upload(host, ann.token, await phonePhoto(30, 30))).body as FileUploadResponse
  a.send({ type: 'chat', content: '', client_msg_id: 'alone', files: [alone.file_id] })
  const [onlyPhoto] = userMessages(await b.waitFor(f => f.type === 'user_message', 3)).slice(2)
  assert.equal(onlyPhoto!.content, '')
  assert.equal(onlyPhoto!.files?.[0]?.file_id, alone.file_id)
  a.send({ type: 'chat', content: '  ', client_msg_id: 'empty' })
  const [empty] = (await a.waitFor(f => f.type === 'error' && (f as { client_msg_id?: string }).client_msg_id === 'empty'))
  assert.equal((empty as { code: string }).code, 'ERR_MESSAGE_EMPTY')

  // A restart keeps messages, their photos and the files.
  await host.restart()
  const after = await host.api('GET', '/api/messages', { token: ben.token })
  assert.deepEqual(after.body.messages.find((m: { id: number }) => m.id === seen!.id).files, seen!.files)
  assert.equal((await fetch(host.url + photo.url)).status, 200)
  assert.equal((await fetch(host.url + photo.thumb_url)).status, 200)
})

test('asking the AI with a photo uploads it to Dify as the room\'s user and sends it in files', async (t) => {
  const { host, dify } = await aiHost(t)
  await photosOn(host)
  const ann = await host.join('Ann')
  const a = await host.connect(ann.token)
  const photo = (await upload(host, ann.token, await phonePhoto())).body as FileUploadResponse
  a.send({ type: 'chat', content: '@ai what is wrong with my working?', client_msg_id: 'q1', files: [photo.file_id] })
  const [end] = await a.waitFor(f => f.type === 'ai_message_end', 1, 10_000)
  assert.equal((end as { status: string }).status, 'complete')

  assert.equal(dify.uploads.length, 1)
  const sent = dify.uploads[0]!
  const chat = dify.requests.find(r => r.path === '/v1/chat-messages')!
  const body = chat.body as { user: string, files?: unknown[] }
  assert.equal(sent.user, body.user, 'uploaded as the same user that asks')
  assert.deepEqual(body.files, [{ type: 'image', transfer_method: 'local_file', upload_file_id: sent.id }])
  assert.equal(sent.mimeType, 'image/jpeg')
  assert.match(sent.name, /\.jpg$/)
  // What Dify got is the cleaned copy: capped, no EXIF, no GPS.
  const meta = await sharp(sent.bytes).metadata()
  assert.equal(meta.exif, undefined)
  assert.equal(meta.width, 2048)
  assert.ok(!sent.bytes.toString('latin1').includes('Elm Street'))
})

test('a Dify upload failure fails the answer with a clear reason; the question and its photo stay', async (t) => {
  const { host, dify } = await aiHost(t)
  await photosOn(host)
  const ann = await host.join('Ann')
  const a = await host.connect(ann.token)
  dify.failUploads({ status: 415, code: 'unsupported_file_type', message: 'File type not allowed.' })
  const photo = (await upload(host, ann.token, await phonePhoto(300, 200))).body as FileUploadResponse
  a.send({ type: 'chat', content: '@ai explain this', client_msg_id: 'q1', files: [photo.file_id] })
  const [failed] = await a.waitFor(f => f.type === 'ai_message_error', 1, 10_000)
  const error = (failed as { error: { code: string, message: string } }).error
  assert.equal(error.code, 'ERR_AI_PHOTO_UPLOAD')
  assert.match(error.message, /did not take the photo/)
  assert.equal(dify.requests.filter(r => r.path === '/v1/chat-messages').length, 0, 'the question was not asked without its photo')
  const history = await host.api('GET', '/api/messages', { token: ann.token })
  const question = history.body.messages.find((m: { role: string }) => m.role === 'user')
  assert.equal(question.files[0].file_id, photo.file_id)
  assert.equal((await fetch(host.url + photo.url)).status, 200)
})

test('POST /api/chat/stream takes files too', async (t) => {
  const { host, dify } = await aiHost(t)
  await photosOn(host)
  const ann = await host.join('Ann')
  const photo = (await upload(host, ann.token, await phonePhoto(300, 200))).body as FileUploadResponse
  const res = await host.api('POST', '/api/chat/stream', { token: ann.token, body: { message: 'what is this?', files: [photo.file_id] } })
  assert.equal(res.status, 200)
  assert.match(String(res.body), /message_end/)
  const chat = dify.requests.find(r => r.path === '/v1/chat-messages')!
  assert.equal((chat.body as { files: unknown[] }).files.length, 1)
  const other = await host.api('POST', '/api/chat/stream', { token: ann.token, body: { message: 'again', files: [photo.file_id] } })
  assert.equal(other.status, 400)
  assert.equal(other.body.error.code, 'ERR_VALIDATION')
})

test('"check": the teacher sees the photo first; released, the room gets it; the word list holds photos too', async (t) => {
  const host = await startHost(t)
  const call = admin(host)
  const console_ = await adminSocket(t, host)
  const [ann, ben] = await Promise.all([host.join('Ann'), host.join('Ben')])
  const a = await host.connect(ann.token)
  const b = await host.connect(ben.token)
  const photo = (await upload(host, ann.token, await phonePhoto(400, 300))).body as FileUploadResponse
  a.send({ type: 'chat', content: 'is this right?', client_msg_id: 'c1', files: [photo.file_id] })
  const [refusal] = await a.waitFor(f => f.type === 'error')
  assert.equal((refusal as { code: string }).code, 'ERR_MESSAGE_HELD')
  assert.match((refusal as { message: string }).message, /photo is waiting for the host/)
  const [held] = await console_.waitFor(f => (f as { type: string }).type === 'message_held')
  assert.deepEqual((held as unknown as { files: unknown }).files, [{ file_id: photo.file_id, url: photo.url, thumb_url: photo.thumb_url, width: 400, height: 300 }])
  const queue = await call('GET', '/api/admin/held')
  assert.equal(queue.body.held.length, 1)
  assert.equal(queue.body.held[0].files[0].file_id, photo.file_id)
  assert.equal(queue.body.held[0].matched, '')
  await new Promise(resolve => setTimeout(resolve, 100))
  assert.equal(userMessages(b.frames).length, 0, 'the room has not seen it')
  // The teacher can open the photo from the queue.
  assert.equal((await fetch(host.url + photo.thumb_url)).status, 200)

  const released = await call('POST', `/api/admin/held/${queue.body.held[0].id as number}/release`)
  assert.equal(released.status, 200)
  const [posted] = userMessages(await b.waitFor(f => f.type === 'user_message'))
  assert.equal(posted!.files?.[0]?.file_id, photo.file_id)
  const [own] = userMessages(await a.waitFor(f => f.type === 'user_message'))
  assert.equal(own!.client_msg_id, 'c1')

  // "on" with the word list on: the list cannot read a photo, so it waits for the host too.
  await photosOn(host)
  await call('PUT', '/api/admin/word-filter', { enabled: true, words: ['badword'] })
  const second = (await upload(host, ann.token, await phonePhoto(40, 30))).body as FileUploadResponse
  a.send({ type: 'chat', content: 'an innocent text', client_msg_id: 'c2', files: [second.file_id] })
  const [again] = await a.waitFor(f => f.type === 'error', 1)
  assert.equal((again as { code: string }).code, 'ERR_MESSAGE_HELD')
  assert.equal((await call('GET', '/api/admin/held')).body.held.length, 1)
  // Text alone still passes the list.
  a.chat('just text', 'c3')
  await b.waitFor(f => f.type === 'user_message', 2)
})

test('in approve mode a question with a photo waits in the gate; the console sees the photo with it', async (t) => {
  const { host, dify } = await aiHost(t)
  await photosOn(host)
  const call = admin(host)
  await call('PUT', '/api/admin/ai-mode', { ai_mode: 'approve' })
  const ann = await host.join('Ann')
  const a = await host.connect(ann.token)
  const photo = (await upload(host, ann.token, await phonePhoto(400, 300))).body as FileUploadResponse
  a.send({ type: 'chat', content: '@ai what is this?', client_msg_id: 'g1', files: [photo.file_id] })
  const [pending] = await a.waitFor(f => f.type === 'question_update')
  const history = await call('GET', '/api/admin/messages')
  const messageId = (pending as { message_id: number }).message_id
  const question = history.body.messages.find((m: { id: number }) => m.id === messageId)
  assert.equal(question.files[0].file_id, photo.file_id)
  const queue = await call('GET', '/api/admin/questions')
  assert.equal(queue.body.questions[0].files[0].file_id, photo.file_id, 'the queue shows the photo with the question')
  assert.equal(dify.uploads.length, 0, 'nothing goes to the AI before the teacher approves')
  assert.equal((await call('POST', `/api/admin/questions/${messageId}/approve`, {})).status, 200)
  await a.waitFor(f => f.type === 'ai_message_end', 1, 10_000)
  assert.equal(dify.uploads.length, 1)
})

test('erasing a participant deletes their photo files and takes the photos off their messages', async (t) => {
  const host = await startHost(t)
  await photosOn(host)
  const [ann, ben] = await Promise.all([host.join('Ann'), host.join('Ben')])
  const a = await host.connect(ann.token)
  const posted = (await upload(host, ann.token, await phonePhoto(100, 80))).body as FileUploadResponse
  const unposted = (await upload(host, ann.token, await phonePhoto(90, 80))).body as FileUploadResponse
  const bens = (await upload(host, ben.token, await phonePhoto(80, 80))).body as FileUploadResponse
  a.send({ type: 'chat', content: 'mine', client_msg_id: 'e1', files: [posted.file_id] })
  await a.waitFor(f => f.type === 'user_message')
  const dir = join(host.dataDir, 'photos')
  assert.equal(readdirSync(dir).length, 6)

  const res = await admin(host)('POST', `/api/admin/participants/${ann.user_id}/erase`)
  assert.equal(res.status, 200)
  for (const f of [posted, unposted]) {
    assert.equal((await fetch(host.url + f.url)).status, 404)
    assert.equal((await fetch(host.url + f.thumb_url)).status, 404)
    assert.ok(!existsSync(join(dir, `${f.file_id}.jpg`)))
    assert.ok(!existsSync(join(dir, `${f.file_id}_thumb.webp`)))
  }
  assert.deepEqual(readdirSync(dir).sort(), [`${bens.file_id}.jpg`, `${bens.file_id}_thumb.webp`].sort())
  const history = await admin(host)('GET', '/api/admin/messages')
  assert.ok(history.body.messages.every((m: { files?: unknown }) => m.files === undefined))
})

test('the lesson record lists photos (JSON, CSV: their files) and the Markdown holds them', async (t) => {
  const host = await startHost(t)
  await photosOn(host)
  const ann = await host.join('Ann')
  const a = await host.connect(ann.token)
  const photo = (await upload(host, ann.token, await phonePhoto(640, 480))).body as FileUploadResponse
  a.send({ type: 'chat', content: 'my graph', client_msg_id: 'x1', files: [photo.file_id] })
  await a.waitFor(f => f.type === 'user_message')
  const call = admin(host)

  const json = await call('GET', '/api/admin/export?format=json')
  const message = json.body.messages.find((m: { role: string }) => m.role === 'user')
  assert.deepEqual(message.files, [{ file_id: photo.file_id, file_name: `photos/${photo.file_id}.jpg`, mime_type: 'image/jpeg', width: 640, height: 480 }])
  assert.ok(existsSync(join(host.dataDir, message.files[0].file_name)), 'the name is the file in the data folder')

  const csv = await call('GET', '/api/admin/export?format=csv')
  const [header, row] = String(csv.body).replace(/^\uFEFF/, '').split('\r\n')
  assert.equal(header!.split(',').at(-1), 'files')
  assert.equal(row!.split(',').at(-1), `photos/${photo.file_id}.jpg`)

  const md = String((await call('GET', '/api/admin/export?format=md')).body)
  const embedded = /!\[Photo 1 from Ann\]\(data:image\/jpeg;base64,([A-Za-z0-9+/=]+)\)/.exec(md)
  assert.ok(embedded !== null, 'the Markdown embeds the photo')
  const bytes = Buffer.from(embedded[1]!, 'base64')
  const meta = await sharp(bytes).metadata()
  assert.equal(meta.width, 640)
  assert.equal(meta.exif, undefined, 'the cleaned copy, without EXIF')
  assert.match(md, /my graph/)
})

test('retention deletes the photos of deleted lessons and old photos never sent, not the current lesson\'s', async (t) => {
  const host = await startHost(t)
  await photosOn(host)
  const call = admin(host)
  const ann = await host.join('Ann')
  const a = await host.connect(ann.token)
  const DAY = 86_400_000
  const old = (await upload(host, ann.token, await phonePhoto(50, 40))).body as FileUploadResponse
  a.send({ type: 'chat', content: 'lesson one', client_msg_id: 'r1', files: [old.file_id] })
  await a.waitFor(f => f.type === 'user_message')
  const unsent = (await upload(host, ann.token, await phonePhoto(50, 41))).body as FileUploadResponse
  assert.equal((await call('POST', '/api/admin/sessions', {})).status, 200)
  const kept = (await upload(host, ann.token, await phonePhoto(50, 42))).body as FileUploadResponse
  a.send({ type: 'chat', content: 'lesson two', client_msg_id: 'r2', files: [kept.file_id] })
  await a.waitFor(f => f.type === 'user_message', 2)
  // lesson one, and both photos of that time, are 40 days old
  const then = Date.now() - 40 * DAY
  host.db.prepare('UPDATE sessions SET started_at = ? WHERE id = 1').run(then)
  host.db.prepare('UPDATE photos SET created_at = ? WHERE id IN (?, ?)').run(then, old.file_id, unsent.file_id)
  const res = await call('PUT', '/api/admin/retention', { days: 30 })
  assert.equal(res.body.deleted_sessions, 1)
  for (const gone of [old, unsent]) {
    assert.equal((await fetch(host.url + gone.url)).status, 404)
    assert.ok(!existsSync(join(host.dataDir, 'photos', `${gone.file_id}.jpg`)))
  }
  assert.equal((await fetch(host.url + kept.url)).status, 200)
})
