/**
 * "Summarise this lesson": the session's questions and answers go to the AI app in a conversation
 * of its own (a separate AI-side user, no conversation id), never in the room's conversation, and
 * the summary is kept with the session (the Markdown export includes it). The summary is held to
 * the answer limit like any answer, and each message to a share of the transcript: one long answer
 * must not push the questions out of what the AI reads.
 */
import type { AiGateway, LessonStore, StoredMessage } from '../../ports.js'
import { Errors } from '../../errors.js'
import { ANSWER_LIMIT } from '../../protocol/index.js'
import { clipToChars } from './answer-cap.js'
import { askOnce } from './ask-once.js'

/** The transcript sent is cut to its last part above this many characters. */
export const MAX_TRANSCRIPT_CHARS = 12_000
/** One message of the transcript is cut (with "…") above this many characters. */
export const MAX_TRANSCRIPT_MESSAGE_CHARS = 2_000

export interface LessonSummary {
  /** Every session, oldest first, with its summary when one was made (the lesson record). */
  sessions (): Array<{ id: number, startedAt: number, summary: string | null, summaryAt: number | null }>
  /** The current session's summary, if one was made. */
  current (): { sessionId: number, summary: string | null, at: number | null }
  /** Asks the AI for a summary of the current session and keeps it. */
  summarise (signal: AbortSignal): Promise<{ sessionId: number, summary: string, at: number }>
}

export function createLessonSummary (o: {
  lessons: LessonStore
  messages: (sessionId: number) => StoredMessage[]
  gateway: () => AiGateway | null
  inputs: () => Record<string, unknown>
  aiUser: string
  language?: string
  /** the answer limit in characters (a live setting) */
  maxChars?: () => number
}): LessonSummary {
  function session (): { id: number, summary: string | null, summaryAt: number | null } {
    const s = o.lessons.listSessions().at(-1)
    return s === undefined ? { id: 1, summary: null, summaryAt: null } : s
  }

  return {
    sessions: () => o.lessons.listSessions(),
    current () {
      const s = session()
      return { sessionId: s.id, summary: s.summary, at: s.summaryAt }
    },
    async summarise (signal) {
      const ai = o.gateway()
      if (ai === null) throw Errors.aiNotConfiguredFor('it cannot summarise the lesson')
      const s = session()
      const transcript = lessonTranscript(o.messages(s.id))
      if (transcript === '') throw Errors.nothingToSummarise()
      const text = await askOnce(ai, { query: summaryPrompt(transcript), user: o.aiUser, inputs: o.inputs(), maxChars: o.maxChars?.() ?? ANSWER_LIMIT.default }, signal)
      const summary = text.trim()
      if (summary === '') throw Errors.aiUpstream('The AI service answered with an empty summary')
      const at = Date.now()
      o.lessons.setSummary(s.id, summary, at)
      return { sessionId: s.id, summary, at }
    }
  }
}

/** What the AI is asked: the instruction, then the transcript. */
export function summaryPrompt (transcript: string): string {
  return [
    'Summarise this lesson for the teacher and the class, in the language the lesson used.',
    'Use three short Markdown sections: "What was asked", "What was answered", "What was left open".',
    'Only use what is in the transcript below.',
    '',
    '--- transcript ---',
    transcript
  ].join('\n')
}

/** The session as plain lines: who asked what, and the answers; hidden and erased ones left out. */
export function lessonTranscript (messages: readonly StoredMessage[]): string {
  const lines: string[] = []
  for (const m of messages) {
    if (m.hiddenAt !== null || m.content.trim() === '') continue
    if (m.role === 'user') lines.push(`${m.username}: ${shortened(m.content.trim())}`)
    else if (m.status === 'complete' || m.status === 'stopped') lines.push(`AI: ${shortened(m.content.trim())}`)
  }
  const text = lines.join('\n')
  return text.length <= MAX_TRANSCRIPT_CHARS ? text : `…\n${text.slice(text.length - MAX_TRANSCRIPT_CHARS)}`
}

function shortened (text: string): string {
  const kept = clipToChars(text, MAX_TRANSCRIPT_MESSAGE_CHARS)
  return kept === text ? text : `${kept}…`
}
