import { describe, expect, it } from 'vitest'
import { nextPageTop } from '../../renderer/projector/answer-paging.js'

describe('the projector pages a long answer', () => {
  it('moves on most of a page at a time, stops at the end, then starts again from the top', () => {
    expect(nextPageTop(0, 3000, 600)).toBe(510)
    expect(nextPageTop(510, 3000, 600)).toBe(1020)
    expect(nextPageTop(2200, 3000, 600)).toBe(2400)
    expect(nextPageTop(2400, 3000, 600)).toBe(0)
  })

  it('leaves an answer that fits alone', () => {
    expect(nextPageTop(0, 600, 600)).toBeNull()
    expect(nextPageTop(0, 603, 600)).toBeNull()
  })
})
