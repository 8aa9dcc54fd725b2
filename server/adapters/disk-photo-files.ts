/**
 * PhotoFiles on the file system: one folder (`photos/` in the host's data folder), files named by
 * the photo's random id. A name is checked before it touches a path, so nothing outside the folder
 * is ever read or removed.
 */
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import type { PhotoFiles } from '../ports.js'

const SAFE_NAME = /^[A-Za-z0-9_-]{1,64}(\.[a-z]{1,8})?$/

export function createDiskPhotoFiles (dir: string): PhotoFiles {
  // made with the first photo: a room that never sees one has no folder for them
  let made: Promise<unknown> | null = null
  const pathOf = (name: string): string => {
    if (!SAFE_NAME.test(name)) throw new Error(`not a photo file name: ${name}`)
    return join(dir, name)
  }
  return {
    async write (name, data) {
      // written whole or not at all: a crash mid-write leaves no half photo under its name
      const path = pathOf(name)
      made ??= mkdir(dir, { recursive: true })
      await made
      await writeFile(`${path}.part`, data)
      await rename(`${path}.part`, path)
    },
    async read (name) {
      try {
        return await readFile(pathOf(name))
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null
        throw err
      }
    },
    async remove (name) {
      await rm(pathOf(name), { force: true })
    }
  }
}
