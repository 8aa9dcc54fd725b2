import { test } from 'node:test'
import assert from 'node:assert/strict'
import { EventEmitter } from 'node:events'
import { claimSingleInstance, createQuitSequence, wireQuit } from '../../main/lifecycle.js'

test('a second launch focuses the first window; the second instance is told to quit', () => {
  const first = Object.assign(new EventEmitter(), { requestSingleInstanceLock: () => true })
  let focused = 0
  assert.equal(claimSingleInstance(first as any, () => focused++), true)
  first.emit('second-instance', {}, ['mindweb-host'], '/')
  assert.equal(focused, 1)
  const second = Object.assign(new EventEmitter(), { requestSingleInstanceLock: () => false })
  assert.equal(claimSingleInstance(second as any, () => focused++), false)
})

test('quitting closes the server once, then exits 0, however often it is asked', async () => {
  let closes = 0
  const exits: number[] = []
  const seq = createQuitSequence({ closeServer: async () => { closes++ }, exit: (c) => exits.push(c), log: () => {} })
  await Promise.all([seq.quit('quit'), seq.quit('window closed'), seq.quit('system shutdown')])
  assert.equal(seq.isQuitting, true)
  assert.equal(closes, 1)
  assert.deepEqual(exits, [0])
})

test('a server that does not close in time does not keep the app open past the deadline', async () => {
  const exits: number[] = []
  const logs: string[] = []
  const seq = createQuitSequence({ closeServer: async () => await new Promise(() => {}), exit: (c) => exits.push(c), log: (m) => logs.push(m), deadlineMs: 100 })
  const started = Date.now()
  await seq.quit('quit')
  assert.ok(Date.now() - started < 1000)
  assert.deepEqual(exits, [1])
  assert.match(logs.join('\n'), /did not close within 100 ms/)
})

test('a failing close still exits (with 1)', async () => {
  const exits: number[] = []
  const seq = createQuitSequence({ closeServer: async () => { throw new Error('disk gone') }, exit: (c) => exits.push(c), log: () => {} })
  await seq.quit('quit')
  assert.deepEqual(exits, [1])
})

test('Quit, closing the window and an OS shutdown all run the quit sequence, holding Electron until it is done', async () => {
  const app = new EventEmitter()
  const power = new EventEmitter()
  const reasons: string[] = []
  wireQuit(app as any, power as any, { isQuitting: false, quit: async (reason) => { reasons.push(reason) } })
  let held = 0
  app.emit('before-quit', { preventDefault: () => held++ })
  app.emit('window-all-closed')
  power.emit('shutdown', { preventDefault: () => held++ })
  assert.equal(held, 2)
  assert.deepEqual(reasons, ['quit', 'window closed', 'system shutdown'])
})
