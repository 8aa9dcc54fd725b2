/**
 * What a participant's client frame does, wherever its socket is: on this process (room-socket.ts)
 * or on a cluster's edge (server/cluster/writer.ts gets the raw frame through Redis). Never throws:
 * a bad frame or a refused action is answered with an `error` frame through `sendError`.
 */
import type { FastifyBaseLogger } from 'fastify'
import { Compile } from 'typebox/compile'
import { ChatFrame, CLIENT_FRAME_TYPES, FeedbackFrame, PollAnswerFrame, ReactFrame, SignalFrame, StopFrame, VoteFrame, type ClientFrame, type ServerFrame } from '../../protocol/index.js'
import { Errors, toAppError, type AppError } from '../../errors.js'
import type { ParticipantRecord } from '../../ports.js'
import type { HubConnection } from '../../room/engine/hub.js'
import { userMessageFrame } from '../../room/frames.js'
import type { RoomServices } from '../../types.js'

/** One compiled check per client frame type (ping carries nothing to check). */
const CHECKS = {
  chat: Compile(ChatFrame),
  stop: Compile(StopFrame),
  vote: Compile(VoteFrame),
  feedback: Compile(FeedbackFrame),
  poll_answer: Compile(PollAnswerFrame),
  signal: Compile(SignalFrame),
  react: Compile(ReactFrame)
} as const

/** Where the frame came from and how its answers go back. */
export interface FrameContext {
  participant: ParticipantRecord
  address: string
  /** the local socket; without one (a remote socket) a resent chat's original comes back through `send` */
  origin?: HubConnection
  send (frame: ServerFrame): void
  sendError (err: AppError, clientMsgId?: string): void
}

/** Parses, checks and acts on one client frame. */
export function dispatchClientFrame (services: RoomServices, data: Buffer, isBinary: boolean, ctx: FrameContext, log: FastifyBaseLogger): void {
  const { room, ai, gate: questions, feedback, polls, signals, reactions } = services
  const { participant } = ctx
  let refusedChat: string | undefined
  try {
    const frame = parseFrame(data, isBinary)
    switch (frame.type) {
      case 'ping':
        ctx.send({ type: 'pong' })
        return
      case 'stop':
        ai.stop(frame.id, participant.id)
        return
      case 'vote':
        questions.vote(participant.id, frame.message_id, frame.up)
        return
      case 'feedback':
        feedback.rate(participant.id, frame.message_id, frame.rating)
        return
      case 'poll_answer':
        polls.answer(participant.id, ctx.address, { pollId: frame.poll_id, choice: frame.choice, text: frame.text }, err => ctx.sendError(err))
        return
      case 'signal':
        signals.set({ id: participant.id, username: participant.username }, frame.kind, frame.on)
        return
      case 'react':
        reactions.react(participant.id, frame.message_id, frame.emoji, frame.on)
        return
      case 'chat': {
        refusedChat = frame.client_msg_id
        const result = room.post(participant, {
          content: frame.content,
          clientMsgId: frame.client_msg_id ?? null,
          askAi: frame.ask_ai === true,
          address: ctx.address,
          ...(ctx.origin !== undefined ? { origin: ctx.origin } : {}),
          ...(frame.files !== undefined ? { files: frame.files } : {})
        })
        if (result.isDuplicate && ctx.origin === undefined) ctx.send(userMessageFrame(result.message, result.message.seq, participant.id))
        if (result.aiRefusal !== null) ctx.sendError(result.aiRefusal)
      }
    }
  } catch (err) {
    const e = toAppError(err)
    if (e.statusCode >= 500) log.error({ err }, 'could not handle a frame')
    ctx.sendError(e, refusedChat)
  }
}

/** Parses and validates one client frame; throws AppError with a precise code. */
function parseFrame (data: Buffer, isBinary: boolean): ClientFrame {
  if (isBinary) throw Errors.badFrame()
  let value: unknown
  try {
    value = JSON.parse(data.toString('utf8'))
  } catch {
    throw Errors.badJsonFrame()
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw Errors.frameNotObject()
  }
  const type = (value as { type?: unknown }).type
  if (typeof type !== 'string' || !(CLIENT_FRAME_TYPES as readonly string[]).includes(type)) {
    throw Errors.unknownFrame(type, `expected one of ${CLIENT_FRAME_TYPES.join(', ')}`)
  }
  if (type === 'ping') return { type: 'ping' }
  const check = CHECKS[type as keyof typeof CHECKS]
  if (!check.Check(value)) {
    const first = [...check.Errors(value)][0]
    throw Errors.validation(`Invalid ${type} frame: ${first?.instancePath ?? ''} ${first?.message ?? ''}`.trim())
  }
  return value as ClientFrame
}
