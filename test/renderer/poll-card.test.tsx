import { describe, expect, it, vi } from 'vitest'
import { fireEvent, render, screen } from '@testing-library/react'
import { PollCard } from '../../renderer/participant/components/poll-card.js'
import { currentPoll, NO_POLLS, pollsReducer, type PollView } from '../../renderer/participant/components/poll-state.js'

const base: PollView = { id: 3, status: 'open', kind: 'single', question: 'Which is a prime?', options: ['4', '7', '9'], showResults: false, counts: null, total: 0, mine: null }

describe('the poll card', () => {
  it('asks with one radio per option and sends the picked one', () => {
    const onAnswer = vi.fn()
    render(<PollCard poll={base} onAnswer={onAnswer} />)
    expect(screen.getByRole('heading', { name: 'Which is a prime?' })).toBeTruthy()
    const send = screen.getByRole('button', { name: 'Send answer' }) as HTMLButtonElement
    expect(send.disabled).toBe(true)
    fireEvent.click(screen.getByRole('radio', { name: '7' }))
    fireEvent.click(send)
    expect(onAnswer).toHaveBeenCalledWith({ choice: [1] })
  })

  it('after answering shows my answer and "Change answer" while open; results bars when shown', () => {
    const { rerender } = render(<PollCard poll={{ ...base, mine: { choice: [1] }, total: 1 }} onAnswer={() => {}} />)
    expect(screen.getByText('Your answer is in.')).toBeTruthy()
    expect(screen.getByText('The host will show the results.')).toBeTruthy()
    fireEvent.click(screen.getByRole('button', { name: 'Change answer' }))
    expect((screen.getByRole('radio', { name: '7' }) as HTMLInputElement).checked).toBe(true)
    rerender(<PollCard poll={{ ...base, status: 'closed', mine: { choice: [1] }, counts: [1, 3, 0], total: 4, showResults: true }} onAnswer={() => {}} />)
    expect(screen.getByText('Closed')).toBeTruthy()
    expect(screen.queryByRole('button', { name: 'Change answer' })).toBeNull()
    expect(screen.getByText('3 votes · 75%')).toBeTruthy()
  })

  it('takes a short text for an open poll and says when it is too long', () => {
    const onAnswer = vi.fn()
    render(<PollCard poll={{ ...base, kind: 'open', options: [] }} onAnswer={onAnswer} />)
    const field = screen.getByRole('textbox', { name: 'Your answer' })
    fireEvent.change(field, { target: { value: 'x'.repeat(81) } })
    expect(screen.getByText(/At most 80 characters/)).toBeTruthy()
    expect((screen.getByRole('button', { name: 'Send answer' }) as HTMLButtonElement).disabled).toBe(true)
    fireEvent.change(field, { target: { value: ' leaves ' } })
    fireEvent.click(screen.getByRole('button', { name: 'Send answer' }))
    expect(onAnswer).toHaveBeenCalledWith({ text: 'leaves' })
  })

  it('keeps polls from frames: the newest open one is on top, counts follow poll_results', () => {
    let s = pollsReducer(NO_POLLS, { type: 'frame', frame: { type: 'poll_update', poll_id: 3, seq: 5, status: 'open', kind: 'multi', question: 'Q', options: ['a', 'b'], show_results: true, counts: [0, 0], total: 0 } })
    s = pollsReducer(s, { type: 'answered', pollId: 3, mine: { choice: [0] } })
    s = pollsReducer(s, { type: 'frame', frame: { type: 'poll_results', poll_id: 3, counts: [2, 1], total: 2 } })
    expect(currentPoll(s)).toMatchObject({ id: 3, counts: [2, 1], total: 2, mine: { choice: [0] } })
    expect(currentPoll(pollsReducer(s, { type: 'frame', frame: { type: 'room_cleared' } }))).toBeNull()
  })
})
