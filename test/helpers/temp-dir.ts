/** A fresh temporary directory, removed when the test ends. */
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import type { TestContext } from 'node:test'

/** Creates a directory under the OS temp dir and registers its removal in `t.after`. */
export function tempDir (t: TestContext, prefix = 'mindweb-'): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix))
  t.after(() => fs.rmSync(dir, { recursive: true, force: true }))
  return dir
}
