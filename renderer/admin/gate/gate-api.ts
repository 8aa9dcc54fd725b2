/**
 * The console's and the projector's calls for the teacher's gate, the projector control and the
 * lesson record (server/protocol/gate.ts). Same transport and errors as the rest of the console.
 */
import { adminRequest } from '../api.js'
import type { MessageFile, ProjectorState, ProjectorView, QuestionResponse, QuestionsResponse, RetentionResponse, SummaryResponse } from '../../../server/protocol/index.js'

export interface WordFilterState { enabled: boolean, action: 'hold' | 'refuse', words: string[], starter_lists: string[] }
export interface HeldItem { id: number, user_id: number, username: string, content: string, asks_ai: boolean, matched: string, at: number, files?: MessageFile[] }

export interface HeldAnswer { id: number, reply_to: number, question: string, from_user: string, content: string }

export interface GateApi {
  wordFilter: () => Promise<WordFilterState>
  setWordFilter: (patch: { enabled?: boolean, action?: 'hold' | 'refuse', words?: string[] }) => Promise<WordFilterState>
  starterList: (lang: string) => Promise<{ words: string[] }>
  held: () => Promise<{ held: HeldItem[] }>
  release: (id: number) => Promise<{ message_id: number }>
  discard: (id: number) => Promise<{ ok: boolean }>
  erase: (userId: number) => Promise<{ user_id: number, messages_erased: number }>
  heldAnswers: () => Promise<{ answers: HeldAnswer[] }>
  releaseAnswer: (replyId: number, content?: string) => Promise<{ ok: boolean }>
  discardAnswer: (replyId: number, note?: string) => Promise<{ ok: boolean }>
  questions: () => Promise<QuestionsResponse>
  approve: (messageId: number, content?: string) => Promise<QuestionResponse>
  reject: (messageId: number, reason?: string) => Promise<QuestionResponse>
  merge: (messageId: number, into: number) => Promise<QuestionResponse>
  projector: () => Promise<ProjectorState>
  setProjector: (view: ProjectorView, switches?: { hide_names?: boolean, read_aloud?: boolean }) => Promise<ProjectorState>
  summary: () => Promise<SummaryResponse>
  summarise: () => Promise<SummaryResponse>
  retention: () => Promise<RetentionResponse>
  setRetention: (days: number | null) => Promise<RetentionResponse>
  /** The URL of an export download (the token goes in a header, so the console fetches it). */
  download: (format: 'json' | 'md' | 'csv', session: 'current' | 'all') => Promise<{ blob: Blob, name: string }>
}

export function createGateApi (baseUrl: string, token: string): GateApi {
  const id = (n: number): string => encodeURIComponent(String(n))
  return {
    wordFilter: () => adminRequest(baseUrl, token, 'GET', '/api/admin/word-filter'),
    setWordFilter: (patch) => adminRequest(baseUrl, token, 'PUT', '/api/admin/word-filter', patch),
    starterList: (lang) => adminRequest(baseUrl, token, 'GET', `/api/admin/word-filter/starter/${encodeURIComponent(lang)}`),
    held: () => adminRequest(baseUrl, token, 'GET', '/api/admin/held'),
    release: (heldId) => adminRequest(baseUrl, token, 'POST', `/api/admin/held/${id(heldId)}/release`, {}),
    discard: (heldId) => adminRequest(baseUrl, token, 'POST', `/api/admin/held/${id(heldId)}/discard`, {}),
    erase: (userId) => adminRequest(baseUrl, token, 'POST', `/api/admin/participants/${id(userId)}/erase`, {}),
    heldAnswers: () => adminRequest(baseUrl, token, 'GET', '/api/admin/replies/held'),
    releaseAnswer: (replyId, content) => adminRequest(baseUrl, token, 'POST', `/api/admin/replies/${id(replyId)}/release`, content === undefined ? {} : { content }),
    discardAnswer: (replyId, note) => adminRequest(baseUrl, token, 'POST', `/api/admin/replies/${id(replyId)}/discard`, note === undefined || note === '' ? {} : { note }),
    questions: () => adminRequest(baseUrl, token, 'GET', '/api/admin/questions'),
    approve: (messageId, content) => adminRequest(baseUrl, token, 'POST', `/api/admin/questions/${id(messageId)}/approve`, content === undefined ? {} : { content }),
    reject: (messageId, reason) => adminRequest(baseUrl, token, 'POST', `/api/admin/questions/${id(messageId)}/reject`, reason === undefined || reason === '' ? {} : { reason }),
    merge: (messageId, into) => adminRequest(baseUrl, token, 'POST', `/api/admin/questions/${id(messageId)}/merge`, { into }),
    projector: () => adminRequest(baseUrl, token, 'GET', '/api/admin/projector'),
    setProjector: (view, switches = {}) => adminRequest(baseUrl, token, 'POST', '/api/admin/projector', { view, ...switches }),
    summary: () => adminRequest(baseUrl, token, 'GET', '/api/admin/summary'),
    summarise: () => adminRequest(baseUrl, token, 'POST', '/api/admin/summary', {}),
    retention: () => adminRequest(baseUrl, token, 'GET', '/api/admin/retention'),
    setRetention: (days) => adminRequest(baseUrl, token, 'PUT', '/api/admin/retention', { days }),
    async download (format, session) {
      const response = await fetch(`${baseUrl}/api/admin/export?format=${format}&session=${session}`, { headers: { authorization: `Bearer ${token}` }, cache: 'no-store' })
      if (!response.ok) throw new Error(`Export failed (HTTP ${response.status})`)
      const disposition = response.headers.get('content-disposition') ?? ''
      const utf8 = /filename\*=UTF-8''([^;]+)/.exec(disposition)?.[1]
      const name = utf8 !== undefined ? decodeURIComponent(utf8) : `lesson.${format}`
      return { blob: await response.blob(), name }
    }
  }
}
