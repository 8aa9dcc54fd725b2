/**
 * The AI budgets in `approve` mode: a question is charged when the host sends it to the AI, not
 * when it is posted (a question the host rejects or merges costs nothing). The room-wide budget
 * can refuse (the host is told how long to wait); the asker's own budget is charged when it has
 * room but never blocks the host's decision: the host already chose this question.
 */
import { Errors } from '../errors.js'
import type { Limits, Rate } from './index.js'

/** Creates the charge the gate calls before it asks the AI; `rates` reads the limits in force now. */
export function createQuestionBudget (limits: Limits, rates: () => { aiRate: Rate, roomAiRate: Rate }): (askerId: number | null) => void {
  return (askerId) => {
    if (!limits.isEnabled) return
    const { aiRate, roomAiRate } = rates()
    const verdict = limits.limiter.take([{ key: 'ai:room', rate: roomAiRate }])
    if (!verdict.isAllowed) {
      const s = Math.max(1, Math.ceil(verdict.retryAfterMs / 1000))
      throw Errors.rateLimited(`The room has used its AI budget (${roomAiRate.limit} questions per ${Math.round(roomAiRate.windowMs / 60_000)} min). The question is still waiting; approve it again in ${s} s.`).with({ retryAfterMs: verdict.retryAfterMs })
    }
    if (askerId !== null && askerId > 0) limits.limiter.take([{ key: `ai:u:${askerId}`, rate: aiRate }])
  }
}
