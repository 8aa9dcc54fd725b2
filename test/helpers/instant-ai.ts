/** An AiGateway double that answers every question at once with "ok" (for limit and fault tests). */
import type { AiGateway } from '../../server/ports.js'

/** Creates the double; `asked` counts the questions it received. */
export function instantAi (): AiGateway & { asked: number } {
  const ai = {
    asked: 0,
    async * streamReply () {
      ai.asked++
      yield { type: 'meta' as const, conversationId: 'conv-1', taskId: 'task-1', messageId: 'msg-1' }
      yield { type: 'delta' as const, text: 'ok' }
      yield { type: 'end' as const, citations: [], usage: null, hasEndEvent: true }
    },
    async stop () {},
    async appInfo () { return { openingStatement: null, suggestedQuestions: [] } },
    async close () {}
  }
  return ai
}
