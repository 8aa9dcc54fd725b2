import { describe, expect, it } from 'vitest'
import { render, screen } from '@testing-library/react'
import { MuteNotice } from '../../renderer/participant/components/mute-notice.js'
import { en } from '../../renderer/shared/i18n/en.js'

describe('the mute notice', () => {
  it('says at once until when and how long, in minutes', () => {
    render(<MuteNotice until={Date.now() + 5 * 60_000 - 500} />)
    expect(screen.getByRole('status').textContent).toMatch(/The host has muted you\. You can write again at .+ \(in 5 minutes\)\./)
  })

  it('shows nothing when not muted or when the mute is over', () => {
    const { container, rerender } = render(<MuteNotice until={null} />)
    expect(container.textContent).toBe('')
    rerender(<MuteNotice until={Date.now() - 1000} />)
    expect(container.textContent).toBe('')
  })

  it('counts a resend wait in one unit: seconds when short, minutes when long', () => {
    expect(en.message.waitSeconds(42)).toBe('You can resend in 42 s.')
    expect(en.message.waitSeconds(298)).toBe('You can resend in 5 min.')
    expect(en.room.muted('10:42', 1)).toContain('about a minute')
  })
})
