/** Types for installer-names.mjs (plain JavaScript so that the release workflow needs no TypeScript). */
export function installerNames (version: string): { win: string[], mac: string[], linux: string[] }
