/**
 * The join page's name check refuses what the host refuses, before a request: both use
 * server/protocol/names.ts, in the order of server/room/participants.ts.
 */
import { describe, expect, it } from 'vitest'
import { checkUsername } from '../../renderer/shared/validate-name.js'
import { en } from '../../renderer/shared/i18n/en.js'

const problem = (name: string): string | null => checkUsername(name, en).problem

describe('checkUsername', () => {
  it('refuses reserved names in disguise, as the host does', () => {
    for (const name of ['ʜᴏꜱᴛ', 'Ꭺ𝐈', 'MindWeb AI', 'AI assistant', 'Ноѕт', 'A.I.', 'Host 2']) {
      expect(problem(name)).toBe(`"${name}" is reserved. Please pick another name.`)
    }
  })

  it('refuses invisible characters and blank look-alikes', () => {
    for (const name of ['\u2800', '\u3164', 'alice\u2800', 'al\u200Bice', 'Eve\u{E0041}']) {
      expect(problem(name)).toBe(en.join.nameInvisible)
    }
  })

  it('lets ordinary names through, emoji and all', () => {
    for (const name of ['Kim 🦊', '👩‍💻 Ana', 'Al', 'Kai', 'Ольга', 'می\u200Cخواهم']) expect(problem(name)).toBeNull()
  })
})
