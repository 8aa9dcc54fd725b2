/** Messages held by the word list: a table of their own, nothing dropped, kept across a restart. */
import { test, type TestContext } from 'node:test'
import assert from 'node:assert/strict'
import path from 'node:path'
import BetterSqlite3 from 'better-sqlite3'
import { openDatabase } from '../../../server/adapters/sqlite-database.js'
import { migrations } from '../../../server/adapters/sqlite-migrations.js'
import { createSqliteChatStore } from '../../../server/adapters/sqlite-chat-store.js'
import { createSqliteHeldStore } from '../../../server/adapters/sqlite-held-store.js'
import { createHeldMessages } from '../../../server/room/safety/held-messages.js'
import type { ParticipantRecord } from '../../../server/ports.js'
import { tempDir } from '../../helpers/temp-dir.js'

const author = (id: number): ParticipantRecord => ({ id, username: `Student ${id}`, emoji: '🙂' }) as ParticipantRecord

function openService (file: string) {
  const db = openDatabase(file)
  const service = createHeldMessages({ store: createSqliteChatStore(db), held: createSqliteHeldStore(db) })
  return { db, service }
}

function heldCode (fn: () => void): string | undefined {
  try { fn() } catch (err) { return (err as { code?: string }).code }
  return undefined
}

test('a 501st held message drops none, a resend is held once, and a restart keeps them all', (t: TestContext) => {
  const file = path.join(tempDir(t), 'room.db')
  const first = openService(file)
  first.service.update({ isEnabled: true, action: 'hold', words: ['stupid'] })
  const told: number[] = []
  const service = createHeldMessages({ store: createSqliteChatStore(first.db), held: createSqliteHeldStore(first.db), onHeld: h => told.push(h.id) })
  for (let i = 1; i <= 501; i++) {
    assert.equal(heldCode(() => service.check(author(1 + (i % 7)), { content: `stupid question ${i}`, clientMsgId: `c${i}`, askAi: i % 2 === 0 })), 'ERR_MESSAGE_HELD')
  }
  assert.equal(heldCode(() => service.check(author(1 + (5 % 7)), { content: 'stupid question 5', clientMsgId: 'c5', askAi: false })), 'ERR_MESSAGE_HELD')
  assert.equal(told.length, 501, 'the resend was not told to the host again')
  const list = service.list()
  assert.equal(list.length, 501)
  assert.equal(list[0]!.content, 'stupid question 1', 'the oldest is still there')
  assert.equal(list[1]!.askAi, true)
  first.db.close()

  const again = openService(file)
  t.after(() => again.db.close())
  assert.equal(again.service.list().length, 501, 'a restart keeps every held message')
  const taken = again.service.take(list[0]!.id)
  assert.equal(taken?.content, 'stupid question 1')
  assert.equal(again.service.take(list[0]!.id), null)
  assert.equal(again.service.forgetUser(2), 71)
  assert.equal(again.service.list().length, 501 - 1 - 71)
})

test('held messages kept in the settings list by an older version move into the table', (t: TestContext) => {
  const file = path.join(tempDir(t), 'room.db')
  const old = new BetterSqlite3(file)
  const before = migrations.findIndex(sql => sql.includes('CREATE TABLE held_messages'))
  for (const sql of migrations.slice(0, before)) old.exec(sql)
  old.pragma(`user_version = ${before}`)
  const list = [
    { id: 3, userId: 1, username: 'Kim', emoji: '🦊', content: 'stupid', clientMsgId: 'k1', askAi: true, matched: 'stupid', at: 100 },
    { id: 4, userId: 2, username: 'Lee', emoji: '🐼', content: 'stupid too', clientMsgId: null, askAi: false, matched: 'stupid', at: 200 }
  ]
  old.prepare('INSERT INTO settings (key, value) VALUES (?, ?)').run('held_messages', JSON.stringify(list))
  old.close()

  const { db, service } = openService(file)
  t.after(() => db.close())
  assert.deepEqual(service.list(), list.map(h => ({ ...h, files: [] })))
  assert.equal(db.prepare("SELECT COUNT(*) FROM settings WHERE key = 'held_messages'").pluck().get(), 0)
})
