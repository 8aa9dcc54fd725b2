/**
 * ImageCodec on WebAssembly (the jSquash packages' MozJPEG, libwebp and PNG modules, and omggif),
 * so the desktop app carries about 1 MB of codecs instead of libvips. An upload is judged
 * by its content: its header is read here (image-header.ts) and anything that is not a whole JPEG,
 * PNG, WebP or GIF, or that would decode to more than 80 megapixels, is refused before any pixel is
 * decoded. The rest runs in worker threads (wasm-image-worker.ts), at most a few at a time: turned
 * upright, capped in size and encoded anew from pixels, which drops every bit of metadata (EXIF,
 * GPS, XMP, ICC): a photo of homework must not carry a home address.
 * The worker script sits beside this file (.ts under tsx, .js in out/server, .cjs in the desktop
 * bundle, unpacked from the asar there so that the thread loads it from a plain file); the .wasm
 * files are read from node_modules by this thread, where Electron's fs also reads them from the asar.
 * @see https://nodejs.org/api/worker_threads.html#portpostmessagevalue-transferlist (WebAssembly.Module is cloned)
 */
import { existsSync, readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { availableParallelism } from 'node:os'
import { extname, join } from 'node:path'
import { Worker } from 'node:worker_threads'
import type { EncodedImage, ImageCodec } from '../ports.js'
import { Errors } from '../errors.js'
import { readImageHeader } from './image-header.js'
import type { WorkerImage, WorkerJob, WorkerModules, WorkerReply } from './wasm-image-worker.js'

/** Longest side of the stored photo, and of its thumbnail. */
export const MAX_SIDE_PX = 2048
export const THUMB_SIDE_PX = 320
/** A decompression bomb is refused before it is decoded (a 12-megapixel phone photo is far below). */
export const MAX_INPUT_PIXELS = 80_000_000
/** A worker that decoded more than this ends after it, and the memory its codecs grew goes with it. */
const RECYCLE_PIXELS = 16_000_000

const WASM: Record<keyof WorkerModules, string> = {
  jpegDecode: '@jsquash/jpeg/codec/dec/mozjpeg_dec.wasm',
  jpegEncode: '@jsquash/jpeg/codec/enc/mozjpeg_enc.wasm',
  webpDecode: '@jsquash/webp/codec/dec/webp_dec.wasm',
  webpEncode: '@jsquash/webp/codec/enc/webp_enc_simd.wasm',
  png: '@jsquash/png/codec/pkg/squoosh_png_bg.wasm'
}

export interface WasmImageCodecOptions {
  /** worker threads at most (default: one per core but one, at least 1, at most 4) */
  workers?: number
  /** an idle worker ends after this long (default 30 s) */
  idleMs?: number
  /** a photo still being worked on after this long is refused, and its worker ended (default 60 s) */
  timeoutMs?: number
}

export function createWasmImageCodec (o: WasmImageCodecOptions = {}): ImageCodec {
  const pool = createPool({
    size: o.workers ?? Math.max(1, Math.min(4, availableParallelism() - 1)),
    idleMs: o.idleMs ?? 30_000,
    timeoutMs: o.timeoutMs ?? 60_000
  })
  return {
    async reencode (input) {
      const header = readImageHeader(input)
      if (header === null || header.width * header.height > MAX_INPUT_PIXELS) throw Errors.fileType()
      // A copy the worker takes over (the upload's Buffer may be a view of a larger one).
      const copy = new Uint8Array(input)
      const result = await pool.run({ ...header, input: copy, fullSide: MAX_SIDE_PX, thumbSide: THUMB_SIDE_PX }, [copy.buffer])
      if (result === null) throw Errors.fileType()
      return { full: encoded(result.full), thumb: encoded(result.thumb) }
    }
  }
}

const encoded = (image: WorkerImage): EncodedImage => ({ ...image, data: Buffer.from(image.data.buffer, image.data.byteOffset, image.data.length) })

type Job = Omit<WorkerJob, 'id'>
interface Pending { job: WorkerJob, transfer: ArrayBuffer[], resolve: (r: { full: WorkerImage, thumb: WorkerImage } | null) => void, reject: (e: Error) => void }
interface Slot { worker: Worker, pending: Pending | null, idle: NodeJS.Timeout | null, timeout: NodeJS.Timeout | null }

/**
 * Worker threads, started when needed and ended when idle; each works on one photo at a time and
 * the others wait their turn in order. run() resolves null when the codec refused the image (it
 * could not decode it, or took too long), and rejects when a worker itself failed (a broken install).
 */
function createPool (o: { size: number, idleMs: number, timeoutMs: number }): { run: (job: Job, transfer: ArrayBuffer[]) => Promise<{ full: WorkerImage, thumb: WorkerImage } | null> } {
  const slots: Slot[] = []
  const queue: Pending[] = []
  let nextId = 1

  const end = (slot: Slot): void => {
    slots.splice(slots.indexOf(slot), 1)
    if (slot.idle !== null) clearTimeout(slot.idle)
    if (slot.timeout !== null) clearTimeout(slot.timeout)
    slot.worker.terminate().catch(() => {})
  }
  const finish = (slot: Slot): Pending => {
    const pending = slot.pending!
    slot.pending = null
    if (slot.timeout !== null) clearTimeout(slot.timeout)
    slot.timeout = null
    return pending
  }
  const spawn = (compiled: WorkerModules): Slot => {
    const slot: Slot = { worker: new Worker(workerPath(), { workerData: { modules: compiled } }), pending: null, idle: null, timeout: null }
    slot.worker.on('message', (reply: WorkerReply) => {
      if (slot.pending?.job.id !== reply.id) return
      const pending = finish(slot)
      pending.resolve(reply.ok ? { full: reply.full, thumb: reply.thumb } : null)
      if (pending.job.width * pending.job.height > RECYCLE_PIXELS) end(slot)
      else rest(slot)
      pump(compiled)
    })
    // A worker that fails or stops by itself (not ended here) takes its photo with it: a broken install.
    const lost = (error: Error): void => {
      if (slot.pending !== null) finish(slot).reject(error)
      if (slots.includes(slot)) end(slot)
      pump(compiled)
    }
    slot.worker.on('error', lost)
    slot.worker.on('exit', (code) => { if (slots.includes(slot)) lost(new Error(`the image worker stopped (exit code ${code})`)) })
    slots.push(slot)
    return slot
  }
  const rest = (slot: Slot): void => {
    slot.worker.unref() // an idle worker never keeps the process alive
    slot.idle = setTimeout(() => end(slot), o.idleMs)
    slot.idle.unref()
  }
  const pump = (compiled: WorkerModules): void => {
    while (queue.length > 0) {
      const slot = slots.find(s => s.pending === null) ?? (slots.length < o.size ? spawn(compiled) : undefined)
      if (slot === undefined) return
      const pending = queue.shift()!
      if (slot.idle !== null) clearTimeout(slot.idle)
      slot.idle = null
      slot.pending = pending
      slot.worker.ref()
      slot.timeout = setTimeout(() => {
        finish(slot).resolve(null)
        end(slot)
        pump(compiled)
      }, o.timeoutMs)
      slot.worker.postMessage(pending.job, pending.transfer)
    }
  }

  return {
    async run (job, transfer) {
      compiled ??= compileModules()
      const modules = await compiled
      return await new Promise((resolve, reject) => {
        queue.push({ job: { ...job, id: nextId++ }, transfer, resolve, reject })
        pump(modules)
      })
    }
  }
}

/** Compiled once for the process, when the first photo arrives; every worker gets the same modules. */
let compiled: Promise<WorkerModules> | null = null

/** Compiles each codec's .wasm, from node_modules (inside the app's asar on the desktop). */
async function compileModules (): Promise<WorkerModules> {
  const require = createRequire(import.meta.url)
  const entries = await Promise.all(Object.entries(WASM).map(async ([name, spec]) => [name, await WebAssembly.compile(readFileSync(require.resolve(spec)))] as const))
  return Object.fromEntries(entries) as unknown as WorkerModules
}

/** The worker script beside this module, as a plain file (app.asar.unpacked when this runs from an asar). */
function workerPath (): string {
  const path = join(import.meta.dirname, `wasm-image-worker${extname(import.meta.filename)}`)
  const unpacked = path.replace(/\.asar([\\/])/, '.asar.unpacked$1')
  return unpacked !== path && existsSync(unpacked) ? unpacked : path
}
