/**
 * Reading answers aloud, one at a time: the host's audio of an answer (the AI app's voice, which
 * the host fetches once and keeps), else, when the app has text-to-speech off, the browser's own
 * voice in the answer's language. Starting one stops the other. Used by the phone's "Listen"
 * button and the projector's automatic reading.
 */
import { useCallback, useEffect, useRef, useState } from 'react'

/** Fetches an answer's audio from the host (with the page's own token). */
export type AudioSource = (messageId: number, signal: AbortSignal) => Promise<Response>

export type ReadState = { id: number, phase: 'loading' | 'playing' } | { id: number, phase: 'failed', reason: 'blocked' | 'error' } | null

export interface ReadAloud {
  state: ReadState
  /** Reads this answer (its Markdown text is the browser voice's fallback); a second call for the same one stops it. */
  toggle: (id: number, markdown: string) => void
  read: (id: number, markdown: string) => Promise<void>
  stop: () => void
}

export function useReadAloud (source: AudioSource, locale: string): ReadAloud {
  const [state, setState] = useState<ReadState>(null)
  const current = useRef<{ id: number, abort: AbortController, audio: HTMLAudioElement | null, url: string | null } | null>(null)

  const stop = useCallback(() => {
    const c = current.current
    current.current = null
    if (c !== null) {
      c.abort.abort()
      c.audio?.pause()
      if (c.url !== null) URL.revokeObjectURL(c.url)
    }
    if (typeof speechSynthesis !== 'undefined') speechSynthesis.cancel()
    setState(null)
  }, [])

  useEffect(() => stop, [stop])

  const read = useCallback(async (id: number, markdown: string): Promise<void> => {
    stop()
    const abort = new AbortController()
    const mine = { id, abort, audio: null as HTMLAudioElement | null, url: null as string | null }
    current.current = mine
    const isCurrent = (): boolean => current.current === mine
    const ended = (): void => { if (isCurrent()) { current.current = null; setState(null) } }
    setState({ id, phase: 'loading' })
    try {
      const res = await source(id, abort.signal)
      if (!isCurrent()) return
      if (res.status === 409 && (await errorCode(res)) === 'ERR_TTS_OFF') {
        speakWithBrowser(markdown, locale, ended)
        setState({ id, phase: 'playing' })
        return
      }
      if (!res.ok) throw new Error(`audio: HTTP ${res.status}`)
      const url = URL.createObjectURL(await res.blob())
      if (!isCurrent()) { URL.revokeObjectURL(url); return }
      const audio = new Audio(url)
      mine.audio = audio
      mine.url = url
      audio.onended = ended
      await audio.play()
      if (isCurrent()) setState({ id, phase: 'playing' })
    } catch (err) {
      if (!isCurrent()) return
      // A page nobody touched yet may not play sound (the browser's autoplay rule).
      const reason = (err as { name?: string }).name === 'NotAllowedError' ? 'blocked' : 'error'
      setState({ id, phase: 'failed', reason })
    }
  }, [source, locale, stop])

  const toggle = useCallback((id: number, markdown: string) => {
    if (state !== null && state.id === id && state.phase !== 'failed') stop()
    else read(id, markdown).catch(() => {})
  }, [state, stop, read])

  return { state, toggle, read, stop }
}

async function errorCode (res: Response): Promise<string | null> {
  try {
    const body = await res.json() as { error?: { code?: unknown } }
    return typeof body.error?.code === 'string' ? body.error.code : null
  } catch {
    return null
  }
}

/** The browser's own voice: plain words, in Chinese when the answer is mostly Chinese, else the page's language. */
function speakWithBrowser (markdown: string, locale: string, onEnd: () => void): void {
  if (typeof speechSynthesis === 'undefined' || typeof SpeechSynthesisUtterance === 'undefined') throw new Error('no speech synthesis')
  const text = plainWords(markdown)
  const utterance = new SpeechSynthesisUtterance(text)
  utterance.lang = languageOf(text, locale)
  utterance.onend = onEnd
  utterance.onerror = onEnd
  speechSynthesis.cancel()
  speechSynthesis.speak(utterance)
}

/** Markdown as words to read: code blocks, marks and link targets left out. */
export function plainWords (markdown: string): string {
  return markdown
    .replace(/```[\s\S]*?(```|$)/g, ' ')
    .replace(/!\[[^\]]*\]\([^)]*\)/g, ' ')
    .replace(/\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/[*_~`#>|]+/g, ' ')
    .replace(/^\s*[-+]\s+/gm, '')
    .replace(/\s+/g, ' ')
    .trim()
    .slice(0, 4000)
}

/** zh-CN when most letters are CJK, else the page's locale. */
export function languageOf (text: string, locale: string): string {
  const cjk = text.match(/[\u3400-\u9fff]/g)?.length ?? 0
  const latin = text.match(/[A-Za-z]/g)?.length ?? 0
  return cjk > latin / 2 ? 'zh-CN' : locale
}
