/**
 * The room's live signals (PROTOCOL.md "Polls and signals"): a participant says "I'm lost" or
 * "got it" (counted over the last two minutes) or raises a hand (an ordered queue the host can
 * clear). Imports only `typebox`, so `messages.ts` and `admin.ts` can put these in their unions.
 */
import { Type, type Static } from 'typebox'

/** How long "I'm lost" and "got it" count after they were set. */
export const SIGNAL_WINDOW_MS = 2 * 60_000

export const SignalKind = Type.Union([Type.Literal('lost'), Type.Literal('got_it'), Type.Literal('hand')])
export type SignalKind = Static<typeof SignalKind>

/** Client frame: set or take back one signal ("lost" and "got it" replace each other). */
export const SignalFrame = Type.Object({ type: Type.Literal('signal'), kind: SignalKind, on: Type.Boolean() })
export type SignalFrame = Static<typeof SignalFrame>

export const RaisedHand = Type.Object({ user_id: Type.Integer(), username: Type.String(), since: Type.Number() })
export type RaisedHand = Static<typeof RaisedHand>
/** The signals now (no `seq`, coalesced): admin sockets, and `GET /api/admin/signals`. */
export const SignalsState = Type.Object({
  lost: Type.Integer({ minimum: 0 }),
  got_it: Type.Integer({ minimum: 0 }),
  /** oldest first: the order the host takes them in */
  hands: Type.Array(RaisedHand)
})
export type SignalsState = Static<typeof SignalsState>
export const SignalsFrame = Type.Object({ type: Type.Literal('signals'), ...SignalsState.properties })
export type SignalsFrame = Static<typeof SignalsFrame>

/**
 * To one participant: their signal was taken back by the host (a lowered hand) or ran out (lost /
 * got it after the window), so their buttons show it. Additive.
 */
export const SignalClearedFrame = Type.Object({ type: Type.Literal('signal_cleared'), kind: SignalKind })
export type SignalClearedFrame = Static<typeof SignalClearedFrame>

export const LowerHandParams = Type.Object({ user_id: Type.Integer({ minimum: 1 }) })

// ---------------------------------------------------------------- reactions

/** The six reactions, in the order the picker shows them. */
export const REACTION_EMOJI = ['👍', '❤️', '😂', '😮', '🤔', '🎉'] as const
export const ReactionEmoji = Type.Union(REACTION_EMOJI.map(e => Type.Literal(e)))
export type ReactionEmoji = typeof REACTION_EMOJI[number]

/** Client frame: add (`on`) or take back one reaction to a message. */
export const ReactFrame = Type.Object({ type: Type.Literal('react'), message_id: Type.Integer({ minimum: 1 }), emoji: ReactionEmoji, on: Type.Boolean() })
export type ReactFrame = Static<typeof ReactFrame>

/** A message's reaction counts (emoji → n, only those above 0). */
export const ReactionCounts = Type.Record(Type.String(), Type.Integer({ minimum: 1 }))
export type ReactionCounts = Static<typeof ReactionCounts>
/** To everyone, coalesced per message (no `seq`; `GET /api/messages` lists them). */
export const ReactionsFrame = Type.Object({ type: Type.Literal('reactions'), message_id: Type.Integer(), counts: ReactionCounts })
export type ReactionsFrame = Static<typeof ReactionsFrame>
