/**
 * The coordinator's handle on one generator process (client-proc.ts): forks it and sends it
 * commands over IPC, each answered once. Shared by the fan-out cases (run.ts) and polls.ts.
 */
import { fork, type ChildProcess } from 'node:child_process'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { cpuProfArgs } from './host-proc.js'
import type { ChildCommand } from './protocol.js'

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..')

export class Generator {
  private nextId = 1
  private readonly pending = new Map<number, { resolve: (v: any) => void, reject: (e: Error) => void }>()
  readonly child: ChildProcess
  constructor (child: ChildProcess) {
    this.child = child
    child.on('message', (msg: { id: number, result?: unknown, error?: string }) => {
      const p = this.pending.get(msg.id)
      if (p === undefined) return
      this.pending.delete(msg.id)
      if (msg.error !== undefined) p.reject(new Error(msg.error)); else p.resolve(msg.result)
    })
    child.on('exit', () => { for (const p of this.pending.values()) p.reject(new Error('generator exited')); this.pending.clear() })
  }

  async call<T = any> (cmd: ChildCommand): Promise<T> {
    const id = this.nextId++
    return await new Promise<T>((resolve, reject) => {
      this.pending.set(id, { resolve, reject })
      this.child.send({ id, cmd })
    })
  }
}

export function spawnGenerator (): Generator {
  const child = fork(join(root, 'test', 'bench', 'client-proc.ts'), [], { execArgv: ['--import', 'tsx', '--expose-gc', ...cpuProfArgs()], cwd: root, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] })
  return new Generator(child)
}

/** Asks every generator to close, lets each exit by itself (a profile is written at exit), then makes sure. */
export async function closeGenerators (gens: Generator[]): Promise<void> {
  await Promise.all(gens.map(async g => await g.call({ cmd: 'close' }).catch(() => {})))
  await Promise.all(gens.map(async g => await new Promise(resolve => {
    if (g.child.exitCode !== null) { resolve(null); return }
    const timer = setTimeout(() => { g.child.kill(); resolve(null) }, 5000)
    g.child.once('exit', () => { clearTimeout(timer); resolve(null) })
  })))
}
