/**
 * Polls over HTTP (PROTOCOL.md "Polls and signals"): the host opens a poll, shows or hides its
 * results, closes it, and reads who answered what. The rules live in room/polls/.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import {
  AdminPoll, AdminPollsResponse, CreatePollBody, CreatePollResponse, ErrorResponse, PollExplainResponse, PollParams, PollShowBody,
  PollGroupsResponse, PollGroupsShowBody, QuizDraftBody, QuizDraftResponse
} from '../../protocol/index.js'
import { Errors } from '../../errors.js'
import type { PollRecord } from '../../ports.js'
import { HOST_AUTHOR } from '../../room/safety/moderation.js'
import type { Polls } from '../../room/polls/poll-service.js'

const pollRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { polls, feed, quiz, room, hub } = app.services
  const errors = { '4xx': ErrorResponse, '5xx': ErrorResponse }

  app.post('/api/admin/polls', { schema: { body: CreatePollBody, response: { 201: CreatePollResponse, ...errors } } }, async (request, reply) => {
    const poll = polls.create(request.body)
    feed.audit('poll.create', poll.id, { question: poll.question, kind: poll.kind })
    return await reply.code(201).send({ poll_id: poll.id })
  })

  app.get('/api/admin/polls', { schema: { response: { 200: AdminPollsResponse, ...errors } } }, async () => ({
    polls: polls.list().map(p => adminPoll(polls, p))
  }))

  app.get('/api/admin/polls/:id', { schema: { params: PollParams, response: { 200: AdminPoll, ...errors } } }, async (request) => {
    const poll = polls.get(request.params.id)
    if (poll === null) throw polls.notFound(request.params.id)
    return adminPoll(polls, poll)
  })

  app.put('/api/admin/polls/:id', { schema: { params: PollParams, body: PollShowBody, response: { 200: AdminPoll, ...errors } } }, async (request) => {
    const { poll, isChanged } = polls.showResults(request.params.id, request.body.show_results)
    if (isChanged) feed.audit('poll.show_results', poll.id, { question: poll.question, show_results: poll.showResults })
    return adminPoll(polls, poll)
  })

  // The AI drafts quiz questions from the lesson's last minutes (its own conversation); nothing is opened.
  app.post('/api/admin/polls/draft', { schema: { body: QuizDraftBody, response: { 200: QuizDraftResponse, ...errors } } }, async (request) => {
    const controller = new AbortController()
    request.raw.on('close', () => { if (!request.raw.complete) controller.abort() })
    const drafts = await quiz.draft(request.body ?? {}, AbortSignal.any([controller.signal, AbortSignal.timeout(120_000)]))
    feed.audit('poll.draft', null, { count: drafts.length })
    return { drafts }
  })

  // An open poll's answers sorted by the AI into themes, for the teacher first (nothing is shown).
  app.post('/api/admin/polls/:id/group', { schema: { params: PollParams, response: { 200: PollGroupsResponse, ...errors } } }, async (request) => {
    const poll = polls.get(request.params.id)
    if (poll === null) throw polls.notFound(request.params.id)
    if (poll.kind !== 'open') throw Errors.groupChoicePoll()
    const texts = polls.answers(poll.id).flatMap(a => a.text === null ? [] : [a.text])
    const controller = new AbortController()
    request.raw.on('close', () => { if (!request.raw.complete) controller.abort() })
    const groups = await quiz.groupAnswers(poll.question, texts, AbortSignal.any([controller.signal, AbortSignal.timeout(120_000)]))
    feed.audit('poll.group', poll.id, { question: poll.question, groups: groups.length })
    return { groups }
  })

  // The teacher puts the groups on the projector (an empty list takes them off).
  app.post('/api/admin/polls/:id/groups/show', { schema: { params: PollParams, body: PollGroupsShowBody, response: { 200: PollGroupsResponse, ...errors } } }, async (request) => {
    const poll = polls.get(request.params.id)
    if (poll === null) throw polls.notFound(request.params.id)
    hub.broadcastAdmin({ type: 'poll_groups', poll_id: poll.id, groups: request.body.groups })
    return { groups: request.body.groups }
  })

  // The host asks the room's AI about a closed poll's result, in the room: everyone sees the
  // question and the answer streams as any reply (held for the host when "read answers first" is on).
  app.post('/api/admin/polls/:id/explain', { schema: { params: PollParams, response: { 202: PollExplainResponse, ...errors } } }, async (request, reply) => {
    const poll = polls.get(request.params.id)
    if (poll === null) throw polls.notFound(request.params.id)
    if (poll.kind === 'open') throw Errors.explainTextPoll()
    if (poll.status === 'open') throw Errors.explainOpenPoll()
    const result = room.post(HOST_AUTHOR, { content: explainQuestion(poll, polls.tally(poll.id)), clientMsgId: null, forceAi: true })
    if (result.reply === null) throw Errors.aiNotConfiguredFor('it cannot explain the result')
    feed.audit('poll.explain', poll.id, { question: poll.question })
    return await reply.code(202).send({ message_id: result.reply.id })
  })

  app.post('/api/admin/polls/:id/close', { schema: { params: PollParams, response: { 200: AdminPoll, ...errors } } }, async (request) => {
    const { poll, isChanged } = polls.close(request.params.id)
    if (isChanged) feed.audit('poll.close', poll.id, { question: poll.question, total: polls.tally(poll.id).total })
    return adminPoll(polls, poll)
  })
}

/**
 * What the room's AI is asked about a result (the class reads it too): the question, each option
 * with its votes, the correct one, and the wrong answer most chosen.
 */
export function explainQuestion (poll: PollRecord, tally: { counts: number[], total: number }): string {
  const letter = (i: number): string => String.fromCharCode(65 + i)
  const lines = poll.options.map((o, i) => `${letter(i)}) ${o}: ${tally.counts[i] ?? 0} of ${tally.total}${poll.correct.includes(i) ? ' (correct)' : ''}`)
  const wrong = poll.options.map((_, i) => i).filter(i => !poll.correct.includes(i)).sort((a, b) => (tally.counts[b] ?? 0) - (tally.counts[a] ?? 0))[0]
  const missed = poll.correct.length > 0 && wrong !== undefined && (tally.counts[wrong] ?? 0) > 0
  const ask = poll.correct.length === 0
    ? 'Explain briefly what the answers show and clear up any misunderstanding they reveal.'
    : missed
      ? `Explain briefly why ${poll.correct.map(letter).join(' and ')} is right, and why ${letter(wrong)} ("${poll.options[wrong]}"), the wrong answer most of those who missed chose, is a natural mistake.`
      : `Explain briefly why ${poll.correct.map(letter).join(' and ')} is right.`
  return [`@ai The class answered our quiz question: "${poll.question}"`, ...lines, ask].join('\n')
}

/** A poll as the console shows it: counts and every participant's answer. */
export function adminPoll (polls: Polls, p: PollRecord): AdminPoll {
  const tally = polls.tally(p.id)
  return {
    poll_id: p.id,
    question: p.question,
    kind: p.kind,
    options: p.options,
    correct: p.correct,
    status: p.status,
    show_results: p.showResults,
    counts: tally.counts,
    total: tally.total,
    answers: polls.answers(p.id).map(a => ({
      user_id: a.userId,
      username: a.username,
      ...(a.choice !== null ? { choice: a.choice } : {}),
      ...(a.text !== null ? { text: a.text } : {}),
      at: a.at
    })),
    created_at: p.createdAt,
    closed_at: p.closedAt
  }
}

export default pollRoutes
