import { fireEvent, render, screen } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { describe, expect, it, vi } from 'vitest'
import { Composer } from '../../renderer/participant/components/composer.js'

function setup (mode: 'mention' | 'all' | 'off' | 'approve' = 'mention', aiAvailable = true) {
  const onSend = vi.fn()
  render(<Composer aiMode={mode} aiAvailable={aiAvailable} maxLength={20} onSend={onSend} />)
  return { onSend, input: screen.getByLabelText('Message') as HTMLTextAreaElement, user: userEvent.setup() }
}

describe('Composer', () => {
  it('sends on Enter and adds a line on Shift+Enter', async () => {
    const { onSend, input, user } = setup()
    await user.type(input, 'hello{Shift>}{Enter}{/Shift}world')
    expect(input.value).toBe('hello\nworld')
    await user.keyboard('{Enter}')
    expect(onSend).toHaveBeenCalledWith('hello\nworld')
    expect(input.value).toBe('')
  })

  it('does not send while an input method is composing', () => {
    const { onSend, input } = setup()
    fireEvent.change(input, { target: { value: '你好' } })
    fireEvent.keyDown(input, { key: 'Enter', isComposing: true })
    expect(onSend).not.toHaveBeenCalled()
  })

  it('does not send blank or too long messages', async () => {
    const { onSend, input, user } = setup()
    await user.type(input, '   {Enter}')
    expect(onSend).not.toHaveBeenCalled()
    await user.clear(input)
    await user.type(input, 'x'.repeat(25))
    expect(screen.getByText('5 characters too long')).toBeTruthy()
    expect((screen.getByRole('button', { name: 'Send' }) as HTMLButtonElement).disabled).toBe(true)
  })

  it('addresses the AI with the toggle in mention mode, and knows a typed @ai', async () => {
    const { onSend, input, user } = setup()
    const toggle = screen.getByRole('button', { name: /Ask AI/ })
    expect(toggle.getAttribute('aria-pressed')).toBe('false')
    await user.click(toggle)
    expect(toggle.getAttribute('aria-pressed')).toBe('true')
    expect(screen.getByText('The AI will answer this message for everyone.')).toBeTruthy()
    await user.type(input, 'what is DNA?{Enter}')
    expect(onSend).toHaveBeenLastCalledWith('@ai what is DNA?')
    expect(toggle.getAttribute('aria-pressed')).toBe('false')
    await user.type(input, 'hey @AI why?')
    expect(toggle.getAttribute('aria-pressed')).toBe('true')
    await user.keyboard('{Enter}')
    expect(onSend).toHaveBeenLastCalledWith('hey @AI why?')
  })

  it('says what happens in the other modes', () => {
    setup('all')
    expect(screen.getByText('Every message is answered by the AI.')).toBeTruthy()
    expect(screen.queryByRole('button', { name: /Ask AI/ })).toBeNull()
  })

  it('says when the AI is off', () => {
    setup('off')
    expect(screen.getByText('The AI is off: messages go to the room only.')).toBeTruthy()
    expect(screen.queryByRole('button', { name: /Ask AI/ })).toBeNull()
  })

  it('says the host approves questions first', () => {
    setup('approve')
    expect(screen.getByText('Questions to the AI wait for the host to approve them.')).toBeTruthy()
    expect(screen.getByRole('button', { name: /Ask AI/ })).toBeTruthy()
  })
})
