/**
 * One question to the AI app outside the room's conversation (the lesson summary, a quiz draft,
 * grouping a poll's answers): a new conversation under its own AI-side user, the answer held to
 * the answer limit like any room answer, and Dify told to stop once it is cut.
 */
import type { AiGateway } from '../../ports.js'
import { createAnswerCap } from './answer-cap.js'

export async function askOnce (ai: AiGateway, request: { query: string, user: string, inputs: Record<string, unknown>, maxChars: number }, signal: AbortSignal): Promise<string> {
  let text = ''
  let taskId: string | null = null
  const cap = createAnswerCap(request.maxChars)
  for await (const ev of ai.streamReply({ query: request.query, user: request.user, conversationId: null, inputs: request.inputs }, signal)) {
    if (ev.type === 'meta' && ev.taskId !== null) taskId = ev.taskId
    else if (ev.type === 'delta') text += cap.append(ev.text)
    else if (ev.type === 'replace') text = cap.replace(ev.text)
    // Leaving the loop closes the stream; Dify is told to stop, as for a room's answer.
    if (cap.isCut) break
  }
  if (cap.isCut && taskId !== null) ai.stop(taskId, request.user).catch(() => {})
  return text
}
