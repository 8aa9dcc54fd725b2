/**
 * Settings the host changes while the room runs: room name, AI mode, the Dify address and key, the
 * app's input values, AI concurrency, the answer limit, answer review, extra host names, the
 * fair-use limits and the join PIN. A patch is checked by settings-schema.ts; what the host changed
 * is one record in SQLite, written whole. A value given at launch (flag or environment variable)
 * wins and cannot be changed here; the answer names the flag. The launch config is never changed:
 * the live values are kept here and read through this service. Changes apply at once: the AI
 * gateway is rebuilt for a new address or key, limits are read live, and `room_update` /
 * `admin_settings` tell the clients. The key is sealed by the SecretBox port and never leaves the
 * host in full (last 4 characters).
 */
import type { Config, Rate } from '../config.js'
import type { LiveRates } from '../limits/index.js'
import { LIMIT_DEFAULTS } from '../config.js'
import type { AiGateway, AppFormField, ChatStore, Ports, SecretBox } from '../ports.js'
import {
  LIMIT_NAMES,
  type AiFormResponse, type AiTestResponse, type DifyInputValue, type FormField, type RateSetting,
  type Settings, type SettingsResponse, type SettingsUpdate
} from '../protocol/index.js'
import { AppError, ErrorCode, Errors, toAppError } from '../errors.js'
import type { Room } from '../room/room.js'
import type { AiOrchestrator } from '../room/ai/ai-orchestrator.js'
import type { Hub } from '../room/engine/hub.js'
import type { ConsoleFeed } from '../room/console-feed.js'
import { roomUpdateFrame } from '../room/frames.js'
import { parsePatch, readStoredSettings, STORED_SETTINGS_KEY, type StoredSettings } from './settings-schema.js'

export interface LiveSettings {
  /** Opens the sealed key and rebuilds the gateway when the stored settings differ from the launch ones. */
  init (): Promise<void>
  answer (): SettingsResponse
  update (patch: SettingsUpdate): Promise<SettingsResponse>
  /** Names the host answers to beyond its own. */
  allowedHosts (): string[]
  /** The rates in force now (the limits read them at each check). */
  rates (): LiveRates
  /** The answer limit in characters, read as each answer starts. */
  maxAnswerChars (): number
  /** The join PIN now (null: none); joining checks it. */
  pin (): string | null
  /** The values sent as Dify `inputs` with every question (the host's values over the form's defaults). */
  inputs (): Record<string, DifyInputValue>
  reviewAnswers (): boolean
  /** Asks the Dify app for its info and parameters (the saved address and key, or the ones given). */
  testAi (body: { dify_api_url?: string, dify_api_key?: string }): Promise<AiTestResponse>
  /** The app's input form as last read (read now when none is cached), with the host's values. */
  form (): Promise<AiFormResponse>
}

const LIMIT_CONFIG = { chat_rate: 'chatRate', ai_rate: 'aiRate', room_ai_rate: 'roomAiRate', join_rate: 'joinRate' } as const
const CHAT_MODES = new Set(['chat', 'agent-chat', 'advanced-chat'])
const TEST_TIMEOUT_MS = 15_000

/** A box that stores the key as it is (headless): the settings answer says `is_encrypted: false`. */
export const plainSecretBox: SecretBox = {
  isEncryptionAvailable: false,
  seal: async (plain) => plain,
  open: async (sealed) => sealed
}

/**
 * Creates the settings service. `config` is the launch configuration and is never changed: the live
 * values (concurrency, answer limit, rates, host names) are kept here and read through this service.
 */
export function createLiveSettings (o: {
  config: Config
  store: ChatStore
  ports: Ports
  room: Room
  ai: AiOrchestrator
  hub: Hub
  feed: ConsoleFeed
  logger: { warn (obj: object, msg: string): void, info (obj: object, msg: string): void }
}): LiveSettings {
  const { config, store, ports } = o
  const locked: Record<string, string> = { ...config.lockedSettings }
  const box = ports.secrets ?? plainSecretBox
  const launch = { url: config.difyApiUrl, key: config.difyApiKey }
  // What the host changed (a setting absent from it is the launch value): one record, written whole.
  let record: StoredSettings = readStoredSettings(store.getSetting(STORED_SETTINGS_KEY), problem => o.logger.warn({ problem }, 'ignored a stored setting; the launch value applies'))
  let apiKey: string | null = launch.key
  let isKeySealed = false
  let inputs: Record<string, DifyInputValue> = record.dify_inputs ?? {}
  let form: AppFormField[] | null = record.dify_form ?? null
  let review = record.review_answers ?? false
  let hosts: string[] = record.allowed_hosts ?? []
  // the gateway in use was built for this target (null: none)
  // (a gateway handed in without a launch address, as tests do, counts as "external" until changed)
  let builtFor = !o.ai.isAvailable ? null : targetId(launch.url, launch.key) ?? 'external'

  const isLocked = (name: string): boolean => locked[name] !== undefined
  const url = (): string | null => isLocked('dify_api_url') ? launch.url : (record.dify_api_url ?? launch.url)
  const pin = (): string | null => isLocked('pin') || record.pin === undefined ? config.pin : record.pin
  /** Writes the whole record in one write; the new one holds only once it is saved. */
  const save = (next: StoredSettings): void => {
    store.setSetting(STORED_SETTINGS_KEY, JSON.stringify(next))
    record = next
  }

  // Stored values apply unless a launch value locks them; a mode given at launch is where the room starts.
  let concurrency = record.ai_concurrency !== undefined && !isLocked('ai_concurrency') ? record.ai_concurrency : config.aiConcurrency
  let maxAnswerChars = record.ai_max_answer_chars !== undefined && !isLocked('ai_max_answer_chars') ? record.ai_max_answer_chars : config.aiMaxAnswerChars
  const rates: LiveRates = { chatRate: config.chatRate, aiRate: config.aiRate, roomAiRate: config.roomAiRate, joinRate: config.joinRate }
  for (const name of LIMIT_NAMES) {
    const r = record.limits?.[name]
    if (r !== undefined && !isLocked(`limits.${name}`)) rates[LIMIT_CONFIG[name]] = toRate(r)
  }
  if (config.aiModeAtLaunch === true && o.room.aiMode() !== config.aiMode) o.room.setAiMode(config.aiMode)
  if (record.room_name !== undefined && !isLocked('room_name')) o.room.info().name = record.room_name
  if (concurrency !== config.aiConcurrency) o.ai.setConcurrency(concurrency)

  function settings (): Settings {
    return {
      room_name: o.room.info().name,
      ai_mode: o.room.aiMode(),
      dify_api_url: url(),
      dify_api_key: { is_set: apiKey !== null, last4: apiKey === null ? null : apiKey.slice(-4), is_encrypted: isKeySealed && box.isEncryptionAvailable },
      dify_inputs: { ...inputs },
      ai_concurrency: concurrency,
      ai_max_answer_chars: maxAnswerChars,
      review_answers: review,
      allowed_hosts: [...(config.allowedHosts ?? []), ...hosts],
      pin: pin(),
      limits: {
        chat_rate: fromRate(rates.chatRate),
        ai_rate: fromRate(rates.aiRate),
        room_ai_rate: fromRate(rates.roomAiRate),
        join_rate: fromRate(rates.joinRate)
      }
    }
  }

  function answer (): SettingsResponse {
    return {
      settings: settings(),
      locked: { ...locked },
      defaults: {
        chat_rate: fromRate(LIMIT_DEFAULTS.chatRate),
        ai_rate: fromRate(LIMIT_DEFAULTS.aiRate),
        room_ai_rate: fromRate(LIMIT_DEFAULTS.roomAiRate),
        join_rate: fromRate(LIMIT_DEFAULTS.joinRate)
      }
    }
  }

  /** Builds the gateway for the current address and key when they changed; the old one closes after its streams. */
  function rebuildGateway (): void {
    const target = url() !== null && apiKey !== null ? { url: url()!, apiKey } : null
    const id = targetId(url(), apiKey)
    if (id === builtFor) return
    if (target !== null && ports.createAi === undefined) {
      throw Errors.aiNotSwappable()
    }
    const previous = o.ai.gateway()
    const next = target === null ? null : ports.createAi!(target)
    builtFor = id
    o.ai.setGateway(next)
    // A conversation belongs to one app: the next question starts a new one.
    o.ai.resetConversation()
    form = null
    const { dify_form: _form, ...rest } = record
    save(rest)
    o.hub.broadcast(roomUpdateFrame({ mode: o.room.aiMode(), isAvailable: o.ai.isAvailable }))
    previous?.close().catch((err: unknown) => o.logger.warn({ err: (err as Error).message }, 'could not close the previous AI gateway'))
  }

  function checkUrl (raw: string): string {
    const value = raw.trim().replace(/\/+$/, '')
    let parsed: URL
    try { parsed = new URL(value) } catch { throw Errors.settingInvalid(`dify_api_url must be an http(s) URL such as https://api.dify.ai/v1, got "${raw}".`) }
    if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') throw Errors.settingInvalid(`dify_api_url must start with http:// or https://, got "${raw}".`)
    return value
  }

  function checkInputs (values: Record<string, DifyInputValue>): Record<string, DifyInputValue> {
    if (form === null) return values
    const out: Record<string, DifyInputValue> = {}
    for (const [variable, value] of Object.entries(values)) {
      const field = form.find(f => f.variable === variable)
      if (field === undefined) {
        throw Errors.settingInvalid(`The AI app has no input "${variable}"; it has: ${form.map(f => f.variable).join(', ') || 'none'}.`)
      }
      out[variable] = checkInput(field, value)
    }
    return out
  }

  async function describe (target: { url: string, apiKey: string } | null): Promise<AiTestResponse> {
    let gateway: AiGateway | null
    let isTemporary = false
    if (target === null) gateway = o.ai.gateway()
    else {
      if (ports.createAi === undefined) return { ok: false, error: { code: ErrorCode.aiNotConfigured, message: 'This host cannot test another AI service while it runs.' } }
      gateway = ports.createAi(target)
      isTemporary = true
    }
    if (gateway === null) return { ok: false, error: { code: ErrorCode.aiNotConfigured, message: 'No AI service is set: enter the Dify API address (ending in /v1) and the app key.' } }
    if (gateway.describeApp === undefined) return { ok: false, error: { code: ErrorCode.aiNotConfigured, message: 'This AI service cannot describe its app.' } }
    try {
      const app = await gateway.describeApp(AbortSignal.timeout(TEST_TIMEOUT_MS))
      if (app.mode !== null && !CHAT_MODES.has(app.mode)) {
        return { ok: false, error: { code: ErrorCode.aiNotChat, message: `This Dify app is a "${app.mode}" app; MindWeb needs a chat app (chatbot, agent or chatflow).` } }
      }
      const fields = app.form.map(toFormField)
      if (target === null) { form = app.form; save({ ...record, dify_form: app.form }) }
      return {
        ok: true,
        app: {
          name: app.name,
          description: app.description,
          mode: app.mode,
          opening_statement: app.openingStatement,
          suggested_questions: app.suggestedQuestions,
          features: { vision: app.features.vision, text_to_speech: app.features.textToSpeech, follow_ups: app.features.followUps, annotation_reply: app.features.annotationReply }
        },
        form: fields,
        missing_inputs: app.form.filter(f => f.required && isEmpty(inputs[f.variable]) && isEmpty(f.default ?? undefined)).map(f => f.variable)
      }
    } catch (err) {
      const e = toAppError(err)
      return { ok: false, error: { code: e.code, message: explain(e) } }
    } finally {
      if (isTemporary) gateway.close().catch(() => {})
    }
  }

  return {
    async init () {
      if (!isLocked('dify_api_key')) {
        const sealed = record.dify_api_key
        if (sealed !== undefined) {
          try {
            apiKey = await box.open(sealed)
            isKeySealed = record.dify_api_key_sealed === true
          } catch (err) {
            o.logger.warn({ err: (err as Error).message }, 'could not open the stored AI key; enter it again in the console')
          }
        }
      }
      // Only a stored address or key can differ from what the gateway was built for at launch
      // (or an address and key given with no gateway built for them).
      const isStored = record.dify_api_url !== undefined || record.dify_api_key !== undefined
      if (!isStored && !(!o.ai.isAvailable && targetId(url(), apiKey) !== null)) return
      try { rebuildGateway() } catch (err) { o.logger.warn({ err: (err as Error).message }, 'could not set up the stored AI service') }
    },
    answer,
    async update (patch) {
      const changed: string[] = []
      const refuse = (name: string): void => {
        const flag = locked[name]
        if (flag !== undefined) throw Errors.settingLocked(name, flag)
      }
      // Check everything first: a refused change changes nothing.
      if (patch.room_name !== undefined) refuse('room_name')
      if (patch.dify_api_url !== undefined) refuse('dify_api_url')
      if (patch.dify_api_key !== undefined) refuse('dify_api_key')
      if (patch.ai_concurrency !== undefined) refuse('ai_concurrency')
      if (patch.ai_max_answer_chars !== undefined) refuse('ai_max_answer_chars')
      for (const name of LIMIT_NAMES) if (patch.limits?.[name] !== undefined) refuse(`limits.${name}`)
      if (patch.pin !== undefined) refuse('pin')
      // The schema says what each setting may be; the address and the app's inputs are checked by hand.
      const checked = parsePatch(patch)
      const roomName = checked.room_name
      const newUrl = checked.dify_api_url === undefined || checked.dify_api_url === null ? checked.dify_api_url : checkUrl(checked.dify_api_url)
      const newHosts = checked.allowed_hosts
      const newInputs = checked.dify_inputs === undefined ? undefined : checkInputs(checked.dify_inputs)
      const key = checked.dify_api_key

      // Then apply: the whole record in one write, then what the changes do.
      const next: StoredSettings = { ...record }
      if (roomName !== undefined && roomName !== o.room.info().name) { next.room_name = roomName; changed.push('room_name') }
      const newMode = checked.ai_mode !== undefined && checked.ai_mode !== o.room.aiMode() ? checked.ai_mode : undefined
      if (newMode !== undefined) changed.push('ai_mode')
      const newConcurrency = checked.ai_concurrency !== undefined && checked.ai_concurrency !== concurrency ? checked.ai_concurrency : undefined
      if (newConcurrency !== undefined) { next.ai_concurrency = newConcurrency; changed.push('ai_concurrency') }
      if (checked.ai_max_answer_chars !== undefined && checked.ai_max_answer_chars !== maxAnswerChars) { next.ai_max_answer_chars = checked.ai_max_answer_chars; changed.push('ai_max_answer_chars') }
      if (checked.review_answers !== undefined && checked.review_answers !== review) { next.review_answers = checked.review_answers; changed.push('review_answers') }
      if (newHosts !== undefined) { next.allowed_hosts = [...new Set(newHosts)]; changed.push('allowed_hosts') }
      if (newInputs !== undefined) { next.dify_inputs = newInputs; changed.push('dify_inputs') }
      if (checked.limits !== undefined) {
        const limits = { ...next.limits }
        for (const name of LIMIT_NAMES) {
          const r = checked.limits[name]
          if (r === undefined) continue
          limits[name] = r
          changed.push(`limits.${name}`)
        }
        next.limits = limits
      }
      const wasPinRequired = pin() !== null
      if (checked.pin !== undefined && checked.pin !== pin()) { next.pin = checked.pin; changed.push('pin') }
      let isTargetChanged = false
      if (newUrl !== undefined && newUrl !== url()) {
        if (newUrl === null) delete next.dify_api_url
        else next.dify_api_url = newUrl
        isTargetChanged = true
        changed.push('dify_api_url')
      }
      if (key !== undefined) {
        delete next.dify_api_key
        delete next.dify_api_key_sealed
        if (key !== '') { next.dify_api_key = await box.seal(key); next.dify_api_key_sealed = box.isEncryptionAvailable }
        isTargetChanged = true
        changed.push('dify_api_key')
      }
      if (changed.length > 0) save(next)
      // What the saved record means for the room, at once.
      if (roomName !== undefined && changed.includes('room_name')) o.room.rename(roomName)
      if (newMode !== undefined) o.room.setAiMode(newMode)
      if (newConcurrency !== undefined) { concurrency = newConcurrency; o.ai.setConcurrency(concurrency) }
      // Answers from the next one on: one streaming now keeps the limit it started with.
      maxAnswerChars = checked.ai_max_answer_chars ?? maxAnswerChars
      review = record.review_answers ?? false
      hosts = record.allowed_hosts ?? []
      inputs = record.dify_inputs ?? {}
      for (const name of LIMIT_NAMES) if (checked.limits?.[name] !== undefined) rates[LIMIT_CONFIG[name]] = toRate(checked.limits[name])
      if (key !== undefined) { apiKey = key === '' ? null : key; isKeySealed = key !== '' && box.isEncryptionAvailable }
      // Joining checks the PIN from now on; pages about to join are told whether to ask for one.
      if ((pin() !== null) !== wasPinRequired) o.hub.broadcast(roomUpdateFrame({ mode: o.room.aiMode(), isAvailable: o.ai.isAvailable }, { pin_required: pin() !== null }))
      if (isTargetChanged) rebuildGateway()
      const result = answer()
      if (changed.length > 0) {
        // The key is named, never shown (its last 4 characters are in the answer).
        o.feed.audit('settings.update', null, { changed })
        o.hub.broadcastAdmin({ type: 'admin_settings', settings: result.settings, locked: result.locked })
      }
      return result
    },
    allowedHosts: () => [...(config.allowedHosts ?? []), ...hosts],
    rates: () => ({ ...rates }),
    maxAnswerChars: () => maxAnswerChars,
    pin,
    inputs () {
      const out: Record<string, DifyInputValue> = {}
      for (const f of form ?? []) if (f.default !== undefined && f.default !== null && f.default !== '') out[f.variable] = f.default
      for (const [k, v] of Object.entries(inputs)) if (!isEmpty(v)) out[k] = v
      return out
    },
    reviewAnswers: () => review,
    async testAi (body) {
      const isOverride = body.dify_api_url !== undefined || body.dify_api_key !== undefined
      if (!isOverride) return await describe(null)
      let target: { url: string, apiKey: string }
      try {
        const u = body.dify_api_url !== undefined ? checkUrl(body.dify_api_url) : url()
        const k = body.dify_api_key?.trim() ?? apiKey
        if (u === null) return { ok: false, error: { code: ErrorCode.aiNotConfigured, message: 'Enter the Dify API address, e.g. https://api.dify.ai/v1.' } }
        if (k === null || k === '') return { ok: false, error: { code: ErrorCode.aiNotConfigured, message: 'Enter the app key (Dify: the app → API Access → API Key).' } }
        target = { url: u, apiKey: k }
      } catch (err) {
        const e = toAppError(err)
        return { ok: false, error: { code: e.code, message: e.message } }
      }
      return await describe(target)
    },
    async form () {
      if (form === null && o.ai.isAvailable) await describe(null)
      return { form: (form ?? []).map(toFormField), values: { ...inputs } }
    }
  }
}

/** The exact reason a test failed, in words a teacher can act on. */
function explain (e: AppError): string {
  switch (e.code) {
    case ErrorCode.aiAuth: return 'The Dify service refused the key: copy the app\'s API key again (Dify: the app → API Access → API Key).'
    case ErrorCode.aiUnreachable: return `The address could not be reached: check the Dify API address (it ends in /v1) and this computer's network. (${e.message})`
    case ErrorCode.aiIdleTimeout:
    case ErrorCode.aiDeadline: return 'The Dify service did not answer in time: check the address and try again.'
    case ErrorCode.aiBadRequest:
    case ErrorCode.notFound: return `The address answered, but not as a Dify service API: it should end in /v1. (${e.message})`
    default: return e.message
  }
}

function checkInput (field: AppFormField, value: DifyInputValue): DifyInputValue {
  const name = `dify_inputs.${field.variable}`
  switch (field.type) {
    case 'number':
      if (typeof value === 'number' && Number.isFinite(value)) return value
      if (typeof value === 'string' && value.trim() !== '' && Number.isFinite(Number(value))) return Number(value)
      if (value === '') return value
      throw Errors.settingInvalid(`${name} must be a number.`)
    case 'checkbox':
      if (typeof value === 'boolean') return value
      throw Errors.settingInvalid(`${name} must be true or false.`)
    case 'select':
      if (value === '' || (typeof value === 'string' && (field.options ?? []).includes(value))) return value
      throw Errors.settingInvalid(`${name} must be one of: ${(field.options ?? []).join(', ')}.`)
    default:
      if (typeof value !== 'string') throw Errors.settingInvalid(`${name} must be text.`)
      if (field.maxLength != null && [...value].length > field.maxLength) throw Errors.settingInvalid(`${name} can be at most ${field.maxLength} characters long.`)
      return value
  }
}

function toFormField (f: AppFormField): FormField {
  const out: FormField = { variable: f.variable, label: f.label, type: f.type, required: f.required }
  if (f.options !== undefined) out.options = f.options
  if (f.default !== undefined) out.default = f.default
  if (f.maxLength !== undefined) out.max_length = f.maxLength
  return out
}

function targetId (url: string | null, key: string | null): string | null {
  return url === null || key === null ? null : `${url} ${key}`
}

function isEmpty (v: unknown): boolean {
  return v === undefined || v === null || (typeof v === 'string' && v.trim() === '')
}

function fromRate (r: Rate): RateSetting {
  return { count: r.limit, per_s: Math.round(r.windowMs / 1000) }
}

function toRate (r: RateSetting): Rate {
  return { limit: r.count, windowMs: r.per_s * 1000 }
}
