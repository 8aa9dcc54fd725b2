import { test } from 'node:test'
import assert from 'node:assert/strict'
import fc from 'fast-check'
import { marker, scanMarkers } from '../bench/markers.js'

// The bench counts tokens by scanning frames for markers; a scanner that missed or invented one
// would make every delivery figure wrong.
test('scanMarkers finds every marker in a JSON frame, in order, with its numbers', () => {
  fc.assert(fc.property(
    fc.array(fc.record({
      answer: fc.nat(999),
      token: fc.nat(9999),
      sent: fc.integer({ min: 1_700_000_000_000, max: 1_900_000_000_000 }),
      asked: fc.integer({ min: 1_700_000_000_000, max: 1_900_000_000_000 }),
      filler: fc.string({ maxLength: 20 })
    }), { maxLength: 30 }),
    (marks) => {
      const content = marks.map(m => marker(m.answer, m.token, m.sent / 100, m.asked / 100) + m.filler).join('')
      const frame = Buffer.from(JSON.stringify({ type: 'ai_message_chunk', id: 1, content }), 'utf8')
      const seen: Array<[number, number, number, number]> = []
      const count = scanMarkers(frame, 20, (a, t, s, q) => { seen.push([a, t, s, q]) })
      assert.equal(count, marks.length)
      marks.forEach((m, k) => {
        const [a, t, s, q] = seen[k]!
        assert.equal(a, m.answer)
        assert.equal(t, m.token)
        assert.ok(Math.abs(s - m.sent / 100) < 0.006)
        assert.ok(Math.abs(q - m.asked / 100) < 0.006)
      })
      const bare: number[] = []
      assert.equal(scanMarkers(frame, 20, (_a, t, s) => { bare.push(t); assert.equal(s, 0) }, false), marks.length)
      assert.deepEqual(bare, marks.map(m => m.token))
    }
  ), { numRuns: 300 })
})
