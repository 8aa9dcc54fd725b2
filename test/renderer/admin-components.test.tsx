/** Console components, as the host sees and uses them. */
import { render, screen, within } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { describe, expect, it, vi } from 'vitest'
import type { FormField, NetworkResponse } from '../../server/protocol/index.js'
import { I18nContext } from '../../renderer/shared/i18n/index.js'
import { zhCN } from '../../renderer/shared/i18n/zh-CN.js'
import type { ChatEntry } from '../../renderer/shared/chat/chat-state.js'
import { DifyForm } from '../../renderer/admin/panels/dify-form.js'
import { HostActions } from '../../renderer/admin/panels/host-actions.js'
import { HostComposer } from '../../renderer/admin/panels/host-composer.js'
import { InvitePanel } from '../../renderer/admin/panels/invite-panel.js'
import { PinForm } from '../../renderer/admin/panels/controls-panel.js'
import type { Network } from '../../renderer/admin/hooks/use-network.js'

const network = (info: NetworkResponse, choose = vi.fn()): Network => ({
  info, error: null, chosen: info.addresses[0] ?? null, choose
})

const twoAddresses: NetworkResponse = {
  port: 8000,
  pin: '4821',
  addresses: [
    { address: '192.168.1.23', url: 'http://192.168.1.23:8000/', interface: 'wlan0', kind: 'lan', is_default: true },
    { address: '172.17.0.1', url: 'http://172.17.0.1:8000/', interface: 'docker0', kind: 'virtual', is_default: false }
  ],
  diagnostics: [{ level: 'warn', code: 'W_VIRTUAL', message: 'docker0 is a virtual adapter' }]
}

describe('InvitePanel', () => {
  it('shows the chosen join URL as text and QR code, the port and the PIN, and lets the host pick another address', async () => {
    const choose = vi.fn()
    render(<InvitePanel network={network(twoAddresses, choose)} isLarge />)
    expect(screen.getByTestId('join-url').textContent).toBe('http://192.168.1.23:8000/')
    expect(screen.getByRole('img', { name: 'QR code for http://192.168.1.23:8000/' })).toBeTruthy()
    expect(screen.getByText('8000')).toBeTruthy()
    expect(screen.getByText('4821')).toBeTruthy()
    expect(screen.getByText('docker0 is a virtual adapter')).toBeTruthy()
    const radios = screen.getAllByRole('radio')
    expect(radios).toHaveLength(2)
    expect((radios[0] as HTMLInputElement).checked).toBe(true)
    await userEvent.setup().click(radios[1]!)
    expect(choose).toHaveBeenCalledWith('http://172.17.0.1:8000/')
  })

  it('says when no PIN is set and when only this computer can reach the room', () => {
    render(<InvitePanel network={network({ port: 8001, pin: null, addresses: [{ address: '127.0.0.1', url: 'http://127.0.0.1:8001/', interface: 'lo', kind: 'loopback', is_default: false }], diagnostics: [] })} />)
    expect(screen.getByText(/No PIN/)).toBeTruthy()
    expect(screen.getByText(/Only this computer/)).toBeTruthy()
  })

  it('adds what the desktop app knows: the port it fell back to and its firewall advice', () => {
    const desktop = {
      info: { portFallbackFrom: 7999, keyEncryption: 'os' as const, openAtLogin: false, diagnostics: [{ level: 'warn' as const, code: 'W_PUBLIC', message: 'This network is marked Public: Windows blocks other devices.' }] },
      setOpenAtLogin: null
    }
    render(<InvitePanel network={network(twoAddresses)} desktop={desktop} isLarge />)
    expect(screen.getByText(/Port 7999 was in use on this computer, so the room uses port 8000/)).toBeTruthy()
    expect(screen.getByText(/marked Public/)).toBeTruthy()
  })

  it('speaks Chinese in a Chinese browser', () => {
    render(<I18nContext value={zhCN}><InvitePanel network={network(twoAddresses)} isLarge /></I18nContext>)
    expect(screen.getByRole('heading', { name: '邀请大家加入' })).toBeTruthy()
    expect(screen.getByRole('button', { name: '复制链接' })).toBeTruthy()
  })
})

describe('HostActions', () => {
  const user = (extra: Partial<ChatEntry> = {}): ChatEntry => ({
    kind: 'user',
    key: 'u:4',
    id: 4,
    seq: 4,
    order: 4,
    content: 'off-topic',
    fromUser: 'Kim',
    fromUserId: 3,
    emoji: '🐼',
    timestamp: 1,
    clientMsgId: null,
    asksAi: false,
    isHidden: false,
    ...extra
  } as ChatEntry)

  it('hides a message, and on the tombstone reads it and shows it again', async () => {
    const onHide = vi.fn()
    const onUnhide = vi.fn()
    const u = userEvent.setup()
    const { rerender } = render(<HostActions entry={user()} onHide={onHide} onUnhide={onUnhide} onStop={vi.fn()} />)
    await u.click(screen.getByRole('button', { name: 'Hide this message from Kim' }))
    expect(onHide).toHaveBeenCalledWith(4)
    rerender(<HostActions entry={user({ isHidden: true })} onHide={onHide} onUnhide={onUnhide} onStop={vi.fn()} />)
    expect(screen.queryByText('off-topic')).toBeNull()
    await u.click(screen.getByRole('button', { name: 'Read' }))
    expect(screen.getByText('off-topic')).toBeTruthy()
    await u.click(screen.getByRole('button', { name: 'Show this message to participants again' }))
    expect(onUnhide).toHaveBeenCalledWith(4)
  })

  it('offers Stop only while a reply is running', async () => {
    const onStop = vi.fn()
    const ai = { kind: 'ai', key: 'a:9', id: 9, seq: 9, order: 9, replyTo: 4, content: 'Half an ans', status: 'streaming', queuePosition: 0, timestamp: 1, citations: [], error: null, isHidden: false, cutAtChars: null, isTeachersAnswer: false, hostRating: null } as ChatEntry
    const { rerender } = render(<HostActions entry={ai} onHide={vi.fn()} onUnhide={vi.fn()} onStop={onStop} />)
    await userEvent.setup().click(screen.getByRole('button', { name: 'Stop this AI reply' }))
    expect(onStop).toHaveBeenCalledWith(9)
    rerender(<HostActions entry={{ ...ai, status: 'complete' } as ChatEntry} onHide={vi.fn()} onUnhide={vi.fn()} onStop={onStop} />)
    expect(screen.queryByRole('button', { name: 'Stop this AI reply' })).toBeNull()
  })
})

describe('HostComposer', () => {
  it('posts on Enter, clears on success and shows the host\'s refusal', async () => {
    const onSend = vi.fn().mockResolvedValueOnce({}).mockRejectedValueOnce(new Error('content must hold 1–4,000 characters'))
    render(<HostComposer onSend={onSend} />)
    const input = screen.getByLabelText('Message the room as Host') as HTMLTextAreaElement
    const u = userEvent.setup()
    await u.type(input, 'Welcome, class{Enter}')
    expect(onSend).toHaveBeenCalledWith('Welcome, class')
    expect(input.value).toBe('')
    await u.type(input, 'again{Enter}')
    expect((await screen.findByRole('alert')).textContent).toContain('1–4,000')
    expect(input.value).toBe('again')
  })
})

describe('DifyForm', () => {
  const form: FormField[] = [
    { variable: 'grade', label: 'Grade', type: 'select', required: true, options: ['Year 7', 'Year 8'] },
    { variable: 'subject', label: 'Subject', type: 'text-input', required: false, max_length: 40 },
    { variable: 'notes', label: 'Notes', type: 'paragraph', required: false },
    { variable: 'count', label: 'Examples', type: 'number', required: false, default: 2 },
    { variable: 'simple', label: 'Simple words', type: 'checkbox', required: false }
  ]

  it('renders each input type, flags required ones and saves the values', async () => {
    const onSave = vi.fn().mockResolvedValue(undefined)
    render(<DifyForm form={form} values={{}} isLocked={false} onSave={onSave} />)
    expect(screen.getByText(/Still empty but required by the app: Grade/)).toBeTruthy()
    const grade = screen.getByLabelText(/Grade/) as HTMLSelectElement
    expect(within(grade.closest('.field')!).getByText(/required/)).toBeTruthy()
    expect(screen.getByText('at most 40 characters')).toBeTruthy()
    const u = userEvent.setup()
    await u.selectOptions(grade, 'Year 8')
    await u.type(screen.getByLabelText('Subject'), 'Biology')
    await u.click(screen.getByLabelText('Simple words'))
    expect(screen.queryByText(/Still empty/)).toBeNull()
    await u.click(screen.getByRole('button', { name: 'Save inputs' }))
    expect(onSave).toHaveBeenCalledWith({ grade: 'Year 8', subject: 'Biology', count: 2, simple: true })
  })

  it('says when the app asks for nothing', () => {
    render(<DifyForm form={[]} values={{}} isLocked={false} onSave={vi.fn()} />)
    expect(screen.getByText('This app asks for no inputs.')).toBeTruthy()
  })
})

describe('PinForm', () => {
  it('sets a PIN of 4 to 8 digits, refuses others before sending, and removes one', async () => {
    const user = userEvent.setup()
    const onSave = vi.fn(async () => {})
    const { unmount } = render(<PinForm current={null} lockedBy={null} onSave={onSave} />)
    const field = screen.getByLabelText<HTMLInputElement>('Join PIN')
    const set = screen.getByRole<HTMLButtonElement>('button', { name: 'Set PIN' })
    expect(set.disabled).toBe(true)
    await user.type(field, '12a')
    expect(screen.getByRole('alert').textContent).toContain('4 to 8 digits')
    expect(field.getAttribute('aria-invalid')).toBe('true')
    expect(set.disabled).toBe(true)
    await user.clear(field)
    await user.type(field, '4821')
    expect(screen.queryByRole('alert')).toBeNull()
    await user.click(set)
    expect(onSave).toHaveBeenCalledWith('4821')
    unmount()
    render(<PinForm current='4821' lockedBy={null} onSave={onSave} />)
    await user.click(screen.getByRole('button', { name: 'Remove PIN' }))
    expect(onSave).toHaveBeenLastCalledWith('')
  })

  it('names the launch flag when the PIN was given at launch, in the host\'s language', () => {
    render(
      <I18nContext value={zhCN}>
        <PinForm current='2468' lockedBy='--pin' onSave={vi.fn()} />
      </I18nContext>
    )
    expect(screen.getByLabelText<HTMLInputElement>('加入 PIN').disabled).toBe(true)
    expect(screen.getByText(/--pin/).textContent).toContain('启动时')
    expect(screen.queryByRole('button', { name: '取消 PIN' })).toBeNull()
  })
})
