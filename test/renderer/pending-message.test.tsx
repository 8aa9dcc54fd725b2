import { render, screen } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { describe, expect, it, vi } from 'vitest'
import { PendingMessage } from '../../renderer/shared/chat/pending-message.js'
import { createOutboxEntry } from '../../renderer/shared/chat/outbox.js'

describe('PendingMessage', () => {
  it('shows a pending message as sending, as plain text', () => {
    const { container } = render(<PendingMessage entry={createOutboxEntry('c1', '<b>hi</b>\nthere', 1)} onResend={() => {}} onDiscard={() => {}} />)
    expect(screen.getByText('Sending…')).toBeTruthy()
    expect(container.querySelector('b')).toBeNull()
    expect(container.textContent).toContain('<b>hi</b>\nthere')
  })

  it('asks to wait while rate-limited, then offers Resend and Discard', async () => {
    const onResend = vi.fn()
    const onDiscard = vi.fn()
    const message = 'You can ask the AI at most 5 questions per minute from one device. Your message was not sent. Please wait 17 s.'
    const failed = { ...createOutboxEntry('c1', 'hi', 1), state: 'failed' as const, failure: { code: 'ERR_RATE_LIMITED', message, retryAt: Date.now() + 4000 } }
    const { rerender } = render(<PendingMessage entry={failed} onResend={onResend} onDiscard={onDiscard} />)
    // The host's own reason, without its frozen wait; the page counts down instead.
    expect(screen.getByRole('alert').textContent).toBe('You can ask the AI at most 5 questions per minute from one device. Your message was not sent.')
    expect(screen.queryByText(/Too fast/)).toBeNull()
    expect(screen.getByText('You can resend in 4 s.')).toBeTruthy()
    expect((screen.getByRole('button', { name: 'Resend' }) as HTMLButtonElement).disabled).toBe(true)

    // After the countdown the reason stays, and the page says the resend is possible now.
    rerender(<PendingMessage entry={{ ...failed, failure: { ...failed.failure, retryAt: Date.now() - 1 } }} onResend={onResend} onDiscard={onDiscard} />)
    expect(await screen.findByText('You can resend it now.')).toBeTruthy()
    expect(screen.getByRole('alert').textContent).toContain('from one device')
    await userEvent.click(screen.getByRole('button', { name: 'Resend' }))
    expect(onResend).toHaveBeenCalledWith('c1')
    await userEvent.click(screen.getByRole('button', { name: 'Discard' }))
    expect(onDiscard).toHaveBeenCalledWith('c1')
  })
})
