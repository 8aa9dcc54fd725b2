import { test, type TestContext } from 'node:test'
import assert from 'node:assert/strict'
import fs from 'node:fs'
import path from 'node:path'
import BetterSqlite3 from 'better-sqlite3'
import { AppError, Errors } from '../../../server/errors.js'
import type { ChatStore } from '../../../server/ports.js'
import { openDatabase, translateSqliteError } from '../../../server/adapters/sqlite-database.js'
import { migrations } from '../../../server/adapters/sqlite-migrations.js'
import { createSqliteChatStore, openChatStore } from '../../../server/adapters/sqlite-chat-store.js'
import { tempDir } from '../../helpers/temp-dir.js'

function dbFile (t: TestContext): string {
  return path.join(tempDir(t), 'data', 'room.db')
}

function open (t: TestContext, file: string): ChatStore {
  const store = openChatStore(file)
  t.after(() => store.close())
  return store
}

function join (store: ChatStore, username: string, at = 1): number {
  return store.createParticipant({ username, emoji: '🙂', tokenHash: `hash-${username}`, at }).id
}

function post (store: ChatStore, userId: number, content: string, clientMsgId: string | null = null, at = 10) {
  return store.postUserMessage({ userId, username: 'u', emoji: '🙂', content, clientMsgId, asksAi: false, at })
}

const mode = (file: string): number => fs.statSync(file).mode & 0o777

test('applies migrations once and records user_version', (t) => {
  const file = dbFile(t)
  const db = openDatabase(file)
  assert.equal(db.pragma('user_version', { simple: true }), migrations.length)
  assert.equal(db.pragma('journal_mode', { simple: true }), 'wal')
  assert.equal(db.pragma('foreign_keys', { simple: true }), 1)
  db.close()

  const first = openChatStore(file)
  post(first, join(first, 'Ada'), 'hello')
  first.close()
  const again = open(t, file)
  assert.equal(again.latestMessages(10).length, 1)
  assert.equal(again.listParticipants().length, 1)
})

test('creates the directory 0700 and the files 0600, tightening an existing file', (t) => {
  const file = dbFile(t)
  const store = open(t, file)
  post(store, join(store, 'Ada'), 'hi')
  assert.equal(mode(path.dirname(file)), 0o700)
  assert.equal(mode(file), 0o600)
  for (const sibling of ['-wal', '-shm']) assert.equal(mode(file + sibling), 0o600)
  store.close()

  fs.chmodSync(file, 0o644)
  open(t, file)
  assert.equal(mode(file), 0o600)
})

test('participants: names are unique case-insensitively and found by token hash', (t) => {
  const store = open(t, dbFile(t))
  const ada = store.createParticipant({ username: 'Zoé', emoji: '🦊', tokenHash: 'h1', at: 5 })
  assert.deepEqual(store.findParticipantByTokenHash('h1'), { id: ada.id, username: 'Zoé', emoji: '🦊', createdAt: 5 })
  assert.equal(store.findParticipantByTokenHash('nope'), null)
  assert.equal(store.getParticipant(ada.id)?.username, 'Zoé')
  assert.equal(store.getParticipant(999), null)
  assert.equal(store.isUsernameTaken('ZOÉ'), true)
  assert.equal(store.isUsernameTaken('zoe\u0301'), true, 'decomposed accent matches')
  assert.equal(store.isUsernameTaken('Zoey'), false)
  assert.throws(() => store.createParticipant({ username: 'zoé', emoji: '🙂', tokenHash: 'h2', at: 6 }),
    (err: unknown) => err instanceof AppError && err.code === 'ERR_USERNAME_TAKEN' && err.statusCode === 409)
  assert.equal(store.listParticipants().length, 1)
})

test('postUserMessage is idempotent per participant and client_msg_id', (t) => {
  const store = open(t, dbFile(t))
  const ada = join(store, 'Ada')
  const bob = join(store, 'Bob')
  const first = post(store, ada, 'original', 'c1')
  assert.equal(first.isDuplicate, false)
  assert.deepEqual(first.event, { seq: first.message.seq, type: 'user_message', messageId: first.message.id, at: 10 })
  assert.equal(first.message.status, 'complete')

  const resend = post(store, ada, 'edited text', 'c1', 20)
  assert.equal(resend.isDuplicate, true)
  assert.deepEqual(resend.message, first.message)
  assert.deepEqual(resend.event, first.event)

  const other = post(store, bob, 'mine', 'c1')
  assert.equal(other.isDuplicate, false)
  assert.notEqual(other.message.id, first.message.id)
  assert.equal(post(store, ada, 'no id').isDuplicate, false)
  assert.equal(post(store, ada, 'no id').isDuplicate, false)
  assert.equal(store.lastSeq(), 4)
})

test('seq grows strictly across messages, replies and their end events', (t) => {
  const store = open(t, dbFile(t))
  const ada = join(store, 'Ada')
  const question = store.postUserMessage({ userId: ada, username: 'Ada', emoji: '🙂', content: '@ai hi', clientMsgId: null, asksAi: true, at: 1 })
  const reply = store.createReply({ replyTo: question.message.id, askerId: ada, at: 2 })
  assert.equal(reply.message.seq, reply.event.seq)
  assert.deepEqual([reply.message.username, reply.message.emoji, reply.message.userId], ['AI', '🤖', ada])
  assert.equal(reply.message.status, 'streaming')
  const note = post(store, ada, 'meanwhile')
  const end = store.finishReply({ id: reply.message.id, content: 'Hello!', status: 'complete', at: 3 })
  const seqs = [question.event.seq, reply.event.seq, note.event.seq, end.event.seq]
  assert.deepEqual(seqs, [1, 2, 3, 4])
  assert.equal(end.event.messageId, reply.message.id)
  assert.equal(store.getMessage(question.message.id)?.asksAi, true)
  assert.equal(store.lastSeq(), 4)
})

test('seq continues after a restart and is never reused after rows are deleted', (t) => {
  const file = dbFile(t)
  const first = openChatStore(file)
  const ada = join(first, 'Ada')
  for (const text of ['a', 'b', 'c']) post(first, ada, text)
  first.close()

  const db = openDatabase(file)
  db.exec('DELETE FROM events; DELETE FROM messages')
  const second = createSqliteChatStore(db)
  assert.equal(second.lastSeq(), 3)
  assert.equal(post(second, ada, 'd').message.seq, 4)
  second.close()

  const third = open(t, file)
  assert.equal(third.lastSeq(), 4)
  assert.equal(post(third, ada, 'e').event.seq, 5)
})

test('eventsSince returns the events after a seq, in order, with messages as they are now', (t) => {
  const store = open(t, dbFile(t))
  const ada = join(store, 'Ada')
  const q = post(store, ada, 'question')
  const reply = store.createReply({ replyTo: q.message.id, askerId: ada, at: 11 })
  store.finishReply({ id: reply.message.id, content: 'final', status: 'stopped', at: 12 })
  post(store, ada, 'after')

  const events = store.eventsSince(1, 100)
  assert.deepEqual(events.map(e => [e.event.seq, e.event.type]),
    [[2, 'ai_message_start'], [3, 'ai_message_end'], [4, 'user_message']])
  assert.equal(events[0]?.message?.content, 'final')
  assert.equal(events[0]?.message?.status, 'stopped')
  assert.equal(events[0]?.event.at, 11)
  assert.deepEqual(store.eventsSince(1, 2).map(e => e.event.seq), [2, 3])
  assert.deepEqual(store.eventsSince(4, 100), [])
})

test('latestMessages returns the newest, oldest first; messagesSince pages forward', (t) => {
  const store = open(t, dbFile(t))
  const ada = join(store, 'Ada')
  for (let i = 1; i <= 5; i++) post(store, ada, `m${i}`)
  assert.deepEqual(store.latestMessages(3).map(m => m.content), ['m3', 'm4', 'm5'])
  assert.deepEqual(store.messagesSince(1, 2).map(m => m.content), ['m2', 'm3'])
  assert.deepEqual(store.messagesSince(5, 10), [])
})

test('checkpoints save streaming text; finishReply stores the end state once', (t) => {
  const store = open(t, dbFile(t))
  const ada = join(store, 'Ada')
  const q = post(store, ada, 'q')
  const a = store.createReply({ replyTo: q.message.id, askerId: ada, at: 1 }).message.id
  const b = store.createReply({ replyTo: q.message.id, askerId: null, at: 1 }).message.id
  store.checkpointReplies([{ id: a, content: 'Hel' }, { id: b, content: 'Wor' }])
  assert.equal(store.getMessage(a)?.content, 'Hel')

  const citations = [{ position: 1, document_name: 'doc.pdf', score: 0.9 }]
  const done = store.finishReply({ id: a, content: 'Hello', status: 'complete', at: 7, citations, conversationId: 'conv-1' })
  assert.equal(done.event.type, 'ai_message_end')
  assert.deepEqual([done.message.content, done.message.endedAt, done.message.conversationId], ['Hello', 7, 'conv-1'])
  assert.deepEqual(store.getMessage(a)?.citations, citations)

  const error = { code: 'ERR_AI_UPSTREAM', message: 'AI service unavailable' }
  const failed = store.finishReply({ id: b, content: 'Wor', status: 'failed', at: 8, error })
  assert.equal(failed.event.type, 'ai_message_error')
  assert.deepEqual(failed.message.error, error)
  assert.equal(failed.message.userId, null)

  store.checkpointReplies([{ id: a, content: 'late text' }])
  assert.equal(store.getMessage(a)?.content, 'Hello', 'a finished reply ignores checkpoints')
  assert.throws(() => store.finishReply({ id: a, content: 'x', status: 'complete', at: 9 }), { code: 'ERR_REPLY_NOT_FOUND' })
})

test('interruptStreamingReplies recovers replies left streaming by a crash', (t) => {
  const file = dbFile(t)
  const crashed = openChatStore(file) // never closed cleanly before the restart below
  const ada = join(crashed, 'Ada')
  const q = post(crashed, ada, 'q')
  const reply = crashed.createReply({ replyTo: q.message.id, askerId: ada, at: 2 }).message
  crashed.checkpointReplies([{ id: reply.id, content: 'partial answer' }])

  const restarted = open(t, file)
  t.after(() => crashed.close())
  assert.equal(restarted.interruptStreamingReplies(50), 1)
  const message = restarted.getMessage(reply.id)
  assert.equal(message?.content, 'partial answer')
  assert.equal(message?.status, 'interrupted')
  assert.equal(message?.error?.code, 'ERR_AI_INTERRUPTED')
  const last = restarted.eventsSince(restarted.lastSeq() - 1, 10)
  assert.deepEqual(last.map(e => [e.event.type, e.event.messageId, e.event.at]), [['ai_message_error', reply.id, 50]])
  assert.equal(restarted.interruptStreamingReplies(60), 0)
})

test('a full disk becomes ERR_STORAGE_FULL and leaves earlier rows intact', (t) => {
  const db = openDatabase(dbFile(t))
  const store = createSqliteChatStore(db)
  t.after(() => store.close())
  const ada = join(store, 'Ada')
  post(store, ada, 'kept')
  db.pragma(`max_page_count = ${db.pragma('page_count', { simple: true }) as number}`)
  assert.throws(() => post(store, ada, 'x'.repeat(100_000)),
    (err: unknown) => err instanceof AppError && err.code === 'ERR_STORAGE_FULL' && err.statusCode === 507)
  assert.deepEqual(store.latestMessages(10).map(m => m.content), ['kept'])
  assert.equal(store.lastSeq(), 1)
})

test('translateSqliteError maps busy, read-only and unknown failures', () => {
  const sqlite = (code: string): Error => new BetterSqlite3.SqliteError('boom', code)
  assert.equal(translateSqliteError(sqlite('SQLITE_BUSY')).statusCode, 503)
  assert.equal(translateSqliteError(sqlite('SQLITE_LOCKED_SHAREDCACHE')).code, 'ERR_STORAGE_BUSY')
  assert.equal(translateSqliteError(sqlite('SQLITE_READONLY')).code, 'ERR_STORAGE')
  assert.equal(translateSqliteError(sqlite('SQLITE_IOERR_SHMSIZE')).code, 'ERR_STORAGE_FULL')
  assert.equal(translateSqliteError(new TypeError('The database connection is not open')).statusCode, 500)
  const original = Errors.nameTaken()
  assert.equal(translateSqliteError(original), original)
})

test('settings round-trip; null deletes; close is idempotent and later calls fail as AppError', (t) => {
  const store = openChatStore(dbFile(t))
  assert.equal(store.getSetting('ai_mode'), null)
  store.setSetting('ai_mode', 'all')
  store.setSetting('ai_mode', 'off')
  assert.equal(store.getSetting('ai_mode'), 'off')
  store.setSetting('ai_mode', null)
  assert.equal(store.getSetting('ai_mode'), null)
  store.close()
  store.close()
  assert.throws(() => store.lastSeq(), { name: 'AppError', code: 'ERR_STORAGE' })
})

test('throughput of postUserMessage (informational)', (t) => {
  const store = open(t, dbFile(t))
  const ada = join(store, 'Ada')
  const count = 10_000
  const started = performance.now()
  for (let i = 0; i < count; i++) post(store, ada, `message ${i}`, `c${i}`)
  const seconds = (performance.now() - started) / 1000
  console.log(`postUserMessage: ${count} in ${seconds.toFixed(2)} s = ${Math.round(count / seconds)} ops/s`)
  assert.equal(store.lastSeq(), count)
})
