/**
 * Friendly default identities ("Curious Otter" 🦦) and the emoji a participant can pick from.
 * Every animal's emoji is in the picker, so a suggested name comes with a matching face.
 */
import type { Messages } from './i18n/index.js'

export type AnimalId = keyof Messages['nameAnimals']

export const ANIMAL_EMOJI: Record<AnimalId, string> = {
  fox: '🦊',
  panda: '🐼',
  owl: '🦉',
  koala: '🐨',
  dolphin: '🐬',
  penguin: '🐧',
  hedgehog: '🦔',
  rabbit: '🐰',
  turtle: '🐢',
  tiger: '🐯',
  whale: '🐳',
  bee: '🐝',
  frog: '🐸',
  lion: '🦁',
  unicorn: '🦄',
  octopus: '🐙',
  butterfly: '🦋',
  otter: '🦦',
  chick: '🐥',
  monkey: '🐵'
}

/** The picker's 24 emoji: the animals, then a few things. */
export const PICKER_EMOJI: readonly string[] = [...Object.values(ANIMAL_EMOJI), '🌻', '🚀', '🎨', '⭐']

export interface SuggestedIdentity {
  username: string
  emoji: string
}

/** A random "Adjective Animal" in the page's language, with the animal's emoji. */
export function suggestIdentity (t: Messages, random: () => number = Math.random): SuggestedIdentity {
  const ids = Object.keys(ANIMAL_EMOJI) as AnimalId[]
  const animal = ids[Math.floor(random() * ids.length)] ?? 'otter'
  const adjective = t.nameAdjectives[Math.floor(random() * t.nameAdjectives.length)] ?? ''
  // Chinese adjectives already end in 的 and need no space.
  const separator = t.locale.startsWith('zh') ? '' : ' '
  return { username: `${adjective}${separator}${t.nameAnimals[animal]}`.trim(), emoji: ANIMAL_EMOJI[animal] }
}
