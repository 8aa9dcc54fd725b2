/**
 * A poll's rules, pure: what a host may ask (question, kind, options, right answers) and what an
 * answer must look like for its kind. The service (poll-service.ts) stores and sends; this says no.
 */
import type { PollKind, PollRecord } from '../../ports.js'
import {
  codePointLength, normalizeChatText, MAX_POLL_OPTION_CODE_POINTS, MAX_POLL_OPTIONS, MAX_POLL_QUESTION_CODE_POINTS,
  MAX_POLL_TEXT_CODE_POINTS, MIN_POLL_OPTIONS
} from '../../protocol/index.js'
import { Errors } from '../../errors.js'

/** A poll as the host asked for it, cleaned. */
export interface NewPoll { question: string, kind: PollKind, options: string[], correct: number[] }

/** Checks and cleans the host's poll; throws ERR_VALIDATION naming what is wrong. */
export function checkNewPoll (input: { question: string, kind: PollKind, options?: string[] | undefined, correct?: number[] | undefined }): NewPoll {
  const question = oneLine(input.question)
  if (question === '') throw Errors.pollInvalid('A poll needs a question.')
  if (codePointLength(question) > MAX_POLL_QUESTION_CODE_POINTS) throw Errors.pollInvalid(`A poll's question can be at most ${MAX_POLL_QUESTION_CODE_POINTS} characters long.`)
  const correct = input.correct ?? []
  if (input.kind === 'open') {
    if ((input.options ?? []).length > 0) throw Errors.pollInvalid('An open poll takes no options: participants write their answer.')
    if (correct.length > 0) throw Errors.pollInvalid('An open poll has no right option to mark.')
    return { question, kind: 'open', options: [], correct: [] }
  }
  const options = (input.options ?? []).map(oneLine)
  if (options.length < MIN_POLL_OPTIONS || options.length > MAX_POLL_OPTIONS) {
    throw Errors.pollInvalid(`A ${input.kind === 'single' ? 'single' : 'multiple'}-choice poll needs ${MIN_POLL_OPTIONS} to ${MAX_POLL_OPTIONS} options (got ${options.length}).`)
  }
  options.forEach((o, i) => {
    if (o === '') throw Errors.pollInvalid(`Option ${i + 1} is empty.`)
    if (codePointLength(o) > MAX_POLL_OPTION_CODE_POINTS) throw Errors.pollInvalid(`Option ${i + 1} is longer than ${MAX_POLL_OPTION_CODE_POINTS} characters.`)
  })
  const seen = new Set<number>()
  for (const i of correct) {
    if (!Number.isInteger(i) || i < 0 || i >= options.length) throw Errors.pollInvalid(`"correct" names option ${i}, but the options are numbered 0 to ${options.length - 1}.`)
    if (seen.has(i)) throw Errors.pollInvalid(`"correct" names option ${i} twice.`)
    seen.add(i)
  }
  if (input.kind === 'single' && correct.length > 1) throw Errors.pollInvalid('A single-choice poll has at most one right option.')
  return { question, kind: input.kind, options, correct: [...correct].sort((a, b) => a - b) }
}

/** An answer as stored: the sorted choice, or the cleaned text. */
export type CheckedAnswer = { choice: number[], text: null } | { choice: null, text: string }

/** Checks a participant's answer against the poll's kind; throws ERR_VALIDATION. */
export function checkAnswer (poll: PollRecord, answer: { choice?: number[] | undefined, text?: string | undefined }): CheckedAnswer {
  if (poll.kind === 'open') {
    if (answer.choice !== undefined || answer.text === undefined) throw Errors.pollChoiceShape('open')
    const text = oneLine(answer.text)
    if (text === '') throw Errors.pollTextEmpty()
    const length = codePointLength(text)
    if (length > MAX_POLL_TEXT_CODE_POINTS) throw Errors.pollTextTooLong(MAX_POLL_TEXT_CODE_POINTS, length)
    return { choice: null, text }
  }
  const choice = answer.choice
  if (choice === undefined || answer.text !== undefined || choice.length === 0 || new Set(choice).size !== choice.length) {
    throw Errors.pollChoiceShape(poll.kind)
  }
  if (poll.kind === 'single' && choice.length !== 1) throw Errors.pollChoiceShape('single')
  for (const i of choice) if (i < 0 || i >= poll.options.length) throw Errors.pollBadIndex(i, poll.options.length)
  return { choice: [...choice].sort((a, b) => a - b), text: null }
}

/** Chat's text rules, on one line: a poll's words are short labels, never paragraphs. */
function oneLine (raw: string): string {
  return normalizeChatText(raw).replace(/\s+/g, ' ').trim()
}
