/**
 * Polls as a service: the host opens, shows and closes a poll (each a persisted `poll_update`);
 * participants answer from the room's socket. Live counts are coalesced per poll: an answer only
 * marks its poll dirty, and one timer per poll sends `poll_results` at most every `flushMs`, so a
 * burst of 300 answers costs a handful of frames, not 300 frames to every socket. Counts are read
 * from the store when sent, so the last frame is exact.
 *
 * Answers are written by group commit: those that arrive in one turn of the event loop are checked
 * at once (an error frame straight away for a closed poll or a bad index), then written with their
 * rate-limit charges in one transaction at the end of the turn. A burst of 10,000 votes is then a
 * few dozen commits, not 20,000. An answer is never acknowledged, so none is confirmed before it is
 * stored; anything that reads or changes a poll writes what is waiting first.
 */
import type { FastifyBaseLogger } from 'fastify'
import type { PollAnswer, PollAnswerInput, PollRecord, PollStep, PollStore, PollTally, RoomEvent } from '../../ports.js'
import type { PollKind } from '../../protocol/index.js'
import { Errors, toAppError, type AppError } from '../../errors.js'
import type { Hub } from '../engine/hub.js'
import type { Limits } from '../../limits/index.js'
import { pollResultsFrame, pollUpdateFrame } from '../frames.js'
import { checkAnswer, checkNewPoll } from './poll-rules.js'

export interface Polls {
  /** Opens a poll (ERR_VALIDATION when the host's poll is not well formed). */
  create (input: { question: string, kind: PollKind, options?: string[] | undefined, correct?: number[] | undefined }): PollRecord
  /**
   * A participant's answer from `address`; replaces their earlier one. Throws at once when the poll
   * is unknown or closed or the answer is malformed; it is written at the end of this turn, and
   * `refused` hears of a refusal then (the participant answers too fast, or the disk is full).
   */
  answer (userId: number, address: string | null, input: { pollId: number, choice?: number[] | undefined, text?: string | undefined }, refused: (err: AppError) => void): void
  /** Writes the answers waiting for the end of this turn now (a test, or a read that must see them). */
  flush (): void
  /** Shows or hides the results to participants; false when nothing changed. */
  showResults (id: number, isShown: boolean): { poll: PollRecord, isChanged: boolean }
  /** Closes a poll (closing a closed one changes nothing). */
  close (id: number): { poll: PollRecord, isChanged: boolean }
  get (id: number): PollRecord | null
  /** The refusal for an unknown poll (ERR_NOT_FOUND). */
  notFound (id: number): Error
  list (scope?: 'current' | 'all'): PollRecord[]
  tally (id: number): PollTally
  answers (id: number): PollAnswer[]
  answersOf (userId: number): Map<number, PollAnswer>
  /** Stops the timers (the app is closing). */
  stop (): void
}

export interface PollsOptions {
  polls: PollStore
  hub: Hub
  limits: Limits
  logger: FastifyBaseLogger
  /** the shortest gap between two `poll_results` of one poll (default 250 ms: four a second) */
  flushMs?: number
}

/** Creates the polls service. */
export function createPolls (o: PollsOptions): Polls {
  const flushMs = o.flushMs ?? 250
  /** per poll with unsent counts: its timer */
  const timers = new Map<number, NodeJS.Timeout>()
  /** per poll: when its counts were last sent */
  const lastSent = new Map<number, number>()

  function mustGet (id: number): PollRecord {
    const poll = o.polls.getPoll(id)
    if (poll === null) throw Errors.pollNotFound(id)
    return poll
  }

  /** The persisted step to everyone; the host's sockets get the counts right after when participants do not. */
  function broadcast (s: { step: PollStep, event: RoomEvent }): void {
    const frame = pollUpdateFrame(s.event.seq, s.step, 'participant')
    o.hub.broadcast(frame)
    if (frame.counts === null) o.hub.broadcastAdmin(pollResultsFrame(s.step.poll_id, s.step))
  }

  function sendResults (pollId: number): void {
    timers.delete(pollId)
    lastSent.set(pollId, Date.now())
    try {
      const poll = o.polls.getPoll(pollId)
      if (poll === null || poll.status !== 'open') return
      const frame = pollResultsFrame(pollId, o.polls.tally(pollId))
      if (poll.showResults) o.hub.broadcast(frame)
      else o.hub.broadcastAdmin(frame)
    } catch (err) {
      o.logger.warn({ err: (err as Error).message, pollId }, 'could not send a poll\'s counts')
    }
  }

  /** The poll's counts changed: they go out at its next turn, never more than once per `flushMs`. */
  function markDirty (pollId: number): void {
    if (timers.has(pollId)) return
    const wait = Math.max(0, (lastSent.get(pollId) ?? 0) + flushMs - Date.now())
    const timer = setTimeout(() => sendResults(pollId), wait)
    timer.unref()
    timers.set(pollId, timer)
  }

  interface Waiting { input: PollAnswerInput, address: string | null, refused: (err: AppError) => void }
  /** answers checked in this turn, to be written at its end */
  let waiting: Waiting[] = []
  let flushing: NodeJS.Immediate | null = null

  function flush (): void {
    if (flushing !== null) clearImmediate(flushing)
    flushing = null
    if (waiting.length === 0) return
    const batch = waiting
    waiting = []
    const of = new Map(batch.map(w => [w.input, w]))
    const tell = (w: Waiting | undefined, err: unknown): void => {
      try {
        w?.refused(toAppError(err))
      } catch (e) {
        o.logger.warn({ err: (e as Error).message }, 'could not send a poll answer\'s refusal')
      }
    }
    try {
      o.polls.answerMany(batch.map(w => w.input), input => o.limits.admitPollAnswer(input.userId, of.get(input)!.address), (input, err) => tell(of.get(input), err))
    } catch (err) {
      o.logger.error({ err: (err as Error).message, count: batch.length }, 'could not save poll answers')
      for (const w of batch) tell(w, err)
      return
    }
    for (const pollId of new Set(batch.map(w => w.input.pollId))) markDirty(pollId)
  }

  function cancel (pollId: number): void {
    const timer = timers.get(pollId)
    if (timer !== undefined) clearTimeout(timer)
    timers.delete(pollId)
  }

  return {
    create (input) {
      const checked = checkNewPoll(input)
      const created = o.polls.createPoll({ ...checked, at: Date.now() })
      broadcast(created)
      o.logger.info({ pollId: created.poll.id, kind: checked.kind }, 'poll opened')
      return created.poll
    },
    answer (userId, address, input, refused) {
      const poll = mustGet(input.pollId)
      if (poll.status !== 'open') throw Errors.pollClosed()
      const checked = checkAnswer(poll, input)
      waiting.push({ input: { pollId: poll.id, userId, choice: checked.choice, text: checked.text, at: Date.now() }, address, refused })
      flushing ??= setImmediate(flush)
    },
    flush,
    showResults (id, isShown) {
      flush()
      mustGet(id)
      const changed = o.polls.setShowResults({ id, showResults: isShown, at: Date.now() })
      if (changed === null) return { poll: mustGet(id), isChanged: false }
      broadcast(changed)
      return { poll: changed.poll, isChanged: true }
    },
    close (id) {
      flush()
      mustGet(id)
      const closed = o.polls.closePoll({ id, at: Date.now() })
      if (closed === null) return { poll: mustGet(id), isChanged: false }
      // The final counts travel in the closing frame: a live count still waiting is not needed.
      cancel(id)
      broadcast(closed)
      return { poll: closed.poll, isChanged: true }
    },
    get: (id) => o.polls.getPoll(id),
    notFound: (id) => Errors.pollNotFound(id),
    list: (scope) => o.polls.listPolls(scope),
    tally: (id) => { flush(); return o.polls.tally(id) },
    answers: (id) => { flush(); return o.polls.answers(id) },
    answersOf: (userId) => { flush(); return o.polls.answersOf(userId) },
    stop () {
      flush()
      for (const id of [...timers.keys()]) cancel(id)
    }
  }
}
