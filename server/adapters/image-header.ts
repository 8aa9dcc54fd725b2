/**
 * What an upload is, read from its bytes alone (its name and the browser's type are never
 * trusted): the format by its signature, the size from its header, whether it keeps transparency,
 * and the EXIF orientation. It decodes no pixel, so the image codec refuses a decompression bomb or a
 * cut-off file before any decoder runs. Plain byte reading: JPEG markers, PNG chunks, WebP's RIFF
 * chunks, GIF's screen descriptor, and the one EXIF tag (0x0112) in IFD0.
 * @see https://www.w3.org/Graphics/JPEG/itu-t81.pdf (B.1.1.3 markers, B.2.2 frame header)
 * @see https://www.w3.org/TR/png-3/#11IHDR (and 11eXIf, 11tRNS)
 * @see https://developers.google.com/speed/webp/docs/riff_container
 * @see https://www.cipa.jp/std/documents/e/DC-X008-Translation-2019-E.pdf (TIFF header, IFD0, Orientation)
 */

export type ImageFormat = 'jpeg' | 'png' | 'webp' | 'gif'

export interface ImageHeader {
  format: ImageFormat
  /** as stored, before the orientation is applied */
  width: number
  height: number
  /** transparency that must survive (PNG with alpha or tRNS, WebP with alpha; a GIF's palette may hold it) */
  hasAlpha: boolean
  /** EXIF orientation 1–8 (1: as stored; 5–8 swap width and height) */
  orientation: number
}

/** The header of an image this host reads, or null: not one, or cut off before its end. */
export function readImageHeader (bytes: Uint8Array): ImageHeader | null {
  if (startsWith(bytes, 0, [0xff, 0xd8, 0xff])) return readJpeg(bytes)
  if (startsWith(bytes, 0, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return readPng(bytes)
  if (ascii(bytes, 0, 4) === 'RIFF' && ascii(bytes, 8, 4) === 'WEBP') return readWebp(bytes)
  const gif = ascii(bytes, 0, 6)
  if (gif === 'GIF87a' || gif === 'GIF89a') return readGif(bytes)
  return null
}

// Frame headers: SOF0–SOF15 but DHT (C4), JPG (C8) and DAC (CC), which share the range.
const isStartOfFrame = (m: number): boolean => m >= 0xc0 && m <= 0xcf && m !== 0xc4 && m !== 0xc8 && m !== 0xcc
const EOI = new Uint8Array([0xff, 0xd9])

function readJpeg (b: Uint8Array): ImageHeader | null {
  let orientation = 1
  let size: { width: number, height: number } | null = null
  let at = 2
  while (at + 4 <= b.length) {
    if (b[at] !== 0xff) return null
    const marker = b[at + 1]!
    if (marker === 0xff) { at += 1; continue } // fill byte
    if (marker === 0xd8 || marker === 0x01 || (marker >= 0xd0 && marker <= 0xd7)) { at += 2; continue } // no length
    if (marker === 0xd9) return null // the end before any scan
    const length = u16be(b, at + 2)
    if (length < 2 || at + 2 + length > b.length) return null
    if (marker === 0xe1 && ascii(b, at + 4, 6) === 'Exif\0\0') orientation = exifOrientation(b.subarray(at + 10, at + 2 + length))
    if (isStartOfFrame(marker) && length >= 7) size = { height: u16be(b, at + 5), width: u16be(b, at + 7) }
    if (marker === 0xda) {
      // The first scan starts here. Entropy-coded data never holds FF D9 (an FF in it is stuffed),
      // so a whole file has its end-of-image marker after this point; a cut-off one does not.
      if (size === null || size.width === 0 || size.height === 0) return null
      if (Buffer.from(b.buffer, b.byteOffset, b.length).lastIndexOf(EOI) < at) return null
      return { format: 'jpeg', ...size, hasAlpha: false, orientation }
    }
    at += 2 + length
  }
  return null
}

function readPng (b: Uint8Array): ImageHeader | null {
  if (b.length < 33 || ascii(b, 12, 4) !== 'IHDR') return null
  const width = u32be(b, 16)
  const height = u32be(b, 20)
  const colourType = b[25]!
  let hasAlpha = colourType === 4 || colourType === 6
  let orientation = 1
  let hasData = false
  // Walk the chunks to IEND: transparency (tRNS) and orientation (eXIf) are chunks of their own.
  let at = 8
  while (at + 12 <= b.length) {
    const length = u32be(b, at)
    const type = ascii(b, at + 4, 4)
    if (at + 12 + length > b.length) return null
    if (type === 'tRNS') hasAlpha = true
    if (type === 'eXIf') orientation = exifOrientation(b.subarray(at + 8, at + 8 + length))
    if (type === 'IDAT') hasData = true
    if (type === 'IEND') return width > 0 && height > 0 && hasData ? { format: 'png', width, height, hasAlpha, orientation } : null
    at += 12 + length
  }
  return null
}

function readWebp (b: Uint8Array): ImageHeader | null {
  if (8 + u32le(b, 4) > b.length) return null // the RIFF says it is longer than what arrived
  let size: { width: number, height: number } | null = null
  let hasAlpha = false
  let orientation = 1
  let at = 12
  while (at + 8 <= b.length) {
    const type = ascii(b, at, 4)
    const length = u32le(b, at + 4)
    const data = at + 8
    if (data + length > b.length) return null
    if (type === 'VP8X' && length >= 10) {
      hasAlpha = (b[data]! & 0x10) !== 0
      size = { width: 1 + u24le(b, data + 4), height: 1 + u24le(b, data + 7) }
    } else if (type === 'VP8 ' && length >= 10 && size === null) {
      if (!startsWith(b, data + 3, [0x9d, 0x01, 0x2a])) return null
      size = { width: u16le(b, data + 6) & 0x3fff, height: u16le(b, data + 8) & 0x3fff }
    } else if (type === 'VP8L' && length >= 5 && size === null) {
      if (b[data] !== 0x2f) return null
      const bits = u32le(b, data + 1)
      size = { width: 1 + (bits & 0x3fff), height: 1 + ((bits >>> 14) & 0x3fff) }
      hasAlpha = ((bits >>> 28) & 1) === 1
    } else if (type === 'EXIF') {
      const exif = b.subarray(data, data + length)
      // Some writers keep JPEG's "Exif\0\0" prefix in the chunk.
      orientation = exifOrientation(ascii(exif, 0, 6) === 'Exif\0\0' ? exif.subarray(6) : exif)
    }
    at = data + length + (length & 1)
  }
  if (size === null || size.width === 0 || size.height === 0) return null
  return { format: 'webp', ...size, hasAlpha, orientation }
}

function readGif (b: Uint8Array): ImageHeader | null {
  if (b.length < 14) return null
  const width = u16le(b, 6)
  const height = u16le(b, 8)
  if (width === 0 || height === 0) return null
  return { format: 'gif', width, height, hasAlpha: true, orientation: 1 }
}

/** Orientation (tag 0x0112) from a TIFF-structured EXIF block; 1 when it has none or is malformed. */
export function exifOrientation (tiff: Uint8Array): number {
  const order = ascii(tiff, 0, 2)
  if (order !== 'II' && order !== 'MM') return 1
  const le = order === 'II'
  const u16 = (at: number): number => le ? u16le(tiff, at) : u16be(tiff, at)
  const u32 = (at: number): number => le ? u32le(tiff, at) : u32be(tiff, at)
  if (tiff.length < 8 || u16(2) !== 42) return 1
  const ifd = u32(4)
  if (ifd + 2 > tiff.length) return 1
  const count = u16(ifd)
  for (let i = 0; i < count; i++) {
    const entry = ifd + 2 + i * 12
    if (entry + 12 > tiff.length) return 1
    if (u16(entry) !== 0x0112) continue
    const value = u16(entry + 8) // type SHORT, count 1: the value sits in the entry
    return value >= 1 && value <= 8 ? value : 1
  }
  return 1
}

function startsWith (b: Uint8Array, at: number, sig: number[]): boolean {
  return at + sig.length <= b.length && sig.every((v, i) => b[at + i] === v)
}
function ascii (b: Uint8Array, at: number, length: number): string {
  return at + length <= b.length ? String.fromCharCode(...b.subarray(at, at + length)) : ''
}
const u16be = (b: Uint8Array, at: number): number => ((b[at] ?? 0) << 8) | (b[at + 1] ?? 0)
const u16le = (b: Uint8Array, at: number): number => (b[at] ?? 0) | ((b[at + 1] ?? 0) << 8)
const u24le = (b: Uint8Array, at: number): number => u16le(b, at) | ((b[at + 2] ?? 0) << 16)
const u32be = (b: Uint8Array, at: number): number => (u16be(b, at) * 0x10000) + u16be(b, at + 2)
const u32le = (b: Uint8Array, at: number): number => u16le(b, at) + (u16le(b, at + 2) * 0x10000)
