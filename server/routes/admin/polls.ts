/**
 * Polls over HTTP (PROTOCOL.md "Polls and signals"): the host opens a poll, shows or hides its
 * results, closes it, and reads who answered what. The rules live in room/polls/.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import {
  AdminPoll, AdminPollsResponse, CreatePollBody, CreatePollResponse, ErrorResponse, PollParams, PollShowBody
} from '../../protocol/index.js'
import type { PollRecord } from '../../ports.js'
import type { Polls } from '../../room/polls/poll-service.js'

const pollRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { polls, feed } = app.services
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

  app.post('/api/admin/polls/:id/close', { schema: { params: PollParams, response: { 200: AdminPoll, ...errors } } }, async (request) => {
    const { poll, isChanged } = polls.close(request.params.id)
    if (isChanged) feed.audit('poll.close', poll.id, { question: poll.question, total: polls.tally(poll.id).total })
    return adminPoll(polls, poll)
  })
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
