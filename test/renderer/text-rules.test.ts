import { describe, expect, it } from 'vitest'
import { FOLD_CHARS, foldText, withoutStaticWait } from '../../renderer/shared/chat/text-rules.js'

describe('folding long messages', () => {
  it('leaves short messages whole', () => {
    expect(foldText('hello')).toBeNull()
    expect(foldText('a '.repeat(150))).toBeNull()
  })

  it('cuts a 3,000-character message at a word, about a screen long', () => {
    const text = 'word '.repeat(600)
    const folded = foldText(text)
    expect(folded).not.toBeNull()
    expect(folded!.length).toBeLessThanOrEqual(FOLD_CHARS + 1)
    expect(folded!.endsWith('word…')).toBe(true)
  })

  it('cuts many short lines after eight', () => {
    const folded = foldText(Array.from({ length: 40 }, (_, i) => `line ${i}`).join('\n'))
    expect(folded?.split('\n')).toHaveLength(8)
  })

  it('never splits an emoji', () => {
    const folded = foldText('😀'.repeat(300))
    expect(folded).not.toBeNull()
    expect(folded!.slice(0, -1)).toBe('😀'.repeat((folded!.length - 1) / 2))
  })
})

describe('the host refusal text', () => {
  it('drops the wait the host wrote at that moment (the page counts down itself)', () => {
    expect(withoutStaticWait('You can ask the AI at most 5 questions per minute from one device. Your message was not sent. Please wait 17 s.'))
      .toBe('You can ask the AI at most 5 questions per minute from one device. Your message was not sent.')
    expect(withoutStaticWait('Slow mode is on.')).toBe('Slow mode is on.')
  })
})
