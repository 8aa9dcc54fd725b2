/**
 * Write before you show, checked at the moment of every socket write: the text of each answer a
 * socket is given is already in SQLite, and a user message is saved before it is broadcast.
 * Real host, real SQLite, the fake Dify over HTTP, real ws clients.
 */
import { startAiHost } from '../helpers/ai-host.js'
import { test, type TestContext } from 'node:test'
import assert from 'node:assert/strict'
import type { Socket } from 'node:net'
import { startHost, type TestHost } from '../helpers/host.js'
import type { ServerFrame } from '../../server/protocol/index.js'

const aiHost = async (t: TestContext): Promise<TestHost> => (await startAiHost(t, { dify: { tokenDelayMs: 4 }, gateway: { retries: 2 } })).host

/** The text frames in one write of the server (the hub writes whole frames; ws's own control frames are skipped). */
function textFrames (buf: Buffer): ServerFrame[] {
  const out: ServerFrame[] = []
  let i = 0
  while (i + 2 <= buf.length) {
    let len = buf[i + 1]! & 0x7f
    let at = i + 2
    if (len === 126) { len = buf.readUInt16BE(at); at += 2 } else if (len === 127) { len = Number(buf.readBigUInt64BE(at)); at += 8 }
    if (at + len > buf.length) break
    if (buf[i] === 0x81) out.push(JSON.parse(buf.subarray(at, at + len).toString('utf8')) as ServerFrame)
    i = at + len
  }
  return out
}

test('no socket is given answer text before it is in SQLite (deltas, replaces, several answers at once)', async (t) => {
  const host = await aiHost(t)
  const people = await Promise.all(['Ann', 'Ben', 'Cai'].map(n => host.join(n)))
  const clients = await Promise.all(people.map(p => host.connect(p.token)))
  for (const c of clients) await c.waitType('hello')
  const saved = host.db.prepare<[number], { content: string }>('SELECT content FROM messages WHERE id = ?')
  let checked = 0
  const problems: string[] = []
  host.app.services.hub.forEach(conn => {
    const shown = new Map<number, string>()
    const socket = conn.socket as Socket & { write: (buf: Buffer, ...rest: unknown[]) => boolean }
    const write = socket.write.bind(socket)
    socket.write = (buf: Buffer, ...rest: unknown[]) => {
      // What each answer looks like on this screen once this write is read (a replace in it wins).
      const moved = new Set<number>()
      for (const f of textFrames(buf)) {
        if (f.type !== 'ai_message_chunk' && f.type !== 'ai_message_replace') continue
        shown.set(f.id, f.type === 'ai_message_replace' || f.snapshot === true ? f.content : (shown.get(f.id) ?? '') + f.content)
        moved.add(f.id)
      }
      for (const id of moved) {
        const text = shown.get(id)!
        const row = saved.get(id)
        checked++
        if (row === undefined || !row.content.startsWith(text)) problems.push(`reply ${id}: shown ${JSON.stringify(text)}, saved ${JSON.stringify(row?.content)}`)
      }
      return write(buf, ...rest)
    }
  })
  clients[0]!.chat('@ai tell me a long story [[scenario:slow]]', 'a')
  clients[1]!.chat('@ai another long one [[scenario:slow]]', 'b')
  clients[2]!.chat('@ai say something rude [[scenario:replace]]', 'c')
  await clients[0]!.waitFor(f => f.type === 'ai_message_end', 3, 30_000)
  assert.deepEqual(problems, [])
  assert.ok(checked > 30, `checked ${checked} writes of answer text`)
  const replaced = clients[0]!.ofType('ai_message_replace')
  assert.equal(replaced.length, 1, 'the moderation replace was shown (after it was saved)')
})

test('a user message is in SQLite before it is broadcast', async (t) => {
  const host = await startHost(t)
  const alice = await host.join('Alice')
  const bob = await host.join('Bob')
  const a = await host.connect(alice.token)
  const b = await host.connect(bob.token)
  const { hub } = host.app.services
  const saved = host.db.prepare<[number], { seq: number, content: string }>('SELECT seq, content FROM messages WHERE id = ?')
  const atBroadcast: Array<{ frame: ServerFrame, row: { seq: number, content: string } | undefined }> = []
  const broadcast = hub.broadcast.bind(hub)
  hub.broadcast = (frame, variant) => {
    if (frame.type === 'user_message') atBroadcast.push({ frame, row: saved.get(frame.id) })
    broadcast(frame, variant)
  }
  t.after(() => { hub.broadcast = broadcast })
  a.chat('first', 'm1')
  b.chat('second', 'm2')
  await b.waitType('user_message', 2)
  assert.equal(atBroadcast.length, 2)
  for (const { frame, row } of atBroadcast) {
    assert.ok(frame.type === 'user_message')
    assert.deepEqual(row, { seq: frame.seq, content: frame.content })
  }
})
