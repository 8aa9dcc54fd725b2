/**
 * Read-aloud: a finished answer as audio from the AI app's own voice (Dify `/text-to-audio`),
 * fetched once per answer text and kept by the host (in memory and in the data folder), so that
 * three projectors and thirty phones cost Dify one request. The text read is what the room saw
 * last (the host's edit included), as plain words: code blocks are left out, Markdown marks dropped.
 * An app with text-to-speech off answers ERR_TTS_OFF (remembered for a minute); the pages then
 * read the answer with the browser's own voice.
 */
import { createHash } from 'node:crypto'
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { fromMarkdown } from 'mdast-util-from-markdown'
import { toString } from 'mdast-util-to-string'
import type { Nodes, Parent } from 'mdast'
import type { AiGateway, ChatStore } from '../../ports.js'
import { AppError, ErrorCode, Errors } from '../../errors.js'

/** Longest text sent to be read (a long answer is read up to here). */
export const READ_ALOUD_MAX_CHARS = 4_000
const TTS_OFF_MEMORY_MS = 60_000
const MEMORY_BYTES = 64 * 1024 * 1024
const EXTENSIONS: Record<string, string> = { 'audio/mpeg': 'mp3', 'audio/mp3': 'mp3', 'audio/wav': 'wav', 'audio/x-wav': 'wav', 'audio/ogg': 'ogg', 'audio/webm': 'webm', 'audio/aac': 'aac', 'audio/mp4': 'm4a' }
const TYPES: Record<string, string> = { mp3: 'audio/mpeg', wav: 'audio/wav', ogg: 'audio/ogg', webm: 'audio/webm', aac: 'audio/aac', m4a: 'audio/mp4' }

export interface Audio { contentType: string, bytes: Buffer }

export interface ReadAloud {
  /**
   * The audio of a finished answer. `isHost`: the host's pages may read a hidden one. Throws
   * ERR_MESSAGE_NOT_FOUND, ERR_NOT_FINISHED, ERR_TTS_OFF, ERR_AI_NOT_CONFIGURED or the AI's errors.
   */
  audio (replyId: number, isHost: boolean): Promise<Audio>
  /** How many times the AI app was asked for audio (tests, metrics). */
  readonly fetches: number
}

export function createReadAloud (o: { store: ChatStore, gateway: () => AiGateway | null, aiUser: string, dir: string }): ReadAloud {
  const memory = new Map<string, Audio>()
  let memoryBytes = 0
  const pending = new Map<string, Promise<Audio>>()
  let ttsOff: { gateway: AiGateway, until: number, error: AppError } | null = null
  let fetches = 0

  function remember (key: string, audio: Audio): void {
    memory.set(key, audio)
    memoryBytes += audio.bytes.length
    // oldest first out (a Map keeps insertion order)
    for (const [k, a] of memory) {
      if (memoryBytes <= MEMORY_BYTES) break
      memory.delete(k)
      memoryBytes -= a.bytes.length
    }
  }

  async function fromDisk (key: string): Promise<Audio | null> {
    for (const [ext, contentType] of Object.entries(TYPES)) {
      try { return { contentType, bytes: await readFile(join(o.dir, `${key}.${ext}`)) } } catch {}
    }
    return null
  }

  async function toDisk (key: string, audio: Audio): Promise<void> {
    const ext = EXTENSIONS[audio.contentType]
    if (ext === undefined) return
    await mkdir(o.dir, { recursive: true })
    const path = join(o.dir, `${key}.${ext}`)
    await writeFile(`${path}.part`, audio.bytes)
    await rename(`${path}.part`, path)
  }

  async function fetchAudio (key: string, text: string): Promise<Audio> {
    const onDisk = await fromDisk(key)
    if (onDisk !== null) return onDisk
    const ai = o.gateway()
    if (ai?.textToAudio === undefined) throw Errors.aiNotConfiguredFor('it cannot read answers aloud')
    if (ttsOff !== null && ttsOff.gateway === ai && ttsOff.until > Date.now()) throw ttsOff.error
    fetches++
    let audio: Audio
    try {
      audio = await ai.textToAudio(text, o.aiUser, AbortSignal.timeout(60_000))
    } catch (err) {
      // Dify: 400 invalid_param "TTS is not enabled" / "Sorry, no voice available."
      if (err instanceof AppError && err.code === ErrorCode.aiBadRequest) {
        const off = Errors.ttsOff(err.message)
        ttsOff = { gateway: ai, until: Date.now() + TTS_OFF_MEMORY_MS, error: off }
        throw off
      }
      throw err
    }
    await toDisk(key, audio).catch(() => {})
    return audio
  }

  return {
    get fetches () { return fetches },
    async audio (replyId, isHost) {
      const reply = o.store.getMessage(replyId)
      if (reply === null || reply.role !== 'assistant' || (reply.hiddenAt !== null && !isHost)) throw Errors.messageNotFound(replyId)
      if (reply.status === 'streaming') throw Errors.replyNotFinished()
      const text = speakableText(reply.content)
      if (text === '') throw Errors.messageNotFound(replyId)
      const key = `${replyId}-${createHash('sha256').update(text).digest('hex').slice(0, 16)}`
      const known = memory.get(key)
      if (known !== undefined) return known
      let running = pending.get(key)
      if (running === undefined) {
        running = fetchAudio(key, text).then(audio => { remember(key, audio); return audio }).finally(() => pending.delete(key))
        pending.set(key, running)
      }
      return await running
    }
  }
}

/** An answer's words as they are read: Markdown marks dropped, code blocks left out, capped. */
export function speakableText (markdown: string): string {
  let text: string
  try {
    text = blocksOf(fromMarkdown(markdown.slice(0, READ_ALOUD_MAX_CHARS * 4))).join(' ')
  } catch {
    // A hostile nesting the parser cannot take: the raw text without its marks is still words.
    text = markdown.replace(/[>#*_`~|\\[\]]+/g, ' ')
  }
  return text.replace(/\s+/g, ' ').trim().slice(0, READ_ALOUD_MAX_CHARS)
}

/** The text of each block that is read (one string per paragraph, heading or table cell). */
function blocksOf (node: Nodes): string[] {
  switch (node.type) {
    case 'code':
    case 'html':
      return []
    case 'paragraph':
    case 'heading':
    case 'tableCell':
      return [toString(node, { includeImageAlt: false })]
    default:
      return 'children' in node ? (node as Parent).children.flatMap(child => blocksOf(child as Nodes)) : []
  }
}
