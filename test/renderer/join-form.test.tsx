import { render, screen } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { describe, expect, it, vi } from 'vitest'
import type { RoomInfoResponse } from '../../server/protocol/index.js'
import { JoinForm } from '../../renderer/participant/components/join-form.js'

const info: RoomInfoResponse = {
  room: { id: 'r1', name: 'Biology 7B' },
  ai_mode: 'mention',
  ai_available: true,
  pin_required: true,
  opening_statement: null,
  suggested_questions: [],
  limits: { max_message_length: 4000 }
}

function reply (status: number, body: unknown, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json', ...headers } })
}

async function fillAndJoin (name: string, pin: string) {
  const user = userEvent.setup()
  const nameInput = screen.getByLabelText('Your name')
  await user.clear(nameInput)
  if (name) await user.type(nameInput, name)
  const pinInput = screen.getByLabelText('Room PIN')
  await user.clear(pinInput)
  if (pin) await user.type(pinInput, pin)
  await user.click(screen.getByRole('button', { name: /Join the room/ }))
}

describe('JoinForm', () => {
  it('suggests a friendly name and an emoji', () => {
    render(<JoinForm info={info} onJoined={() => {}} />)
    expect((screen.getByLabelText('Your name') as HTMLInputElement).value).toMatch(/^\S+ \S+$/)
    expect(screen.getAllByRole('radio', { checked: true })).toHaveLength(1)
  })

  it('explains what is wrong before calling the host', async () => {
    const fetch = vi.spyOn(globalThis, 'fetch')
    render(<JoinForm info={info} onJoined={() => {}} />)
    await fillAndJoin('', '1234')
    expect(screen.getByRole('alert').textContent).toBe('Please enter a name.')
    await fillAndJoin('ai', '1234')
    expect(screen.getByRole('alert').textContent).toBe('"ai" is reserved. Please pick another name.')
    await fillAndJoin('x'.repeat(33), '1234')
    expect(screen.getByRole('alert').textContent).toBe('Names can be at most 32 characters.')
    await fillAndJoin('Ann', '12')
    expect(screen.getByRole('alert').textContent).toBe('The PIN is 4 to 8 digits.')
    expect(screen.getByLabelText('Room PIN').getAttribute('aria-invalid')).toBe('true')
    expect(fetch).not.toHaveBeenCalled()
  })

  it('shows the host\'s refusal next to the field it is about', async () => {
    vi.spyOn(globalThis, 'fetch').mockResolvedValue(reply(403, { error: { code: 'ERR_PIN_WRONG', message: 'Wrong PIN' } }))
    render(<JoinForm info={info} onJoined={() => {}} />)
    await fillAndJoin('Ann', '1234')
    expect(screen.getByRole('alert').textContent).toBe('That PIN is not right. Check it with the host.')
    expect(screen.getByLabelText('Room PIN').getAttribute('aria-invalid')).toBe('true')
  })

  it('asks for the PIN when the host set one after the page loaded', async () => {
    vi.spyOn(globalThis, 'fetch').mockResolvedValue(reply(401, { error: { code: 'ERR_PIN_REQUIRED', message: 'This room needs a PIN.' } }))
    const user = userEvent.setup()
    render(<JoinForm info={{ ...info, pin_required: false }} onJoined={() => {}} />)
    expect(screen.queryByLabelText('Room PIN')).toBeNull()
    await user.click(screen.getByRole('button', { name: /Join the room/ }))
    expect(screen.getByLabelText('Room PIN').getAttribute('aria-invalid')).toBe('true')
  })

  it('says how long to wait when rate-limited, and shows unknown errors as the host words them', async () => {
    const fetch = vi.spyOn(globalThis, 'fetch')
      .mockResolvedValueOnce(reply(429, { error: { code: 'ERR_RATE_LIMITED', message: 'Too many' } }, { 'retry-after': '30' }))
      .mockResolvedValueOnce(reply(400, { error: { code: 'ERR_USERNAME_INVALID', message: 'Names cannot hold only spaces.' } }))
    render(<JoinForm info={info} onJoined={() => {}} />)
    await fillAndJoin('Ann', '1234')
    expect(screen.getByRole('alert').textContent).toBe('Too many attempts from this device. Please try again in 30 s.')
    await fillAndJoin('Ann', '1234')
    expect(screen.getByRole('alert').textContent).toBe('Names cannot hold only spaces.')
    expect(fetch).toHaveBeenCalledTimes(2)
  })

  it('joins with the normalised name, emoji and PIN', async () => {
    const fetch = vi.spyOn(globalThis, 'fetch').mockResolvedValue(reply(200, {
      user_id: 3, token: 'tok', username: 'Ann', emoji: '🦊', room: { id: 'r1', name: 'Biology 7B' }
    }))
    const onJoined = vi.fn()
    render(<JoinForm info={info} onJoined={onJoined} />)
    await userEvent.click(screen.getByRole('radio', { name: '🦊' }))
    await fillAndJoin('  Ann  ', '1234')
    const body: unknown = JSON.parse(String(fetch.mock.calls[0]?.[1]?.body))
    expect(body).toEqual({ username: 'Ann', emoji: '🦊', pin: '1234' })
    expect(onJoined).toHaveBeenCalledWith({ token: 'tok', userId: 3, username: 'Ann', emoji: '🦊' }, null)
  })
})
