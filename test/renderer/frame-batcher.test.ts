import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { createFrameBatcher } from '../../renderer/shared/chat/frame-batcher.js'
import { userMessage } from './frames.js'

beforeEach(() => { vi.useFakeTimers() })
afterEach(() => { vi.useRealTimers() })

describe('frame batcher', () => {
  it('hands over everything that arrived before the next paint, in order, once', async () => {
    const batches: number[][] = []
    const batcher = createFrameBatcher(frames => batches.push(frames.map(f => (f as { seq: number }).seq)))
    batcher.push(userMessage(1, 1))
    batcher.push(userMessage(2, 2))
    batcher.push(userMessage(3, 3))
    expect(batches).toEqual([])
    await vi.advanceTimersByTimeAsync(200)
    expect(batches).toEqual([[1, 2, 3]])
    batcher.push(userMessage(4, 4))
    batcher.flush()
    await vi.advanceTimersByTimeAsync(200)
    expect(batches).toEqual([[1, 2, 3], [4]])
  })
})

describe('frame batcher on a busy room', () => {
  it('hands over at most once per interval, however fast frames come', async () => {
    const batches: number[][] = []
    const batcher = createFrameBatcher(frames => batches.push(frames.map(f => (f as { seq: number }).seq)), 100)
    for (let i = 1; i <= 30; i++) {
      batcher.push(userMessage(i, i))
      await vi.advanceTimersByTimeAsync(10)
    }
    await vi.advanceTimersByTimeAsync(400)
    expect(batches.flat()).toEqual(Array.from({ length: 30 }, (_, i) => i + 1))
    expect(batches.length).toBeLessThanOrEqual(5)
  })
})
