/**
 * Answers the host reads first: held from the start when the room reviews answers first, or from
 * the delta that completes a word of the host's list. A held answer streams to the host's sockets
 * only and is not saved while it streams; written, it waits in review until the host releases it
 * (as written or edited) or discards it (the room gets an empty stopped answer and the note).
 */
import type { Hub } from '../engine/hub.js'
import { reviewFrame } from '../frames.js'
import { isHeld, transition, type Reply } from './reply.js'

/** How much of an answer's end is checked again with each delta (a listed word split across deltas). */
const WORD_WINDOW = 200

export interface ReviewHold {
  /** Holds `r` (a queued or streaming reply) and tells the room the host checks it first. */
  hold (r: Reply): void
  /** The word list on the text about to be added (or replacing the answer): holds `r` when it matches. */
  checkHold (r: Reply, text: string, isReplace: boolean): void
  /** An answer written while held: it waits for the host, who is shown all of it. */
  toReview (r: Reply): void
  /** Ends a review: released (the host's text when given) or discarded; null when none is held. */
  endReview (replyId: number, verdict: { type: 'released', content: string | null } | { type: 'discarded', note: string | null }): Reply | null
  /** Answers written and waiting for the host. */
  waiting (): Reply[]
  /** Takes every waiting answer out (the shutdown ends them). */
  drain (): Reply[]
}

export function createReviewHold (o: {
  hub: Hub
  logger: { info (obj: object, msg: string): void }
  /** the listed word that `before + delta` contains, or null (none, or the list is off) */
  holdsAnswer?: ((before: string, delta: string) => string | null) | undefined
}): ReviewHold {
  const waiting = new Map<number, Reply>()

  function hold (r: Reply): void {
    r.state = transition(r.state, { type: 'hold' })
    // Participants are told the host reviews this answer before they see it.
    o.hub.broadcast(reviewFrame(r, { status: 'reviewing' }))
  }

  return {
    hold,
    checkHold (r, text, isReplace) {
      if (o.holdsAnswer === undefined || isHeld(r.state)) return
      // Two parts, so nothing is concatenated per delta while the list is off.
      const before = isReplace ? '' : r.text.length > WORD_WINDOW ? r.text.slice(-WORD_WINDOW) : r.text
      if (o.holdsAnswer(before, text) === null) return
      o.logger.info({ replyId: r.id }, 'an AI answer contains a word of the host\'s list: held for the host')
      hold(r)
    },
    toReview (r) {
      waiting.set(r.id, r)
      o.hub.broadcastAdmin(reviewFrame(r, { status: 'ready', content: r.text }))
    },
    endReview (replyId, verdict) {
      const r = waiting.get(replyId)
      if (r === undefined) return null
      waiting.delete(replyId)
      const isEdited = verdict.type === 'released' && verdict.content !== null && verdict.content !== r.text
      // Released as written, a cut answer still says it was cut; the host's own edit or a discard does not.
      const isCut = r.cutAtChars !== null && verdict.type === 'released' && !isEdited
      if (verdict.type === 'released' && verdict.content !== null) r.text = verdict.content
      if (verdict.type === 'discarded') r.text = ''
      if (!isCut) r.cutAtChars = null
      r.state = transition(r.state, { type: 'review', verdict: verdict.type, isEdited, isCut })
      return r
    },
    waiting: () => [...waiting.values()],
    drain () {
      const all = [...waiting.values()]
      waiting.clear()
      return all
    }
  }
}
