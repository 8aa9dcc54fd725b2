/**
 * The plain pixel work of the image codec's worker, on RGBA bytes: the sizes a photo is capped to,
 * a box shrink by a whole factor (the cheap first step of a large reduction, as libvips does before
 * its final resample), and the EXIF orientation (turned after resizing, on the small image).
 * @see https://www.libvips.org/API/current/libvips-resample.html (shrink, then reduce)
 */

/** RGBA, 4 bytes a pixel, rows top to bottom; `data` owns its whole buffer (the wasm glue reads `data.buffer`). */
export interface Pixels {
  data: Uint8ClampedArray
  width: number
  height: number
}

/** The size that fits inside `side`×`side`, never larger than the image. */
export function fitInside (width: number, height: number, side: number): { width: number, height: number } {
  const scale = Math.min(1, side / Math.max(width, height))
  return { width: Math.max(1, Math.round(width * scale)), height: Math.max(1, Math.round(height * scale)) }
}

/** Mean of each `factor`×`factor` block (alpha-weighted when there is alpha, so no dark fringes). */
export function boxShrink (src: Pixels, factor: number, hasAlpha: boolean): Pixels {
  if (factor <= 1) return src
  const width = Math.floor(src.width / factor)
  const height = Math.floor(src.height / factor)
  const out = new Uint8ClampedArray(width * height * 4)
  const sums = new Float64Array(width * 4)
  const s = src.data
  const area = factor * factor
  for (let y = 0; y < height; y++) {
    sums.fill(0)
    for (let dy = 0; dy < factor; dy++) {
      let i = ((y * factor + dy) * src.width) * 4
      for (let x = 0; x < width; x++) {
        const o = x * 4
        for (let dx = 0; dx < factor; dx++, i += 4) {
          const a = hasAlpha ? s[i + 3]! : 255
          sums[o] = sums[o]! + s[i]! * a
          sums[o + 1] = sums[o + 1]! + s[i + 1]! * a
          sums[o + 2] = sums[o + 2]! + s[i + 2]! * a
          sums[o + 3] = sums[o + 3]! + a
        }
      }
    }
    let j = y * width * 4
    for (let x = 0; x < width; x++, j += 4) {
      const o = x * 4
      const alpha = sums[o + 3]!
      out[j] = alpha === 0 ? 0 : sums[o]! / alpha
      out[j + 1] = alpha === 0 ? 0 : sums[o + 1]! / alpha
      out[j + 2] = alpha === 0 ? 0 : sums[o + 2]! / alpha
      out[j + 3] = alpha / area
    }
  }
  return { data: out, width, height }
}

/**
 * The image as it is meant to be seen, for an EXIF orientation (1–8): 2 mirrored, 3 turned 180°,
 * 4 flipped, 5 transposed, 6 turned 90° clockwise, 7 transversed, 8 turned 90° anticlockwise.
 */
export function orient (src: Pixels, orientation: number): Pixels {
  if (orientation < 2 || orientation > 8) return src
  const w = src.width
  const h = src.height
  const isSwapped = orientation >= 5
  const width = isSwapped ? h : w
  const height = isSwapped ? w : h
  const from = new Uint32Array(src.data.buffer, src.data.byteOffset, w * h)
  const out = new Uint8ClampedArray(width * height * 4)
  const to = new Uint32Array(out.buffer)
  // For each pixel of the result, the stored pixel it shows.
  const source: (x: number, y: number) => number = {
    2: (x: number, y: number) => y * w + (w - 1 - x),
    3: (x: number, y: number) => (h - 1 - y) * w + (w - 1 - x),
    4: (x: number, y: number) => (h - 1 - y) * w + x,
    5: (x: number, y: number) => x * w + y,
    6: (x: number, y: number) => (h - 1 - x) * w + y,
    7: (x: number, y: number) => (h - 1 - x) * w + (w - 1 - y),
    8: (x: number, y: number) => x * w + (w - 1 - y)
  }[orientation]!
  for (let y = 0, i = 0; y < height; y++) {
    for (let x = 0; x < width; x++, i++) to[i] = from[source(x, y)]!
  }
  return { data: out, width, height }
}
