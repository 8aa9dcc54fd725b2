/**
 * The stream loop: asks the AI one reply's question and feeds what comes back to the hub, delta by
 * delta, held to the answer limit and checked against the host's word list as it grows. It decides
 * nothing about the reply's end; it says how the stream ended, and the orchestrator ends the reply.
 * A conversation the AI service no longer knows is retried once in a new one, before any text.
 */
import type { AiGateway, AiUpload } from '../../ports.js'
import { ErrorCode, Errors, toAppError, type AppError } from '../../errors.js'
import type { Hub } from '../engine/hub.js'
import { createAnswerCap } from './answer-cap.js'
import { isHeld, isLive, type Reply } from './reply.js'

export type StreamOutcome =
  | { type: 'complete' }
  /** the answer reached the limit: the stream was left at the delta that crossed it */
  | { type: 'cut', limit: number }
  /** the reply's controller was aborted (a stop or the shutdown) */
  | { type: 'aborted' }
  | { type: 'failed', error: AppError, cause: unknown }
  /** the reply ended while its stream ran (nothing more to do) */
  | { type: 'abandoned' }

export interface StreamContext {
  gateway: AiGateway
  hub: Hub
  aiUser: string
  inputs: Record<string, unknown>
  /** the answer limit this reply is held to */
  limit: number
  /** the room's one conversation with the AI */
  conversation: { get (): string | null, set (id: string | null): void }
  logger: { warn (obj: object, msg: string): void }
  onFirstToken?: ((ms: number) => void) | undefined
  /** The host's word list: may hold the reply from this delta on (before `text` is added). */
  checkHold: (r: Reply, delta: string, isReplace: boolean) => void
  /** a question's photo, to upload before it is asked */
  photoForAi?: (id: string) => Promise<AiUpload | null>
}

/** Streams `r` until the AI ends it, the limit cuts it, or `signal` aborts it. */
export async function streamReply (r: Reply, signal: AbortSignal, ctx: StreamContext): Promise<StreamOutcome> {
  let conversation = ctx.conversation.get()
  let isFirstToken = true
  const cap = createAnswerCap(ctx.limit)
  let imageUploadIds: string[] = []
  if (r.photoIds.length > 0) {
    try {
      imageUploadIds = await uploadPhotos(r, signal, ctx)
    } catch (err) {
      if (!isLive(r.state)) return { type: 'abandoned' }
      if (signal.aborted) return { type: 'aborted' }
      const e = toAppError(err)
      // The question and its photos stay in the room; only this answer fails, saying why.
      return { type: 'failed', error: e.code === ErrorCode.aiPhotoUpload ? e : Errors.aiPhotoUpload(e.message).with({ cause: err }), cause: err }
    }
    if (!isLive(r.state)) return { type: 'abandoned' }
  }
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      for await (const ev of ctx.gateway.streamReply({ query: r.query, user: ctx.aiUser, conversationId: conversation, inputs: ctx.inputs, ...(imageUploadIds.length > 0 ? { imageUploadIds } : {}) }, signal)) {
        // Read through r.state each time: the reply can end while the stream is awaited.
        if (!isLive(r.state)) return { type: 'abandoned' }
        switch (ev.type) {
          case 'meta':
            if (ev.taskId !== null) r.taskId = ev.taskId
            if (ev.messageId !== null) r.difyMessageId = ev.messageId
            if (ev.conversationId !== null && ev.conversationId !== '') {
              r.conversationId = ev.conversationId
              ctx.conversation.set(ev.conversationId)
            }
            break
          case 'delta': {
            const text = cap.append(ev.text)
            if (text === '') break
            if (isFirstToken) { isFirstToken = false; ctx.onFirstToken?.(Date.now() - r.startedAt) }
            ctx.checkHold(r, text, false)
            r.text += text
            // Saved, then shown (sockets and the asker's stream) at the hub's next flush.
            ctx.hub.appendDelta(r.id, r.replyTo, r.conversationId, text, isHeld(r.state) ? { adminOnly: true } : undefined)
            break
          }
          case 'replace': {
            const text = cap.replace(ev.text)
            ctx.checkHold(r, text, true)
            r.text = text
            ctx.hub.replaceText(r.id, text, isHeld(r.state) ? { adminOnly: true } : undefined)
            break
          }
          case 'step':
            r.steps.set(ev.step.id, ev.step)
            break
          case 'end':
            r.citations = ev.citations
            r.usage = ev.usage
            if (ev.annotationId !== undefined) r.annotationId = ev.annotationId
            break
          case 'file':
          case 'progress':
            break
        }
        // Leaving the loop ends the gateway's stream (its HTTP body is destroyed) before Dify is told to stop.
        if (cap.isCut) break
      }
      return cap.isCut ? { type: 'cut', limit: cap.limit } : { type: 'complete' }
    } catch (err) {
      if (!isLive(r.state)) return { type: 'abandoned' }
      if (signal.aborted) return { type: 'aborted' }
      const e = toAppError(err)
      if (e.code === ErrorCode.aiConversationGone && attempt === 0 && r.text === '' && conversation !== null) {
        ctx.logger.warn({ replyId: r.id }, 'AI conversation no longer exists; starting a new one')
        if (ctx.conversation.get() === conversation) ctx.conversation.set(null)
        conversation = null
        continue
      }
      return { type: 'failed', error: e, cause: err }
    }
  }
  // Unreachable: the second attempt always returns.
  return { type: 'abandoned' }
}

/** Each photo of the question to the AI service, as the room's AI user: their ids there, in order. */
async function uploadPhotos (r: Reply, signal: AbortSignal, ctx: StreamContext): Promise<string[]> {
  const upload = ctx.gateway.uploadFile
  if (upload === undefined || ctx.photoForAi === undefined) throw Errors.aiPhotoUpload('this AI service takes no photos')
  const ids: string[] = []
  for (const photoId of r.photoIds) {
    const file = await ctx.photoForAi(photoId)
    // erased meanwhile: the question goes without it
    if (file === null) continue
    ids.push(await upload(file, ctx.aiUser, signal))
  }
  return ids
}
