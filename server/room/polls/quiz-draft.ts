/**
 * "Draft a quiz from the last 10 minutes": what the room asked and was answered goes to the AI app
 * in a conversation of its own (as the lesson summary does), which is asked for N multiple-choice
 * questions as JSON. Models wrap JSON in prose or code fences, or break it: every JSON-looking
 * part of the answer is tried, each question is checked on its own, and only whole questions are
 * kept. None at all is a clear error (502), never a half-made quiz.
 */
import type { AiGateway, StoredMessage } from '../../ports.js'
import { Errors } from '../../errors.js'
import {
  ANSWER_LIMIT, codePointLength, MAX_POLL_OPTION_CODE_POINTS, MAX_POLL_OPTIONS, MAX_POLL_QUESTION_CODE_POINTS, MIN_POLL_OPTIONS,
  QUIZ_DRAFT, type QuizDraftItem
} from '../../protocol/index.js'
import { askOnce } from '../ai/ask-once.js'
import { lessonTranscript } from '../ai/lesson-summary.js'

export interface QuizDrafts {
  draft (request: { minutes?: number, count?: number }, signal: AbortSignal): Promise<QuizDraftItem[]>
  /** Sorts an open poll's answers into a few themes (misconceptions marked), in the AI's own conversation. */
  groupAnswers (question: string, answers: readonly string[], signal: AbortSignal): Promise<AnswerGroup[]>
}

export interface AnswerGroup { theme: string, answers: string[], is_misconception: boolean }

export function createQuizDrafts (o: {
  /** the current session's messages, oldest first */
  messages: () => StoredMessage[]
  gateway: () => AiGateway | null
  inputs: () => Record<string, unknown>
  aiUser: string
  maxChars?: () => number
  now?: () => number
}): QuizDrafts {
  const now = o.now ?? Date.now

  const ask = async (ai: AiGateway, query: string, signal: AbortSignal): Promise<string> =>
    await askOnce(ai, { query, user: o.aiUser, inputs: o.inputs(), maxChars: o.maxChars?.() ?? ANSWER_LIMIT.default }, signal)

  return {
    async groupAnswers (question, answers, signal) {
      const ai = o.gateway()
      if (ai === null) throw Errors.aiNotConfiguredFor('it cannot group the answers')
      if (answers.length === 0) throw Errors.nothingToGroup()
      const text = await ask(ai, groupPrompt(question, answers), signal)
      const groups = parseAnswerGroups(text, answers)
      if (groups.length === 0) throw Errors.aiUpstream('The AI did not answer with groups of answers', describeAnswer(text))
      return groups
    },
    async draft (request, signal) {
      const minutes = request.minutes ?? QUIZ_DRAFT.minutes.default
      const count = request.count ?? QUIZ_DRAFT.count.default
      const ai = o.gateway()
      if (ai === null) throw Errors.aiNotConfiguredFor('it cannot draft a quiz')
      const since = now() - minutes * 60_000
      const transcript = lessonTranscript(o.messages().filter(m => m.createdAt >= since))
      if (transcript === '') throw Errors.nothingToQuiz(minutes)
      const text = await ask(ai, quizPrompt(transcript, count), signal)
      const drafts = parseQuizDrafts(text).slice(0, count)
      if (drafts.length === 0) throw Errors.aiUpstream('The AI did not answer with quiz questions', describeAnswer(text))
      return drafts
    }
  }
}

/** What the AI is asked: the instruction and the exact JSON shape, then the transcript. */
export function quizPrompt (transcript: string, count: number): string {
  return [
    `Write ${count} multiple-choice quiz question${count === 1 ? '' : 's'} that check what the class understood from the lesson transcript below,`,
    'in the language the lesson used. Each has 3 or 4 short options and exactly one correct option.',
    'Answer with JSON only, no other text, in this shape:',
    '[{"question": "…", "options": ["…", "…", "…"], "correct": 0}]',
    '("correct" is the index of the correct option, counting from 0). Only use what is in the transcript.',
    '',
    '--- transcript ---',
    transcript
  ].join('\n')
}

/** What the AI is asked to group: the question, then each answer on its own line. */
export function groupPrompt (question: string, answers: readonly string[]): string {
  return [
    `The class answered this open question: "${question}"`,
    'Sort the answers below into 2 to 6 themes, in the language of the answers. Mark a theme that is a misconception.',
    'Answer with JSON only, no other text, in this shape:',
    '[{"theme": "…", "answers": ["…"], "is_misconception": false}]',
    'Copy each answer exactly as written; every answer goes into exactly one theme.',
    '',
    '--- answers ---',
    ...answers.map(a => `- ${a.replace(/\s+/g, ' ')}`)
  ].join('\n')
}

/**
 * The groups in an AI's answer (the same JSON reading as the quiz). Only the class's own answers
 * are kept (matched without case or spacing), each in its first group; groups left empty go.
 */
export function parseAnswerGroups (text: string, answers: readonly string[]): AnswerGroup[] {
  const key = (a: string): string => a.toLocaleLowerCase().replace(/\s+/g, ' ').trim()
  const known = new Map(answers.map(a => [key(a), a]))
  for (const candidate of jsonCandidates(text)) {
    let value: unknown
    try { value = JSON.parse(candidate) } catch { continue }
    const list = Array.isArray(value) ? value : listInside(value)
    if (list === null) continue
    const used = new Set<string>()
    const groups: AnswerGroup[] = []
    for (const item of list) {
      if (typeof item !== 'object' || item === null) continue
      const r = item as Record<string, unknown>
      const theme = typeof r.theme === 'string' ? r.theme.trim() : ''
      if (theme === '' || codePointLength(theme) > MAX_POLL_OPTION_CODE_POINTS || !Array.isArray(r.answers)) continue
      const mine = r.answers.flatMap(a => {
        if (typeof a !== 'string') return []
        const k = key(a)
        const original = known.get(k)
        if (original === undefined || used.has(k)) return []
        used.add(k)
        return [original]
      })
      if (mine.length > 0) groups.push({ theme, answers: mine, is_misconception: r.is_misconception === true || r.misconception === true })
    }
    if (groups.length > 0) return groups
  }
  return []
}

/**
 * The quiz questions in an AI's answer: the first JSON part (a code fence, the whole answer, or
 * its outermost `[…]`; a list, or an object holding one) that holds at least one whole question.
 * Never throws.
 */
export function parseQuizDrafts (text: string): QuizDraftItem[] {
  for (const candidate of jsonCandidates(text)) {
    let value: unknown
    try { value = JSON.parse(candidate) } catch { continue }
    const list = Array.isArray(value) ? value : listInside(value)
    if (list === null) continue
    const drafts = list.flatMap(item => { const d = toDraft(item); return d === null ? [] : [d] })
    if (drafts.length > 0) return drafts
  }
  return []
}

function jsonCandidates (text: string): string[] {
  const out: string[] = []
  for (const m of text.matchAll(/```(?:json)?[^\n]*\n([\s\S]*?)```/gi)) out.push(m[1]!.trim())
  const trimmed = text.trim()
  out.push(trimmed)
  const open = trimmed.indexOf('[')
  const close = trimmed.lastIndexOf(']')
  // The outermost list only: a part of a broken list (one whole `{…}` in it) would be half a quiz.
  if (open !== -1 && close > open) out.push(trimmed.slice(open, close + 1))
  return out
}

/** `{"questions": […]}` and the like: the first list of objects among its values. */
function listInside (value: unknown): unknown[] | null {
  if (typeof value !== 'object' || value === null) return null
  if (toDraft(value) !== null || 'theme' in value) return [value]
  for (const v of Object.values(value)) if (Array.isArray(v) && v.length > 0 && typeof v[0] === 'object') return v
  return null
}

function toDraft (item: unknown): QuizDraftItem | null {
  if (typeof item !== 'object' || item === null) return null
  const r = item as Record<string, unknown>
  const question = typeof r.question === 'string' ? r.question.trim() : ''
  if (question === '' || codePointLength(question) > MAX_POLL_QUESTION_CODE_POINTS) return null
  const raw = Array.isArray(r.options) ? r.options : Array.isArray(r.choices) ? r.choices : null
  if (raw === null) return null
  const options = raw.map(o => typeof o === 'string' || typeof o === 'number' ? String(o).trim() : '')
  if (options.length < MIN_POLL_OPTIONS || options.length > MAX_POLL_OPTIONS) return null
  if (options.some(o => o === '' || codePointLength(o) > MAX_POLL_OPTION_CODE_POINTS)) return null
  if (new Set(options).size !== options.length) return null
  const correct = correctIndex(r.correct ?? r.answer ?? r.correct_index, options)
  if (correct === null) return null
  return { question, options, correct: [correct] }
}

/** An index, a list of one index, a letter ("B") or the option's text. */
function correctIndex (value: unknown, options: string[]): number | null {
  const v = Array.isArray(value) && value.length === 1 ? value[0] : value
  if (typeof v === 'number') return Number.isInteger(v) && v >= 0 && v < options.length ? v : null
  if (typeof v !== 'string') return null
  const s = v.trim()
  if (/^[A-J]$/i.test(s)) {
    const i = s.toUpperCase().charCodeAt(0) - 65
    return i < options.length ? i : null
  }
  if (/^\d+$/.test(s)) return correctIndex(Number(s), options)
  const i = options.indexOf(s)
  return i === -1 ? null : i
}

function describeAnswer (text: string): string {
  const t = text.trim()
  if (t === '') return 'its answer was empty'
  return `its answer began “${t.slice(0, 80)}${t.length > 80 ? '…' : ''}”`
}
