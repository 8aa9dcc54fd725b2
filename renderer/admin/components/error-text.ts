/** What to tell the host when a call failed. */
import { ApiError } from '../../shared/api.js'

/** The note text for a failed call (the server's message names what is allowed). */
export function errorText (err: unknown): string {
  if (err instanceof ApiError) return err.message
  return err instanceof Error ? err.message : String(err)
}
