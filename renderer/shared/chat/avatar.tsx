/** A round emoji avatar with a soft colour per participant (or the AI's mark). */
import type { CSSProperties } from 'react'
import { avatarHue } from '../format.js'

interface AvatarProps {
  emoji: string
  userId: number | null
  isAi?: boolean
  isHidden?: boolean
}

export function Avatar ({ emoji, userId, isAi = false, isHidden = false }: AvatarProps) {
  const className = `avatar${isAi ? ' avatar--ai' : ''}${isHidden ? ' avatar--spacer' : ''}`
  if (isHidden) return <span className={className} aria-hidden='true' />
  return (
    <span className={className} aria-hidden='true' style={isAi ? undefined : { '--hue': avatarHue(userId) } as CSSProperties}>
      {emoji}
    </span>
  )
}
