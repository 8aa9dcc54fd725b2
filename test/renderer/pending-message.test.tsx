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
    const failed = { ...createOutboxEntry('c1', 'hi', 1), state: 'failed' as const, failure: { code: 'ERR_RATE_LIMITED', message: 'Slow down', retryAt: Date.now() + 4000 } }
    const { rerender } = render(<PendingMessage entry={failed} onResend={onResend} onDiscard={onDiscard} />)
    expect(screen.getByText(/you can resend in 4 s/)).toBeTruthy()
    expect((screen.getByRole('button', { name: 'Resend' }) as HTMLButtonElement).disabled).toBe(true)

    rerender(<PendingMessage entry={{ ...failed, failure: { ...failed.failure, retryAt: null } }} onResend={onResend} onDiscard={onDiscard} />)
    await userEvent.click(screen.getByRole('button', { name: 'Resend' }))
    expect(onResend).toHaveBeenCalledWith('c1')
    await userEvent.click(screen.getByRole('button', { name: 'Discard' }))
    expect(onDiscard).toHaveBeenCalledWith('c1')
  })
})
