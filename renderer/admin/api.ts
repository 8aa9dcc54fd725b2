/**
 * The console's HTTP calls to the admin API (PROTOCOL.md "Host console additions" and the host's
 * own additions). Every call carries the admin token; failures become the shared `ApiError`.
 */
import { request } from '../shared/api.js'
import type {
  AdminMessage, AdminParticipant, AdminStatus, AiFormResponse, AiTestResult, AuditEntry, Ban, BanResponse, NetworkInfo,
  SettingsResponse, SettingsUpdate, AiMode, PhotosMode
} from './types.js'
import type { AdminPoll, AdminPollsResponse, CreatePollBody, FeedbackResponse, PollGroupsResponse, QuizDraftBody, QuizDraftResponse, SignalsState } from '../../server/protocol/index.js'

export type Method = 'GET' | 'POST' | 'PUT' | 'DELETE'
export type ParticipantScope = 'session' | 'online' | 'all'

/** A bound client: every method of the console talks through one of these. */
export interface AdminApi {
  status: () => Promise<AdminStatus>
  network: () => Promise<NetworkInfo>
  participants: (scope?: ParticipantScope) => Promise<{ participants: AdminParticipant[] }>
  bans: () => Promise<{ bans: Ban[] }>
  mute: (userId: number, minutes: number) => Promise<unknown>
  kick: (userId: number) => Promise<unknown>
  /** `removed_count`: every identity on the banned address that was removed, the banned one included. */
  ban: (userId: number) => Promise<BanResponse>
  unban: (userId: number) => Promise<unknown>
  unbanAddress: (address: string) => Promise<unknown>
  messages: (query: { since?: number, limit?: number }) => Promise<{ messages: AdminMessage[] }>
  post: (content: string) => Promise<unknown>
  hide: (id: number) => Promise<unknown>
  unhide: (id: number) => Promise<unknown>
  stopReply: (id: number) => Promise<unknown>
  /** Saves the question and the host's answer as an annotation of the AI app (defaults: the asker's question, the answer as the room saw it). */
  teach: (replyId: number, body: { question?: string, answer?: string }) => Promise<{ annotation_id: string }>
  /** The host's rating of an answer, passed to the AI app's feedback (null takes it back). */
  rate: (replyId: number, rating: 'like' | 'dislike' | null) => Promise<{ rating: 'like' | 'dislike' | null }>
  setRoom: (body: { locked?: boolean, slow_mode_s?: number, announcement?: string, anonymous?: boolean, photos?: PhotosMode }) => Promise<unknown>
  setAiMode: (mode: AiMode) => Promise<unknown>
  newSession: () => Promise<unknown>
  resetConversation: () => Promise<unknown>
  settings: () => Promise<SettingsResponse>
  saveSettings: (update: SettingsUpdate) => Promise<SettingsResponse>
  testAi: (body?: { dify_api_url?: string, dify_api_key?: string }) => Promise<AiTestResult>
  aiForm: () => Promise<AiFormResponse>
  audit: (limit?: number) => Promise<{ entries: AuditEntry[] }>
  /** The lesson's rated answers, most "still confused" first. */
  feedback: () => Promise<FeedbackResponse>
  /** This lesson's polls with their counts and every answer. */
  polls: () => Promise<AdminPollsResponse>
  createPoll: (body: CreatePollBody) => Promise<{ poll_id: number }>
  showPollResults: (pollId: number, show: boolean) => Promise<AdminPoll>
  closePoll: (pollId: number) => Promise<AdminPoll>
  /** The AI drafts quiz questions from the lesson's last minutes (nothing is opened). */
  draftQuiz: (body: QuizDraftBody) => Promise<QuizDraftResponse>
  /** The room's AI explains a closed poll's result to the room; the reply's id. */
  explainPoll: (pollId: number) => Promise<{ message_id: number }>
  /** The AI sorts an open poll's answers into themes; `showPollGroups` puts them on the projector ([] takes them off). */
  groupPollAnswers: (pollId: number) => Promise<PollGroupsResponse>
  showPollGroups: (pollId: number, groups: PollGroupsResponse['groups']) => Promise<PollGroupsResponse>
  /** "I'm lost", "got it" (last two minutes) and the raised hands. */
  signals: () => Promise<SignalsState>
  lowerHand: (userId: number) => Promise<{ lowered: number }>
  clearHands: () => Promise<{ lowered: number }>
}

/** A client for the host at `baseUrl` ('' = this page's origin). */
export function createAdminApi (baseUrl: string, token: string): AdminApi {
  const call = <T>(method: Method, path: string, body?: unknown): Promise<T> => adminRequest<T>(baseUrl, token, method, path, body)
  const id = (n: number): string => encodeURIComponent(String(n))
  return {
    status: () => call('GET', '/api/admin/status'),
    network: () => call('GET', '/api/admin/network'),
    participants: (scope = 'session') => call('GET', `/api/admin/participants?scope=${scope}`),
    bans: () => call('GET', '/api/admin/bans'),
    mute: (userId, minutes) => call('POST', `/api/admin/participants/${id(userId)}/mute`, { minutes }),
    kick: (userId) => call('POST', `/api/admin/participants/${id(userId)}/kick`, {}),
    ban: (userId) => call('POST', `/api/admin/participants/${id(userId)}/ban`, {}),
    unban: (userId) => call('POST', `/api/admin/participants/${id(userId)}/unban`, {}),
    unbanAddress: (address) => call('DELETE', `/api/admin/bans/${encodeURIComponent(address)}`),
    messages: (query) => {
      const params = new URLSearchParams()
      if (query.since !== undefined) params.set('since', String(query.since))
      if (query.limit !== undefined) params.set('limit', String(query.limit))
      return call('GET', `/api/admin/messages?${params.toString()}`)
    },
    post: (content) => call('POST', '/api/admin/messages', { content }),
    hide: (messageId) => call('POST', `/api/admin/messages/${id(messageId)}/hide`, {}),
    unhide: (messageId) => call('POST', `/api/admin/messages/${id(messageId)}/unhide`, {}),
    stopReply: (replyId) => call('POST', `/api/admin/replies/${id(replyId)}/stop`, {}),
    teach: (replyId, body) => call('POST', `/api/admin/replies/${id(replyId)}/teach`, body),
    rate: (replyId, rating) => call('PUT', `/api/admin/replies/${id(replyId)}/rating`, { rating }),
    setRoom: (body) => call('PUT', '/api/admin/room', body),
    setAiMode: (mode) => call('PUT', '/api/admin/ai-mode', { ai_mode: mode }),
    newSession: () => call('POST', '/api/admin/sessions', {}),
    resetConversation: () => call('POST', '/api/admin/conversation/reset', {}),
    settings: () => call('GET', '/api/admin/settings'),
    saveSettings: (update) => call('PUT', '/api/admin/settings', update),
    testAi: (body) => call('POST', '/api/admin/ai/test', body ?? {}),
    aiForm: () => call('GET', '/api/admin/ai/form'),
    audit: (limit = 200) => call('GET', `/api/admin/audit?limit=${limit}`),
    feedback: () => call('GET', '/api/admin/feedback'),
    polls: () => call('GET', '/api/admin/polls'),
    createPoll: (body) => call('POST', '/api/admin/polls', body),
    showPollResults: (pollId, show) => call('PUT', `/api/admin/polls/${id(pollId)}`, { show_results: show }),
    closePoll: (pollId) => call('POST', `/api/admin/polls/${id(pollId)}/close`, {}),
    draftQuiz: (body) => call('POST', '/api/admin/polls/draft', body),
    explainPoll: (pollId) => call('POST', `/api/admin/polls/${id(pollId)}/explain`, {}),
    groupPollAnswers: (pollId) => call('POST', `/api/admin/polls/${id(pollId)}/group`, {}),
    showPollGroups: (pollId, groups) => call('POST', `/api/admin/polls/${id(pollId)}/groups/show`, { groups }),
    signals: () => call('GET', '/api/admin/signals'),
    lowerHand: (userId) => call('DELETE', `/api/admin/signals/hands/${id(userId)}`),
    clearHands: () => call('DELETE', '/api/admin/signals/hands')
  }
}

export async function adminRequest<T> (baseUrl: string, token: string, method: Method, path: string, body?: unknown): Promise<T> {
  return await request<T>(baseUrl + path, { method, token, ...(body !== undefined ? { body } : {}) })
}
