/**
 * The participant's HTTP calls (PROTOCOL.md "Participants", "History"), typed by the shared
 * protocol module. Every failure becomes an `ApiError` carrying the server's code and message.
 */
import type {
  FileUploadResponse, JoinBody, JoinResponse, MessagesResponse, RoomInfoResponse, UsersResponse
} from '../../server/protocol/index.js'

/** A failed call: `status` 0 means the host could not be reached at all. */
export class ApiError extends Error {
  override name = 'ApiError'
  readonly status: number
  readonly code: string
  /** Seconds to wait, from `Retry-After` on a 429. */
  readonly retryAfterS: number | null

  constructor (status: number, code: string, message: string, retryAfterS: number | null = null) {
    super(message)
    this.status = status
    this.code = code
    this.retryAfterS = retryAfterS
  }
}

export const ERR_NETWORK = 'ERR_NETWORK'

/** `GET /api/room`: what the join screen needs. */
export function getRoomInfo (signal?: AbortSignal): Promise<RoomInfoResponse> {
  return request<RoomInfoResponse>('/api/room', { signal })
}

/** `POST /api/users/join`. */
export function joinRoom (body: JoinBody): Promise<JoinResponse> {
  return request<JoinResponse>('/api/users/join', { method: 'POST', body })
}

/** `GET /api/users`: everyone who joined, with `online`. */
export function getUsers (token: string, signal?: AbortSignal): Promise<UsersResponse> {
  return request<UsersResponse>('/api/users', { token, signal })
}

/** `GET /api/messages`: the newest `limit` messages, or those after `since`. */
export function getMessages (token: string, query: { since?: number, limit?: number }, signal?: AbortSignal): Promise<MessagesResponse> {
  const params = new URLSearchParams()
  if (query.since !== undefined) params.set('since', String(query.since))
  if (query.limit !== undefined) params.set('limit', String(query.limit))
  return request<MessagesResponse>(`/api/messages?${params.toString()}`, { token, signal })
}

/**
 * `POST /api/files`: one photo as the multipart part `file`. XMLHttpRequest, not fetch: only it
 * reports upload progress (0–1 to `onProgress`).
 */
export function uploadPhoto (token: string, file: Blob, onProgress: (fraction: number) => void, signal?: AbortSignal): Promise<FileUploadResponse> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest()
    xhr.open('POST', '/api/files')
    xhr.setRequestHeader('authorization', `Bearer ${token}`)
    xhr.responseType = 'text'
    xhr.upload.onprogress = (e) => { if (e.lengthComputable && e.total > 0) onProgress(e.loaded / e.total) }
    xhr.onerror = () => reject(new ApiError(0, ERR_NETWORK, 'network error'))
    xhr.onabort = () => reject(new DOMException('aborted', 'AbortError'))
    xhr.onload = () => {
      let data: unknown = null
      try { data = JSON.parse(xhr.responseText) } catch { /* not JSON */ }
      if (xhr.status === 201) { resolve(data as FileUploadResponse); return }
      const error = readError(data)
      reject(new ApiError(xhr.status, error?.code ?? `ERR_HTTP_${xhr.status}`, error?.message ?? `HTTP ${xhr.status}`, parseRetryAfter(xhr.getResponseHeader('retry-after'))))
    }
    signal?.addEventListener('abort', () => xhr.abort(), { once: true })
    const form = new FormData()
    form.append('file', file, file instanceof File ? file.name : 'photo')
    xhr.send(form)
  })
}

export interface RequestOptions {
  method?: 'GET' | 'POST' | 'PUT' | 'DELETE'
  body?: unknown
  token?: string
  signal?: AbortSignal | undefined
}

/** One JSON request to the host; a refusal becomes an ApiError with the host's code and message. */
export async function request<T> (path: string, options: RequestOptions): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json' }
  if (options.token) headers.authorization = `Bearer ${options.token}`
  if (options.body !== undefined) headers['content-type'] = 'application/json'
  let response: Response
  try {
    response = await fetch(path, {
      method: options.method ?? 'GET',
      headers,
      body: options.body === undefined ? null : JSON.stringify(options.body),
      signal: options.signal ?? null,
      cache: 'no-store'
    })
  } catch (err) {
    if (options.signal?.aborted) throw err
    throw new ApiError(0, ERR_NETWORK, err instanceof Error ? err.message : String(err))
  }
  // `any` only where data enters; callers get the protocol type.
  const data: unknown = await response.json().catch(() => null)
  if (response.ok) return data as T
  const error = readError(data)
  throw new ApiError(
    response.status,
    error?.code ?? `ERR_HTTP_${response.status}`,
    error?.message ?? (response.statusText || `HTTP ${response.status}`),
    parseRetryAfter(response.headers.get('retry-after'))
  )
}

function readError (data: unknown): { code: string, message: string } | null {
  if (typeof data !== 'object' || data === null || !('error' in data)) return null
  const error = (data as { error: unknown }).error
  if (typeof error !== 'object' || error === null) return null
  const { code, message } = error as { code?: unknown, message?: unknown }
  if (typeof code !== 'string') return null
  return { code, message: typeof message === 'string' ? message : code }
}

/** `Retry-After` is seconds or an HTTP date. */
export function parseRetryAfter (value: string | null, now = Date.now()): number | null {
  if (!value) return null
  const seconds = Number(value)
  if (Number.isFinite(seconds)) return Math.max(0, Math.ceil(seconds))
  const date = Date.parse(value)
  return Number.isNaN(date) ? null : Math.max(0, Math.ceil((date - now) / 1000))
}
