/**
 * Starter word list (en): common swear words and insults.
 * Data only: the host edits the room's own list in the console; this seeds it.
 */
export const words: readonly string[] = [
  'fuck',
  'fucking',
  'fucker',
  'motherfucker',
  'shit',
  'bullshit',
  'bitch',
  'bastard',
  'asshole',
  'dickhead',
  'cunt',
  'wanker',
  'twat',
  'prick',
  'piss off',
  'slut',
  'whore',
  'retard',
  'retarded',
  'kill yourself',
  'kys',
  'go die',
  'nigger',
  'faggot'
]
