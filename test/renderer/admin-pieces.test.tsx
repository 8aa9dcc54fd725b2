/** The console's pure pieces: token from the URL, QR path, address choice, chart layout, form helpers, socket frames. */
import QRCode from 'qrcode'
import { describe, expect, it } from 'vitest'
import type { FormField, JoinAddress } from '../../server/protocol/index.js'
import { qrPath } from '../../renderer/admin/components/qr-path.js'
import { pickAddress } from '../../renderer/admin/hooks/use-network.js'
import { chartModel, CHART_WINDOW_MS } from '../../renderer/admin/panels/chart-model.js'
import { initialValues, missingRequired } from '../../renderer/admin/panels/dify-inputs.js'
import { auditSentence, targetText } from '../../renderer/admin/panels/audit-text.js'
import { adminSocketUrl, parseFrame, reconnectDelay } from '../../renderer/admin/state/admin-connection.js'
import { backoffDelay } from '../../renderer/shared/socket/backoff.js'
import { hashWithoutToken, resolveServerInfo, tokenFromHash } from '../../renderer/admin/server-info.js'
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { adminEn } from '../../renderer/shared/i18n/admin-en.js'
import { adminZhCN } from '../../renderer/shared/i18n/admin-zh-CN.js'

describe('admin token', () => {
  it('reads the token from the fragment and keeps the rest', () => {
    expect(tokenFromHash('#token=abc123')).toBe('abc123')
    expect(tokenFromHash('#people&token=x%2By')).toBe('x+y')
    expect(tokenFromHash('#token=')).toBeNull()
    expect(tokenFromHash('')).toBeNull()
    expect(hashWithoutToken('#token=abc')).toBe('')
    expect(hashWithoutToken('#people=&token=abc')).toBe('#people=')
  })

  it('removes the token from the address bar and remembers it for a reload of this tab', async () => {
    window.history.replaceState(null, '', '/admin/#token=secret-token-1234')
    expect(await resolveServerInfo()).toEqual({ baseUrl: '', token: 'secret-token-1234' })
    expect(window.location.hash).toBe('')
    expect(window.location.href).not.toContain('secret')
    expect(await resolveServerInfo()).toEqual({ baseUrl: '', token: 'secret-token-1234' })
    sessionStorage.clear()
    expect(await resolveServerInfo()).toBeNull()
  })

  it('prefers the desktop bridge', async () => {
    const win = Object.assign(Object.create(window) as Window, {
      mindweb: { getServerInfo: async () => ({ baseUrl: 'http://127.0.0.1:8000', adminToken: 'from-bridge-0123456789' }) }
    })
    expect(await resolveServerInfo(win)).toEqual({ baseUrl: '', token: 'from-bridge-0123456789' })
  })
})

describe('QR code', () => {
  it('draws exactly the dark modules of the qrcode matrix, with a quiet zone', () => {
    const url = 'http://192.168.1.23:8000/'
    const { d, size } = qrPath(url)
    const qr = QRCode.create(url, { errorCorrectionLevel: 'M' })
    expect(size).toBe(qr.modules.size + 8)
    let dark = 0
    for (const m of d.matchAll(/M(\d+) (\d+)h(\d+)/g)) dark += Number(m[3])
    expect(dark).toBe(Array.from(qr.modules.data).filter(Boolean).length)
  })
})

describe('join address', () => {
  const a = (url: string, kind: JoinAddress['kind']): JoinAddress => ({ address: url, url, interface: 'en0', kind, is_default: false })
  const list = [a('http://10.0.0.5:8000/', 'lan'), a('http://172.17.0.1:8000/', 'virtual'), a('http://127.0.0.1:8000/', 'loopback')]

  it('shows the host\'s first LAN address unless the host chose another that is still offered', () => {
    expect(pickAddress(list, null)?.url).toBe('http://10.0.0.5:8000/')
    expect(pickAddress(list, 'http://172.17.0.1:8000/')?.url).toBe('http://172.17.0.1:8000/')
    expect(pickAddress(list, 'http://192.168.9.9:8000/')?.url).toBe('http://10.0.0.5:8000/')
    expect(pickAddress([list[2]!], null)?.kind).toBe('loopback')
    expect(pickAddress([], null)).toBeNull()
  })
})

describe('live chart', () => {
  const now = 1_000_000_000
  it('buckets new messages per minute and holds the last online count until now', () => {
    const start = now - CHART_WINDOW_MS
    const model = chartModel([
      { at: start + 1000, online: 2, messages: 10, answered: 0 },
      { at: start + 30_000, online: 5, messages: 13, answered: 0 },
      { at: now - 30_000, online: 4, messages: 20, answered: 0 }
    ], now)
    expect(model.messagesInWindow).toBe(10)
    expect(model.bars[0]?.count).toBe(3)
    expect(model.bars.at(-1)?.count).toBe(7)
    expect(model.line.split(' ')).toHaveLength(4)
    expect(model.maxOnline).toBe(5)
  })

  it('spans only the minutes since the console opened, at least one', () => {
    expect(chartModel([{ at: now - 150_000, online: 3, messages: 1, answered: 0 }], now).minutes).toBe(3)
    expect(chartModel([{ at: now - 5000, online: 3, messages: 1, answered: 0 }], now).minutes).toBe(1)
    expect(chartModel([{ at: now - 3 * CHART_WINDOW_MS, online: 3, messages: 1, answered: 0 }], now).minutes).toBe(10)
  })

  it('draws nothing odd for an empty history', () => {
    const model = chartModel([], now)
    expect(model.line).toBe('')
    expect(model.messagesInWindow).toBe(0)
  })
})

describe('Dify input form', () => {
  const form: FormField[] = [
    { variable: 'grade', label: 'Grade', type: 'select', required: true, options: ['7', '8'] },
    { variable: 'lang', label: 'Language', type: 'text-input', required: false, default: 'English' },
    { variable: 'strict', label: 'Strict', type: 'checkbox', required: true },
    { variable: 'topic', label: '', type: 'paragraph', required: true }
  ]

  it('starts from saved values, then the app\'s defaults', () => {
    expect(initialValues(form, { grade: '8' })).toEqual({ grade: '8', lang: 'English', strict: false })
  })

  it('names required fields that are still empty (a checkbox is never missing)', () => {
    expect(missingRequired(form, { lang: 'x', strict: false })).toEqual(['Grade', 'topic'])
    expect(missingRequired(form, { grade: '7', topic: ' ok ' })).toEqual([])
  })
})

describe('admin socket', () => {
  it('parses frames and ignores anything else', () => {
    expect(parseFrame('{"type":"pong"}')).toEqual({ type: 'pong' })
    expect(parseFrame('not json')).toBeNull()
    expect(parseFrame('{"no":"type"}')).toBeNull()
    expect(parseFrame(new ArrayBuffer(2))).toBeNull()
  })

  it('reconnects with a growing, capped, jittered delay: the participant page\'s one backoff', () => {
    expect(reconnectDelay(0, () => 0)).toBe(250)
    expect(reconnectDelay(0, () => 1)).toBe(500)
    expect(reconnectDelay(3, () => 1)).toBe(4000)
    expect(reconnectDelay(30, () => 1)).toBe(15_000)
    expect(reconnectDelay).toBe(backoffDelay)
  })

  it('builds the admin socket URL for this page', () => {
    expect(adminSocketUrl({ protocol: 'http:', host: '127.0.0.1:8000' }, 't o', 42)).toBe('ws://127.0.0.1:8000/api/admin/ws?token=t+o&since=42')
  })

  it('reads every audit entry as a sentence, naming who it was about, never raw details', () => {
    const say = adminEn.audit.say
    const line = (action: string, target: string | null, detail: Record<string, unknown> | null): string => auditSentence({ action, target, detail }, say)
    expect(line('participant.mute', '4', { username: 'Kim', minutes: 5 })).toBe('Muted Kim for 5 minutes')
    expect(line('participant.unmute', '4', { username: 'Kim', minutes: 0 })).toBe('Let Kim write again')
    expect(line('participant.kick', '4', { username: 'Kim' })).toBe('Removed Kim from the room')
    expect(line('participant.ban', '4', { username: 'Eve', address: '10.0.0.9', removed_count: 3 })).toBe('Banned Eve from their network address, and removed 2 other identities on it')
    expect(line('message.hide', '13', { role: 'user', from_user: 'Kim' })).toBe('Hid a message by Kim from participants')
    expect(line('message.hide', '14', { role: 'assistant', from_user: 'AI' })).toBe('Hid an AI answer from participants')
    expect(line('question.approve', '13', { from_user: 'Kim', edited: false })).toBe('Sent Kim’s question to the AI')
    expect(line('question.approve', '13', { from_user: 'Kim', edited: true })).toBe('Sent Kim’s question to the AI, edited')
    expect(line('room.update', null, { locked: true, slow_mode_s: 30 })).toBe('Locked the room to new joins; Set slow mode: one message every 30 s per person')
    expect(line('room.update', null, { locked: false })).toBe('Opened the room to new joins')
    expect(line('room.ai_mode', null, { ai_mode: 'approve' })).toBe('Set who asks the AI: questions you approve first')
    expect(line('settings.update', null, { changed: ['room_name', 'limits.chat_rate'] })).toBe('Saved the settings: room name, messages per participant')
    expect(line('retention.update', null, { days: 30, deleted_sessions: 2 })).toBe('Keep lessons for 30 days (2 older lessons deleted)')
    // An action this console does not know yet reads as its code.
    expect(line('poll.open', '1', null)).toBe('poll.open')
    for (const text of [line('question.approve', '13', { from_user: 'Kim', edited: false }), line('message.hide', '13', { role: 'user', from_user: 'Kim' })]) {
      expect(text).not.toMatch(/edited:|role:|\{|participant\./)
    }
    // Every action the English console words, the Chinese one words too.
    expect(Object.keys(adminZhCN.audit.say).sort()).toEqual(Object.keys(say).sort())
    expect(auditSentence({ action: 'participant.mute', target: '4', detail: { username: 'Kim', minutes: 5 } }, adminZhCN.audit.say)).toBe('将 Kim 禁言 5 分钟')
    expect(targetText('4', { username: 'Kim' })).toBe('Kim')
    expect(targetText('13', { asks_ai: true })).toBe('#13')
    expect(targetText(null, null)).toBe('')
  })

  it('has a sentence for every action the server writes to the audit log', () => {
    const actions = new Set<string>()
    const walk = (dir: string): void => {
      for (const entry of readdirSync(dir, { withFileTypes: true })) {
        const path = join(dir, entry.name)
        if (entry.isDirectory()) walk(path)
        else if (path.endsWith('.ts')) for (const m of readFileSync(path, 'utf8').matchAll(/audit\((?:[^'()]*\? )?'([a-z_.]+)'(?: : '([a-z_.]+)')?/g)) { actions.add(m[1]!); if (m[2] !== undefined) actions.add(m[2]) }
      }
    }
    walk(join(__dirname, '../../server'))
    expect(actions.size).toBeGreaterThan(20)
    expect([...actions].filter(a => adminEn.audit.say[a] === undefined)).toEqual([])
  })

  it('says in the ban toast how many other identities on the address went with it', () => {
    expect(adminEn.people.bannedToast('Eve', 0)).toBe('Eve is banned from this network address.')
    expect(adminEn.people.bannedToast('Eve', 1)).toBe('Eve is banned from this network address; 1 other identity on it was removed too.')
    expect(adminEn.people.bannedToast('Eve', 3)).toBe('Eve is banned from this network address; 3 other identities on it were removed too.')
    expect(adminZhCN.people.bannedToast('Eve', 0)).toBe('已封禁 Eve 使用的网络地址。')
    expect(adminZhCN.people.bannedToast('Eve', 2)).toContain('另外 2 个身份')
  })
})
