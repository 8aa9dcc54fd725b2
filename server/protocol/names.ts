/**
 * What a name may look like, shared by the host and the join page: no invisible characters, not a
 * reserved name in disguise ("ʜᴏꜱᴛ", "Ꭺ𝐈", "MindWeb AI"), and (on the host, which knows the room) not
 * a look-alike of a name already in the lesson ("alicе" with a Cyrillic е next to "alice").
 *
 * Look-alikes are found as in Unicode TR39 §4 (https://www.unicode.org/reports/tr39/#Confusable_Detection):
 * two names are confusable when their *skeletons* are equal, a skeleton being the name decomposed
 * (NFKD here, which also folds full-width and mathematical letters), with each character replaced
 * by its prototype from the confusables table. The table below is a small part of TR39's
 * confusables.txt: the Cyrillic, Greek, Cherokee, small-capital and digit look-alikes of Latin
 * letters, which is what an impersonation in a classroom uses. Two skeletons are compared: the
 * case-sensitive one of TR39 (so "Iily" meets "lily": I and l look alike) and one of the lowercased
 * name, because names in a room are unique regardless of case. Multi-letter prototypes ("rn" for
 * "m", "cl" for "d") only count in the case-sensitive one, where "Clara" is not "dara".
 */

/** Words no name may consist of, alone or together ("AI assistant", "MindWeb AI", "Host 2"). */
export const RESERVED_WORDS = ['ai', 'host', 'admin', 'system', 'mindweb', 'moderator', 'assistant'] as const
/** Words that only make a reserved word look more official; a name of them alone is fine. */
const FILLER_WORDS = ['the', 'bot', 'official', 'real']

/**
 * Characters that show nothing, or may show nothing: default-ignorable and format characters,
 * private-use and unassigned ones, line and paragraph separators, lone surrogates, and the blanks
 * that are letters or symbols to Unicode (Braille blank U+2800, the Hangul fillers).
 */
const INVISIBLE = /[\p{Default_Ignorable_Code_Point}\p{Cf}\p{Co}\p{Cn}\p{Cs}\p{Zl}\p{Zp}\u2800\u115F\u1160\u3164\uFFA0]/u
const INVISIBLE_ALL = new RegExp(INVISIBLE.source, 'gu')
// The invisible characters a visible text needs: ZWJ and variation selectors inside an emoji, the
// tag characters of a subdivision flag, and ZWJ/ZWNJ between letters (Persian, Indic scripts).
const EMOJI_JOINERS = /(?<=[\p{Emoji}\p{Emoji_Modifier}\u20E3])[\uFE0E\uFE0F]|(?<=[\p{Extended_Pictographic}\p{Emoji_Modifier}\uFE0F])\u200D(?=\p{Extended_Pictographic})|\u{1F3F4}[\u{E0020}-\u{E007E}]+\u{E007F}/gu
const LETTER_JOINERS = /(?<=[\p{L}\p{M}])[\u200C\u200D](?=[\p{L}\p{M}])/gu

/** True when the name holds a character that shows nothing (beyond those visible text needs). */
export function hasInvisibleCharacters (name: string): boolean {
  return INVISIBLE.test(name.replace(EMOJI_JOINERS, '').replace(LETTER_JOINERS, ''))
}

/** True when nothing of the name can be seen: only spaces, marks and invisible characters. */
export function isBlankName (name: string): boolean {
  return name.replace(INVISIBLE_ALL, '').replace(/[\s\p{M}]/gu, '') === ''
}

// ---------------------------------------------------------------- the confusables table

/** [look-alike, prototype] from TR39's confusables.txt (prototypes as there, but lowercase for small capitals). */
const TABLE = [
  // Cyrillic
  'аa вb еe зɜ іi ӏi јj кk мm нh оo рp сc ѕs тt уy хx ԁd ԛq ԝw үy һh ɡg',
  'АA ВB ЕE ЗƷ ІI ЈJ КK МM НH ОO РP СC ЅS ТT УY ХX ҮY ҺH ӀI ԚQ ԜW',
  // Greek
  'αa βb εe ηh ιi κk μm νv οo ρp τt υy χx',
  'ΑA ΒB ΕE ΖZ ΗH ΙI ΚK ΜM ΝN ΟO ΡP ΤT ΥY ΧX',
  // Cherokee (their lowercase forms are added below)
  'ᎪA ᏴB ᏟC ᎠD ᎬE ᏀG ᎻH ᎫJ ᏦK ᏞL ᎷM ᏢP ᏚS ᎢT ᏙV ᏔW ᏃZ',
  // Latin small capitals and other Latin look-alikes
  'ᴀa ʙb ᴄc ᴅd ᴇe ꜰf ɢg ʜh ɪi ᴊj ᴋk ʟl ᴍm ɴn ᴏo ᴘp ʀr ꜱs ᴛt ᴜu ᴠv ᴡw ʏy ᴢz ıi ȷj ɑa ǀl',
  // digits and the capital I, as in confusables.txt
  '0O 1l Il'
].join(' ').split(' ').map(pair => [...pair] as [string, string])

const CASED = new Map<string, string>(TABLE)
const LOWER = new Map<string, string>()
for (const [from, to] of TABLE) {
  // the lowercased skeleton: lowercase look-alikes of lowercase letters ("I" is "i" there, not "l")
  if (from === 'I') continue
  LOWER.set(from.toLowerCase(), to.toLowerCase())
}

// What a skeleton leaves out: invisible characters; in the reserved check also spacing, punctuation,
// symbols and accents (so "h-o-s-t", "HOST 🤖" and "Hóst" are Host).
const LOOSE_DROP = /[\s\p{P}\p{S}\p{M}]/gu

function skeleton (name: string, table: ReadonlyMap<string, string>): string {
  return [...name.normalize('NFKD').replace(INVISIBLE_ALL, '')].map(ch => table.get(ch) ?? ch).join('').normalize('NFD')
}

/** The lowercased skeleton, loosened for the reserved check. */
function looseSkeleton (name: string): string {
  return skeleton(name.normalize('NFKD').toLowerCase(), LOWER).replace(LOOSE_DROP, '')
}

/** The two skeletons that two names are compared by (TR39's, and the lowercased one). */
export function nameSkeletons (name: string): [string, string] {
  const cased = skeleton(name, CASED).replace(/\s+/gu, ' ').replace(/rn/g, 'm').replace(/cl/g, 'd')
  const lower = skeleton(name.normalize('NFKD').toLowerCase(), LOWER).replace(/\s+/gu, ' ')
  return [cased, lower]
}

/** True when two names look alike (equal skeletons). */
export function areConfusable (a: string, b: string): boolean {
  const [x1, x2] = nameSkeletons(a)
  const [y1, y2] = nameSkeletons(b)
  return x1 === y1 || x2 === y2
}

const RESERVED_KEYS = RESERVED_WORDS.map(looseSkeleton)
const FILLER_KEYS = FILLER_WORDS.map(looseSkeleton)

/**
 * True when the name is a reserved word in disguise, or reserved words together, optionally with
 * filler words and numbers ("AI assistant", "The Host", "Host 2", "MindWeb AI").
 */
export function isReservedName (name: string): boolean {
  const key = looseSkeleton(name)
  if (key === '') return false
  // reach[i]: the first i characters split into words; 1 = fillers only so far, 2 = a reserved word among them
  const reach = new Array<number>(key.length + 1).fill(0)
  reach[0] = 1
  for (let i = 0; i < key.length; i++) {
    const at = reach[i]!
    if (at === 0) continue
    const step = (length: number, isReserved: boolean): void => {
      const next = i + length
      reach[next] = Math.max(reach[next]!, isReserved ? 2 : at)
    }
    for (const word of RESERVED_KEYS) if (key.startsWith(word, i)) step(word.length, true)
    for (const word of FILLER_KEYS) if (key.startsWith(word, i)) step(word.length, false)
    const digits = /^\p{Nd}+/u.exec(key.slice(i))
    if (digits !== null) step(digits[0].length, false)
  }
  return reach[key.length] === 2
}
