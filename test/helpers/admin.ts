/**
 * The host console's side of a test host: admin API calls with the admin token, and the admin live
 * socket (`/api/admin/ws`), closed after the test.
 */
import type { TestHost } from './host.js'
import { TestClient } from './ws-client.js'

/** `api(method, path, body?)` as the console: the admin token on every call. */
export function admin (host: TestHost) {
  const token = host.config.adminToken
  return async (method: string, path: string, body?: unknown) => await host.api(method, path, { token, ...(body !== undefined ? { body } : {}) })
}

/** The admin live socket, open (resuming after `since` when given). */
export async function adminSocket (t: { after: (fn: () => void) => void }, host: TestHost, since?: number): Promise<TestClient> {
  const q = new URLSearchParams({ token: host.config.adminToken })
  if (since !== undefined) q.set('since', String(since))
  const client = new TestClient(`${host.url.replace('http', 'ws')}/api/admin/ws?${q.toString()}`)
  t.after(() => client.terminate())
  await client.opened()
  return client
}
