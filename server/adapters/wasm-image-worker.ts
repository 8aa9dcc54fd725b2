/**
 * The image codec's worker thread (wasm-image-codec.ts starts it): decodes an upload that passed
 * the header check, caps it and its thumbnail, turns both upright and encodes them anew. Decoding
 * a 12-megapixel photo takes a few hundred milliseconds of CPU, which here never holds up the
 * host's event loop. The codecs are Squoosh's, as the jSquash packages ship them: MozJPEG, libwebp
 * and the Rust `png` crate, each a WebAssembly module compiled once by the codec and handed over in
 * workerData; their JavaScript glue is instantiated with it, as jSquash's own `init(module)` does.
 * GIF is omggif (plain JavaScript), first frame; resizing is image-pixels.ts. Nothing of the input's
 * metadata (EXIF, GPS, XMP, ICC) can reach the output: it is encoded from pixels only.
 * @see https://github.com/jamsinclair/jSquash#usage-in-nodejs
 */
import { parentPort, workerData } from 'node:worker_threads'
import mozjpegDecoder from '@jsquash/jpeg/codec/dec/mozjpeg_dec.js'
import mozjpegEncoder from '@jsquash/jpeg/codec/enc/mozjpeg_enc.js'
import { defaultOptions as jpegDefaults } from '@jsquash/jpeg/meta.js'
import webpDecoder from '@jsquash/webp/codec/dec/webp_dec.js'
import webpEncoder from '@jsquash/webp/codec/enc/webp_enc_simd.js'
import { defaultOptions as webpDefaults } from '@jsquash/webp/meta.js'
import { decode as decodePngWasm, initSync as initPng } from '@jsquash/png/codec/pkg/squoosh_png.js'
import { GifReader } from 'omggif'
import { boxShrink, fitInside, orient, resample, type Pixels } from './image-pixels.js'
import type { ImageFormat } from './image-header.js'

/** What the codec sends: the bytes (transferred), what their header said, the sizes to make. */
export interface WorkerJob {
  id: number
  input: Uint8Array
  format: ImageFormat
  width: number
  height: number
  hasAlpha: boolean
  orientation: number
  fullSide: number
  thumbSide: number
}
export interface WorkerImage { data: Uint8Array, mimeType: 'image/jpeg' | 'image/webp', width: number, height: number }
export type WorkerReply = { id: number, ok: true, full: WorkerImage, thumb: WorkerImage } | { id: number, ok: false, reason: string }
/** The compiled modules, by codec. */
export interface WorkerModules {
  jpegDecode: WebAssembly.Module
  jpegEncode: WebAssembly.Module
  webpDecode: WebAssembly.Module
  webpEncode: WebAssembly.Module
  png: WebAssembly.Module
}

const JPEG_QUALITY = 85
const WEBP_QUALITY = 85
const THUMB_QUALITY = 75

// The glue of the decoders and the resizer makes ImageData objects, a browser type Node lacks.
const g = globalThis as { ImageData?: unknown }
g.ImageData ??= class ImageData {
  data: Uint8ClampedArray
  width: number
  height: number
  constructor (data: Uint8ClampedArray, width: number, height: number) {
    this.data = data
    this.width = width
    this.height = height
  }
}

// What the Emscripten glue gives (its own typings name browser types that Node's lack).
type RawImage = { data: Uint8ClampedArray, width: number, height: number }
interface Decoder { decode (data: Uint8Array, preserveOrientation?: boolean): RawImage | null }
interface Encoder<Options> { encode (data: Uint8ClampedArray, width: number, height: number, options: Options): Uint8Array | null }
type Factory = (overrides: object) => Promise<unknown>

const modules = (workerData as { modules: WorkerModules }).modules
/** An Emscripten module instantiated with a compiled module, without fetching its .wasm file. */
const instantiate = async <T>(factory: Factory, module: WebAssembly.Module): Promise<T> => await factory({
  noInitialRun: true,
  // libjpeg's warnings ("Corrupt JPEG data…") would go to the host's stderr, unasked.
  print: () => {},
  printErr: () => {},
  instantiateWasm: (imports: WebAssembly.Imports, done: (i: WebAssembly.Instance) => void) => {
    const instance = new WebAssembly.Instance(module, imports)
    done(instance)
    return instance.exports
  }
}) as T
const ready = Promise.all([
  instantiate<Decoder>(mozjpegDecoder, modules.jpegDecode),
  instantiate<Encoder<typeof jpegDefaults>>(mozjpegEncoder, modules.jpegEncode),
  instantiate<Decoder>(webpDecoder, modules.webpDecode),
  instantiate<Encoder<typeof webpDefaults>>(webpEncoder, modules.webpEncode)
]).then(([jpegDecode, jpegEncode, webpDecode, webpEncode]) => {
  initPng(modules.png)
  return { jpegDecode, jpegEncode, webpDecode, webpEncode }
})
type Codecs = Awaited<typeof ready>

parentPort!.on('message', (job: WorkerJob) => {
  ready.then(codecs => {
    const { full, thumb } = reencode(codecs, job)
    const reply: WorkerReply = { id: job.id, ok: true, full, thumb }
    parentPort!.postMessage(reply, [full.data.buffer as ArrayBuffer, thumb.data.buffer as ArrayBuffer])
  }).catch((error: unknown) => {
    const reply: WorkerReply = { id: job.id, ok: false, reason: error instanceof Error ? error.message : String(error) }
    parentPort!.postMessage(reply)
  })
})

function reencode (codecs: Codecs, job: WorkerJob): { full: WorkerImage, thumb: WorkerImage } {
  const decoded = decode(codecs, job)
  if (decoded.width !== job.width || decoded.height !== job.height) throw new Error(`decoded ${decoded.width}×${decoded.height}, the header said ${job.width}×${job.height}`)
  // Sizes are reckoned upright; the pixels are resized as stored and turned last, when they are few.
  const isSwapped = job.orientation >= 5
  const fit = (side: number): { width: number, height: number } => {
    const upright = fitInside(isSwapped ? decoded.height : decoded.width, isSwapped ? decoded.width : decoded.height, side)
    return isSwapped ? { width: upright.height, height: upright.width } : upright
  }
  const full = resize(decoded, fit(job.fullSide), job.hasAlpha)
  const thumb = resize(full, fit(job.thumbSide), job.hasAlpha)
  return {
    // JPEG for photos, WebP where transparency must survive (and for thumbnails: smaller).
    full: encode(codecs, orient(full, job.orientation), job.hasAlpha ? 'image/webp' : 'image/jpeg', job.hasAlpha ? WEBP_QUALITY : JPEG_QUALITY),
    thumb: encode(codecs, orient(thumb, job.orientation), 'image/webp', THUMB_QUALITY)
  }
}

function decode (codecs: Codecs, job: WorkerJob): Pixels {
  const bytes = job.input
  switch (job.format) {
    case 'jpeg': return owned(codecs.jpegDecode.decode(bytes, false)) // false: turned here, after resizing
    case 'webp': return owned(codecs.webpDecode.decode(bytes))
    case 'png': return owned(decodePngWasm(bytes))
    case 'gif': {
      const reader = new GifReader(bytes)
      const data = new Uint8ClampedArray(reader.width * reader.height * 4)
      reader.decodeAndBlitFrameRGBA(0, data)
      return { data, width: reader.width, height: reader.height }
    }
  }
}

/** Lanczos3, after a box shrink by a whole factor when the reduction is large (leaving Lanczos3 at least a halving, as libvips's gap of 2). */
function resize (src: Pixels, to: { width: number, height: number }, hasAlpha: boolean): Pixels {
  if (src.width === to.width && src.height === to.height) return src
  const factor = Math.floor(Math.min(src.width / to.width, src.height / to.height) / 2)
  return resample(factor >= 2 ? boxShrink(src, factor, hasAlpha) : src, to.width, to.height, hasAlpha)
}

function encode (codecs: Codecs, pixels: Pixels, mimeType: WorkerImage['mimeType'], quality: number): WorkerImage {
  const { data, width, height } = pixels
  const out = mimeType === 'image/jpeg'
    // Baseline with optimised Huffman tables and MozJPEG's trellis quantisation: half the time of
    // a progressive file for a few per cent more bytes.
    ? codecs.jpegEncode.encode(data, width, height, { ...jpegDefaults, quality, progressive: false })
    : codecs.webpEncode.encode(data, width, height, { ...webpDefaults, quality })
  if (out === null) throw new Error(`could not encode ${mimeType}`)
  return { data: new Uint8Array(out), mimeType, width, height }
}

/** The decoder's result with pixels that own their buffer, or the decoder's refusal. */
function owned (image: RawImage | null): Pixels {
  if (image === null) throw new Error('the decoder refused the image')
  const { data, width, height } = image
  const isWhole = data.byteOffset === 0 && data.buffer.byteLength === data.length && data.length === width * height * 4
  return { data: isWhole ? data : new Uint8ClampedArray(data), width, height }
}
