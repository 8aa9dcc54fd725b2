/** The room's live signals: "I'm lost", "got it" and raised hands, counted for the host. */
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { startHost } from '../helpers/host.js'
import { admin, adminSocket } from '../helpers/admin.js'
import { createSignals } from '../../server/room/signals/signals.js'
import type { AdminFrame, ServerFrame, SignalsFrame } from '../../server/protocol/index.js'

/** The admin socket's signals frames (its client types the room's frames only). */
const isSignals = (f: unknown): boolean => (f as { type: string }).type === 'signals'
const signalsWhere = (test: (s: SignalsFrame) => boolean) => (f: unknown): boolean => isSignals(f) && test(f as SignalsFrame)

test('lost, got it and hands reach the host as one coalesced signals frame; the host lowers hands', async (t) => {
  const host = await startHost(t)
  const api = admin(host)
  const [kim, lee, max] = await Promise.all([host.join('Kim'), host.join('Lee'), host.join('Max')])
  const a = await host.connect(kim.token)
  const b = await host.connect(lee.token)
  const c = await host.connect(max.token)
  const console = await adminSocket(t, host)

  a.send({ type: 'signal', kind: 'lost', on: true })
  b.send({ type: 'signal', kind: 'lost', on: true })
  c.send({ type: 'signal', kind: 'got_it', on: true })
  b.send({ type: 'signal', kind: 'hand', on: true })
  await console.waitFor(signalsWhere(f => f.hands.length === 1))
  a.send({ type: 'signal', kind: 'hand', on: true })
  a.send({ type: 'signal', kind: 'hand', on: true })
  const [last] = await console.waitFor(signalsWhere(f => f.lost === 2 && f.got_it === 1 && f.hands.length === 2))
  assert.ok(last)
  const state = await api('GET', '/api/admin/signals')
  assert.equal(state.status, 200)
  assert.deepEqual({ ...state.body, hands: state.body.hands.map((h: { username: string }) => h.username) }, { lost: 2, got_it: 1, hands: ['Lee', 'Kim'] }, 'hands oldest first; a second raise changes nothing')
  assert.ok(console.frames.filter(isSignals).length <= 4, `coalesced: ${console.frames.filter(isSignals).length} frames for six presses`)

  // "got it" replaces "lost"; taking back what was not set changes nothing.
  a.send({ type: 'signal', kind: 'got_it', on: true })
  c.send({ type: 'signal', kind: 'lost', on: false })
  await console.waitFor(signalsWhere(f => f.lost === 1 && f.got_it === 2))

  // The host lowers one hand, then all: each participant is told.
  assert.equal((await api('DELETE', `/api/admin/signals/hands/${lee.user_id}`)).status, 200)
  await b.waitFor(f => f.type === 'signal_cleared' && f.kind === 'hand')
  assert.equal((await api('DELETE', `/api/admin/signals/hands/${lee.user_id}`)).status, 404)
  const cleared = await api('DELETE', '/api/admin/signals/hands')
  assert.deepEqual(cleared.body, { lowered: 1 })
  await a.waitFor(f => f.type === 'signal_cleared' && f.kind === 'hand')
  await console.waitFor(signalsWhere(f => f.hands.length === 0))

  // A malformed signal is a clear error frame, and nothing changes.
  c.send({ type: 'signal', kind: 'sleepy', on: true })
  await c.waitFor((f: ServerFrame) => f.type === 'error' && f.code === 'ERR_VALIDATION')
  assert.equal((await api('GET', '/api/admin/signals')).body.lost, 1)
})

test('lost and got it count for two minutes, then run out and their owner is told', async () => {
  let clock = 1_000_000
  const sent: Array<{ to: number, frame: ServerFrame }> = []
  const admins: AdminFrame[] = []
  const conns = new Map([[1, new Set([{ id: 1 }])], [2, new Set([{ id: 2 }])]])
  const hub = {
    broadcastAdmin: (f: AdminFrame) => admins.push(f),
    connectionsOf: (userId: number) => conns.get(userId),
    sendTo: (conn: { id: number }, frame: ServerFrame) => sent.push({ to: conn.id, frame })
  }
  const signals = createSignals({ hub: hub as never, now: () => clock, coalesceMs: 0, windowMs: 1000 })
  signals.set({ id: 1, username: 'Kim' }, 'lost', true)
  clock += 600
  signals.set({ id: 2, username: 'Lee' }, 'got_it', true)
  assert.deepEqual(signals.state(), { lost: 1, got_it: 1, hands: [] })
  clock += 500
  assert.deepEqual(signals.state(), { lost: 0, got_it: 1, hands: [] }, 'Kim\'s ran out')
  assert.deepEqual(sent, [{ to: 1, frame: { type: 'signal_cleared', kind: 'lost' } }])
  signals.forget(2)
  assert.deepEqual(signals.state(), { lost: 0, got_it: 0, hands: [] })
  signals.close()
})

test('a reconnecting page is told its own signals in hello, so a raised hand stays raised after a reload', async (t) => {
  const host = await startHost(t)
  const kim = await host.join('Kim')
  const first = await host.connect(kim.token)
  const [hello] = await first.waitFor(f => f.type === 'hello')
  assert.equal((hello as { my_signals?: unknown }).my_signals, undefined, 'nothing set: nothing said')
  const console = await adminSocket(t, host)
  first.send({ type: 'signal', kind: 'hand', on: true })
  first.send({ type: 'signal', kind: 'lost', on: true })
  await console.waitFor(signalsWhere(f => f.lost === 1 && f.hands.length === 1))
  const again = await host.connect(kim.token)
  const [helloAgain] = await again.waitFor(f => f.type === 'hello')
  assert.deepEqual((helloAgain as { my_signals?: unknown }).my_signals, { feeling: 'lost', hand: true })
})
