import { test } from 'node:test'
import assert from 'node:assert/strict'
import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { DEFAULT_STATE, openDesktopState } from '../../main/desktop-state.js'
import { capturePlace, restorePlace } from '../../main/window-place.js'
import { tempDir } from '../helpers/temp-dir.js'

test('the desktop state survives a restart', (t) => {
  const file = join(tempDir(t), 'desktop.json')
  const first = openDesktopState(file)
  assert.deepEqual(first.get(), DEFAULT_STATE)
  first.update({ window: { x: 10, y: 20, width: 900, height: 700, isMaximized: true }, hasExplainedFirewall: true })
  const again = openDesktopState(file)
  assert.deepEqual(again.get(), { window: { x: 10, y: 20, width: 900, height: 700, isMaximized: true }, hasExplainedFirewall: true, port: 8000 })
  assert.equal(JSON.parse(readFileSync(file, 'utf8')).port, 8000)
})

test('a damaged or hand-edited file falls back to defaults field by field', (t) => {
  const dir = tempDir(t)
  writeFileSync(join(dir, 'broken.json'), '{ not json')
  assert.deepEqual(openDesktopState(join(dir, 'broken.json')).get(), DEFAULT_STATE)
  writeFileSync(join(dir, 'odd.json'), JSON.stringify({ port: 70000, window: { x: 'left' }, hasExplainedFirewall: 'yes' }))
  assert.deepEqual(openDesktopState(join(dir, 'odd.json')).get(), DEFAULT_STATE)
  writeFileSync(join(dir, 'port.json'), JSON.stringify({ port: 9000 }))
  assert.equal(openDesktopState(join(dir, 'port.json')).get().port, 9000)
})

const screen = { x: 0, y: 0, width: 1920, height: 1080 }

test('the window reopens where it was, on a screen that is still there', () => {
  const saved = { x: 100, y: 80, width: 1000, height: 700, isMaximized: false }
  assert.deepEqual(restorePlace(saved, [screen]), { bounds: { x: 100, y: 80, width: 1000, height: 700 }, isMaximized: false })
  assert.deepEqual(restorePlace(null, [screen]), { bounds: { width: 1200, height: 800 }, isMaximized: false })
})

test('a window left on an unplugged projector comes back centred on a screen that exists', () => {
  const onProjector = { x: 2200, y: 100, width: 1280, height: 720, isMaximized: true }
  const { bounds, isMaximized } = restorePlace(onProjector, [screen])
  assert.equal(bounds.x, undefined, 'no position: Electron centres it')
  assert.deepEqual([bounds.width, bounds.height, isMaximized], [1200, 720, true])
})

test('a tiny saved size grows to the minimum; the normal bounds are what is saved', () => {
  assert.deepEqual(restorePlace({ x: 0, y: 0, width: 100, height: 50, isMaximized: false }, [screen]).bounds, { x: 0, y: 0, width: 720, height: 480 })
  const place = capturePlace({ getNormalBounds: () => ({ x: 5, y: 6, width: 800, height: 600 }), isMaximized: () => true })
  assert.deepEqual(place, { x: 5, y: 6, width: 800, height: 600, isMaximized: true })
})
