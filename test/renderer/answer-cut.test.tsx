import { render, screen } from '@testing-library/react'
import { describe, expect, it } from 'vitest'
import { chatReducer, createChatState, type AiEntry, type ChatState } from '../../renderer/shared/chat/chat-state.js'
import { AiMessage } from '../../renderer/shared/chat/ai-message.js'
import { I18nContext } from '../../renderer/shared/i18n/index.js'
import { zhCN } from '../../renderer/shared/i18n/zh-CN.js'
import { createProjectorState, projectorReducer } from '../../renderer/projector/projector-state.js'
import { aiEnd, aiStart, history } from './frames.js'

function ai (state: ChatState, id: number): AiEntry {
  const entry = state.entries.find(e => e.key === `a:${id}`)
  if (entry?.kind !== 'ai') throw new Error(`no AI entry ${id}`)
  return entry
}

const cutEnd = { ...aiEnd(2, 3, 'a very long answer', 'stopped'), stop_reason: 'length' as const, cut_at_chars: 100_000 }

describe('an answer cut at the host\'s answer limit', () => {
  it('keeps the limit from the end frame and from history; a plain stop has none', () => {
    const live = chatReducer(chatReducer(createChatState(), { type: 'frame', frame: aiStart(2, 2, 1) }), { type: 'frame', frame: cutEnd })
    expect(ai(live, 2).cutAtChars).toBe(100_000)
    const listed = chatReducer(createChatState(), {
      type: 'history',
      messages: [history(2, 2, { role: 'assistant', status: 'stopped', content: 'kept', reply_to: 1, stop_reason: 'length', cut_at_chars: 5000 })]
    })
    expect(ai(listed, 2).cutAtChars).toBe(5000)
    const stopped = chatReducer(chatReducer(createChatState(), { type: 'frame', frame: aiStart(2, 2, 1) }), { type: 'frame', frame: aiEnd(2, 3, 'half', 'stopped') })
    expect(ai(stopped, 2).cutAtChars).toBeNull()
  })

  it('says where it was cut, in English and Simplified Chinese', () => {
    const state = chatReducer(chatReducer(createChatState(), { type: 'frame', frame: aiStart(2, 2, 1) }), { type: 'frame', frame: cutEnd })
    const entry = ai(state, 2)
    const { unmount } = render(<AiMessage entry={entry} question={undefined} isMine={false} isTabbable={false} />)
    expect(screen.getByText('The answer was cut at 100,000 characters.')).toBeTruthy()
    expect(screen.queryByText('Stopped before the end.')).toBeNull()
    unmount()
    render(<I18nContext value={zhCN}><AiMessage entry={entry} question={undefined} isMine={false} isTabbable={false} /></I18nContext>)
    expect(screen.getByText('回答过长，已在 100,000 个字符处截断。')).toBeTruthy()
  })

  it('the projector keeps the limit too', () => {
    const s = projectorReducer(createProjectorState(), [
      { type: 'ai_message_start', id: 2, seq: 2, reply_to: 1 },
      { type: 'ai_message_end', id: 2, seq: 3, reply_to: 1, content: 'kept', status: 'stopped', stop_reason: 'length', cut_at_chars: 100_000 }
    ])
    expect(s.answer?.cutAtChars).toBe(100_000)
  })
})
