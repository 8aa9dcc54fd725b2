/**
 * A message's reactions: a chip per emoji someone gave (pressed when it is mine; a tap takes it
 * back), and "add a reaction", which opens the six to choose from.
 */
import { useState } from 'react'
import { REACTION_EMOJI, type ReactionEmoji } from '../../../server/protocol/index.js'
import { useT } from '../i18n/index.js'

interface ReactionBarProps {
  counts: Readonly<Record<string, number>> | undefined
  mine: ReadonlySet<string> | undefined
  onReact: (emoji: ReactionEmoji, on: boolean) => void
}

export function ReactionBar ({ counts, mine, onReact }: ReactionBarProps) {
  const t = useT().reactions
  const [isPicking, setPicking] = useState(false)
  const given = REACTION_EMOJI.filter(e => (counts?.[e] ?? 0) > 0)
  return (
    <span className='reactions' role='group' aria-label={t.label}>
      {given.map(e => {
        const isMine = mine?.has(e) === true
        return (
          <button key={e} type='button' className={isMine ? 'reaction is-mine' : 'reaction'} aria-pressed={isMine} aria-label={t.chip(e, counts?.[e] ?? 0)} onClick={() => onReact(e, !isMine)}>
            <span aria-hidden='true'>{e}</span> {counts?.[e]}
          </button>
        )
      })}
      {isPicking
        ? (
          <span className='reaction-picker'>
            {REACTION_EMOJI.map(e => (
              <button key={e} type='button' className='reaction-picker__item' aria-label={t.give(e)} onClick={() => { onReact(e, mine?.has(e) !== true); setPicking(false) }}>{e}</button>
            ))}
          </span>
          )
        : <button type='button' className='reaction reaction--add' aria-label={t.add} aria-expanded={false} onClick={() => setPicking(true)}><span aria-hidden='true'>☺+</span></button>}
    </span>
  )
}
