import { test } from 'node:test'
import assert from 'node:assert/strict'
import { codePointLength, mentionsAi, normalizeChatText, withoutAiMention } from '../../server/protocol/index.js'

test('@ai is a mention only as a word, in any case', () => {
  for (const yes of ['@ai hi', 'hi @AI', 'what do you think, @Ai?', '(@ai)', 'line\n@ai']) assert.equal(mentionsAi(yes), true, yes)
  for (const no of ['bob@ai.example', '@aim high', 'ai', '@@ai', 'hi @ai_bot']) assert.equal(mentionsAi(no), false, no)
})

test('the AI is asked the question without its mention', () => {
  assert.equal(withoutAiMention('@ai what is 2+2?'), 'what is 2+2?')
  assert.equal(withoutAiMention('tell me, @AI, why'), 'tell me, , why')
  assert.equal(withoutAiMention('@ai'), '@ai')
  assert.equal(withoutAiMention('mail bob@ai.example'), 'mail bob@ai.example')
})

test('lengths count code points and text is normalised', () => {
  assert.equal(codePointLength('😀é'), 2)
  assert.equal(normalizeChatText('a\r\nb\u0007\u202Ec\te'), 'a\nbc\te')
  assert.equal(normalizeChatText('e\u0301'), 'é')
})
