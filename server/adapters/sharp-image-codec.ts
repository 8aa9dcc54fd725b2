/**
 * ImageCodec on sharp (libvips): an upload is judged by its content (sharp reads the bytes, the
 * name is never trusted), turned upright, capped in size and encoded anew, which drops every bit of
 * metadata (EXIF, GPS, XMP, ICC beyond sRGB): a photo of homework must not carry a home address.
 * @see https://sharp.pixelplumbing.com/api-output#keepmetadata (metadata is dropped by default)
 */
import sharp, { type Sharp } from 'sharp'
import type { EncodedImage, ImageCodec } from '../ports.js'
import { Errors } from '../errors.js'

/** The formats a phone or laptop sends that libvips reads here (HEIC arrives as JPEG from iOS browsers). */
const READABLE = new Set(['jpeg', 'png', 'webp', 'gif', 'heif', 'avif', 'tiff'])
/** Longest side of the stored photo, and of its thumbnail. */
export const MAX_SIDE_PX = 2048
export const THUMB_SIDE_PX = 320
/** A decompression bomb is refused before it is decoded (a 12-megapixel phone photo is far below). */
const MAX_INPUT_PIXELS = 80_000_000

export function createSharpImageCodec (): ImageCodec {
  return {
    async reencode (input) {
      let format: string | undefined
      let hasAlpha = false
      try {
        const meta = await sharp(input, { limitInputPixels: MAX_INPUT_PIXELS }).metadata()
        format = meta.format
        hasAlpha = meta.hasAlpha
      } catch {
        throw Errors.fileType()
      }
      if (format === undefined || !READABLE.has(format)) throw Errors.fileType()
      try {
        // rotate() applies the EXIF orientation before the metadata goes.
        const upright = sharp(input, { limitInputPixels: MAX_INPUT_PIXELS, failOn: 'error' }).rotate()
        const full = await encode(upright.clone().resize({ width: MAX_SIDE_PX, height: MAX_SIDE_PX, fit: 'inside', withoutEnlargement: true }), hasAlpha, 85)
        const thumb = await encode(upright.clone().resize({ width: THUMB_SIDE_PX, height: THUMB_SIDE_PX, fit: 'inside', withoutEnlargement: true }), true, 75)
        return { full, thumb }
      } catch {
        throw Errors.fileType()
      }
    }
  }
}

/** JPEG for photos, WebP where transparency must survive (and for thumbnails: smaller). */
async function encode (image: Sharp, isWebp: boolean, quality: number): Promise<EncodedImage> {
  const out = isWebp ? image.webp({ quality }) : image.jpeg({ quality, mozjpeg: true })
  const { data, info } = await out.toBuffer({ resolveWithObject: true })
  return { data, mimeType: isWebp ? 'image/webp' : 'image/jpeg', width: info.width, height: info.height }
}
