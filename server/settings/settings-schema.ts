/**
 * The live settings as TypeBox schemas: what each setting may be, once. The host's patch is checked
 * against them after trimming; a refusal names the setting and what is allowed. The record kept in
 * SQLite (one JSON row, `settings_live`) is made of the same fields and checked by them when read.
 * What a schema cannot say (an address that parses as a URL, inputs that fit the AI app's form) is
 * checked by live-settings.ts.
 */
import { Type, type Static } from 'typebox'
import { Compile } from 'typebox/compile'
import { Value } from 'typebox/value'
import { AiMode, AiModeSchema, ANSWER_LIMIT, DifyInputValue, FormFieldType, LimitsSetting, MAX_AI_CONCURRENCY, type SettingsUpdate } from '../protocol/index.js'
import { Errors } from '../errors.js'

/** A DNS name, optionally `*.`-prefixed, lowercase, no port or scheme. */
const HOST_NAME = '^(?=.{1,253}$)(\\*\\.)?[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*$'

/** Each setting the host may change, as it is after trimming. */
export const SettingFields = {
  room_name: Type.String({ minLength: 1, maxLength: 64 }),
  ai_mode: AiModeSchema,
  dify_api_url: Type.Union([Type.String({ minLength: 1 }), Type.Null()]),
  /** "" clears the key */
  dify_api_key: Type.Union([Type.Literal(''), Type.String({ minLength: 8, pattern: '^\\S+$' })]),
  dify_inputs: Type.Record(Type.String({ maxLength: 128 }), DifyInputValue),
  ai_concurrency: Type.Integer({ minimum: 1, maximum: MAX_AI_CONCURRENCY }),
  ai_max_answer_chars: Type.Integer({ minimum: ANSWER_LIMIT.min, maximum: ANSWER_LIMIT.max }),
  review_answers: Type.Boolean(),
  allowed_hosts: Type.Array(Type.String({ pattern: HOST_NAME }), { maxItems: 50 }),
  limits: Type.Partial(LimitsSetting),
  /** the join PIN; null: none */
  pin: Type.Union([Type.String({ pattern: '^[0-9]{4,8}$' }), Type.Null()])
}

/** The host's patch, trimmed: every setting optional, nothing else allowed. */
export const SettingsPatch = Type.Partial(Type.Object(SettingFields), { additionalProperties: false })
export type SettingsPatch = Static<typeof SettingsPatch>

const checkPatch = Compile(SettingsPatch)

/** The AI app's input form as last read (ports.ts AppFormField). */
const StoredFormField = Type.Object({
  variable: Type.String(),
  label: Type.String(),
  type: FormFieldType,
  required: Type.Boolean(),
  options: Type.Optional(Type.Array(Type.String())),
  default: Type.Optional(Type.Union([DifyInputValue, Type.Null()])),
  maxLength: Type.Optional(Type.Union([Type.Integer(), Type.Null()]))
})

/**
 * What the host changed, as kept in SQLite: a setting that is absent is the launch value. Written
 * whole on every change (one row, one write); read back at start, field by field.
 */
export const StoredSettings = Type.Object({
  room_name: Type.Optional(SettingFields.room_name),
  dify_api_url: Type.Optional(Type.String({ minLength: 1 })),
  /** sealed by the SecretBox port (plain text in a headless host) */
  dify_api_key: Type.Optional(Type.String({ minLength: 1 })),
  /** the key was sealed by an encrypting box */
  dify_api_key_sealed: Type.Optional(Type.Boolean()),
  dify_inputs: Type.Optional(SettingFields.dify_inputs),
  dify_form: Type.Optional(Type.Array(StoredFormField)),
  ai_concurrency: Type.Optional(SettingFields.ai_concurrency),
  ai_max_answer_chars: Type.Optional(SettingFields.ai_max_answer_chars),
  review_answers: Type.Optional(SettingFields.review_answers),
  allowed_hosts: Type.Optional(SettingFields.allowed_hosts),
  limits: Type.Optional(SettingFields.limits),
  /** null: the host removed the PIN given at launch (absent: the launch PIN applies) */
  pin: Type.Optional(SettingFields.pin)
}, { additionalProperties: false })
export type StoredSettings = Static<typeof StoredSettings>

/** The settings row of the `settings` table. */
export const STORED_SETTINGS_KEY = 'settings_live'

/**
 * Reads the stored record: a field that does not fit its schema is reported and left out (the
 * launch value applies), so a damaged row never stops the host from starting.
 */
export function readStoredSettings (text: string | null, warn: (problem: string) => void): StoredSettings {
  if (text === null) return {}
  let parsed: unknown
  try { parsed = JSON.parse(text) } catch { warn('the stored settings are not JSON'); return {} }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) { warn('the stored settings are not an object'); return {} }
  const fields = StoredSettings.properties as Record<string, (typeof StoredSettings.properties)[keyof StoredSettings]>
  const out: Record<string, unknown> = {}
  for (const [name, value] of Object.entries(parsed)) {
    const schema = fields[name]
    if (schema === undefined) { warn(`unknown stored setting ${name}`); continue }
    if (!Value.Check(schema, value)) { warn(`the stored ${name} is not valid: ${[...Value.Errors(schema, value)][0]?.message ?? 'invalid'}`); continue }
    out[name] = value
  }
  return out as StoredSettings
}

/** The refusal for a setting, in words that say what is allowed (given the value as the host sent it). */
const MESSAGES: Partial<Record<string, (raw: unknown) => string | null>> = {
  room_name: () => 'room_name must be 1 to 64 characters long.',
  ai_mode: (raw) => `ai_mode must be one of ${Object.values(AiMode).join(', ')}; got "${String(raw)}".`,
  dify_api_key: () => 'dify_api_key looks wrong: paste the whole app key (it starts with "app-").',
  ai_concurrency: (raw) => `ai_concurrency must be between 1 and ${MAX_AI_CONCURRENCY}; got ${String(raw)}.`,
  ai_max_answer_chars: (raw) => `ai_max_answer_chars must be between ${ANSWER_LIMIT.min} and ${ANSWER_LIMIT.max} characters; got ${String(raw)}.`,
  pin: () => 'pin must be 4 to 8 digits; leave it empty to let anyone on the network join.',
  allowed_hosts: (raw) => typeof raw !== 'string'
    ? null
    : `"${raw}" is not a host name: use letters, digits, dots and dashes, e.g. classroom.example.org (no port, no http://).`
}

/**
 * Trims the host's patch (names NFC, host names lowercase, an empty address or PIN is "none") and
 * checks it against the schema. Throws ERR_SETTING_INVALID naming the first setting that is wrong.
 */
export function parsePatch (patch: SettingsUpdate): SettingsPatch {
  const next: Record<string, unknown> = { ...patch }
  if (typeof patch.room_name === 'string') next.room_name = patch.room_name.normalize('NFC').trim()
  if (patch.dify_api_url !== undefined) {
    const url = patch.dify_api_url?.trim().replace(/\/+$/, '') ?? ''
    next.dify_api_url = url === '' ? null : url
  }
  if (typeof patch.dify_api_key === 'string') next.dify_api_key = patch.dify_api_key.trim()
  if (patch.pin !== undefined) {
    const pin = typeof patch.pin === 'string' ? patch.pin.trim() : ''
    next.pin = pin === '' ? null : pin
  }
  if (Array.isArray(patch.allowed_hosts)) next.allowed_hosts = patch.allowed_hosts.map(h => typeof h === 'string' ? h.trim().toLowerCase().replace(/\.$/, '') : h)
  if (checkPatch.Check(next)) return next
  const first = [...checkPatch.Errors(next)][0]
  const path = (first?.instancePath ?? '').split('/').slice(1)
  const name = path[0] ?? ''
  const message = MESSAGES[name]?.(valueAt(patch, path)) ?? null
  if (message !== null) throw Errors.settingInvalid(message)
  const where = path.length === 0 ? '' : `${path.join('.')} `
  const additional = first?.keyword === 'additionalProperties' ? ` (${(first.params as { additionalProperties: string[] }).additionalProperties.join(', ')})` : ''
  throw Errors.settingInvalid(`${where}${first?.message ?? 'is invalid'}${additional}`.trim())
}

function valueAt (value: unknown, path: readonly string[]): unknown {
  let at = value
  for (const key of path) at = typeof at === 'object' && at !== null ? (at as Record<string, unknown>)[key] : undefined
  return at
}
