/** Types for payload-size.mjs (plain JavaScript so that `npm run dist` needs no TypeScript). */
export const PAYLOAD_BUDGET_BYTES: number
export interface Payload { resourcesDir: string, entries: Array<{ name: string, bytes: number }>, bytes: number }
export function sizeOf (path: string): number
export function measurePayload (resourcesDir: string): Payload
export function findResourcesDirs (releaseDir: string): string[]
export function describePayload (payload: Payload, relativeTo?: string): string
