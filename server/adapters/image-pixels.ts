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

/**
 * Resampled to `width`×`height` with Lanczos3 (sharp's default kernel), rows first, then columns,
 * through an 8-bit intermediate (as libvips keeps the band format between its two passes). With
 * alpha, colours are weighted by it, so transparent pixels lend no colour to their neighbours.
 * Plain JavaScript on purpose: a 12-megapixel photo needs 25 MB here for the intermediate, freed
 * once done, where a WebAssembly resizer's memory grows by 150 MB and never shrinks back.
 */
export function resample (src: Pixels, width: number, height: number, hasAlpha: boolean): Pixels {
  if (width === src.width && height === src.height) return src
  const mid = pass(src.data, src.width, src.height, height, 'rows', hasAlpha)
  return { data: pass(mid, src.width, height, width, 'columns', hasAlpha), width, height }
}

/** One pass: `rows` resamples each column from `inH` to `outSize` rows; `columns` each row from `inW` to `outSize` columns. */
function pass (data: Uint8ClampedArray, inW: number, inH: number, outSize: number, along: 'rows' | 'columns', hasAlpha: boolean): Uint8ClampedArray {
  const isRows = along === 'rows'
  const k = kernel(isRows ? inH : inW, outSize)
  const outW = isRows ? inW : outSize
  const outH = isRows ? outSize : inH
  const out = new Uint8ClampedArray(outW * outH * 4)
  const acc = new Float64Array(outW * 4)
  for (let y = 0; y < outH; y++) {
    if (isRows) {
      // Whole weighted input rows added into one accumulator row: memory is read in order.
      acc.fill(0)
      for (let t = 0; t < k.count[y]!; t++) addRow(acc, data, (k.first[y]! + t) * inW * 4, inW, k.weights[y * k.taps + t]!, hasAlpha)
    } else {
      for (let x = 0; x < outW; x++) weighPixels(acc, x * 4, data, y * inW * 4 + k.first[x]! * 4, k.count[x]!, k.weights, x * k.taps, hasAlpha)
    }
    store(acc, out, y * outW * 4, outW, hasAlpha)
  }
  return out
}

function addRow (acc: Float64Array, data: Uint8ClampedArray, at: number, width: number, w: number, hasAlpha: boolean): void {
  if (hasAlpha) {
    for (let x = 0, i = at; x < width * 4; x += 4, i += 4) {
      const a = w * data[i + 3]!
      acc[x] = acc[x]! + a * data[i]!
      acc[x + 1] = acc[x + 1]! + a * data[i + 1]!
      acc[x + 2] = acc[x + 2]! + a * data[i + 2]!
      acc[x + 3] = acc[x + 3]! + a
    }
  } else {
    for (let x = 0, i = at; x < width * 4; x += 4, i += 4) {
      acc[x] = acc[x]! + w * data[i]!
      acc[x + 1] = acc[x + 1]! + w * data[i + 1]!
      acc[x + 2] = acc[x + 2]! + w * data[i + 2]!
    }
  }
}

function weighPixels (acc: Float64Array, to: number, data: Uint8ClampedArray, at: number, count: number, weights: Float64Array, from: number, hasAlpha: boolean): void {
  let r = 0
  let g = 0
  let b = 0
  let alpha = 0
  for (let t = 0, i = at; t < count; t++, i += 4) {
    const w = weights[from + t]!
    const a = hasAlpha ? w * data[i + 3]! : w
    r += a * data[i]!
    g += a * data[i + 1]!
    b += a * data[i + 2]!
    alpha += a
  }
  acc[to] = r
  acc[to + 1] = g
  acc[to + 2] = b
  acc[to + 3] = alpha
}

/** One accumulated row into 8 bits (rounded and clamped by the array); with alpha, colours divided by it, else opaque. */
function store (acc: Float64Array, out: Uint8ClampedArray, at: number, width: number, hasAlpha: boolean): void {
  for (let x = 0, j = at; x < width * 4; x += 4, j += 4) {
    const alpha = acc[x + 3]!
    const d = hasAlpha ? (alpha > 0 ? 1 / alpha : 0) : 1
    out[j] = acc[x]! * d
    out[j + 1] = acc[x + 1]! * d
    out[j + 2] = acc[x + 2]! * d
    out[j + 3] = hasAlpha ? alpha : 255
  }
}

/** Lanczos3: sinc(x)·sinc(x/3) on [-3, 3]. */
function lanczos3 (x: number): number {
  if (x === 0) return 1
  if (x <= -3 || x >= 3) return 0
  const px = Math.PI * x
  return 3 * Math.sin(px) * Math.sin(px / 3) / (px * px)
}

/** For each output index along one axis: its first input index, how many inputs it weighs, and their normalised weights. */
function kernel (inSize: number, outSize: number): { first: Int32Array, count: Int32Array, weights: Float64Array, taps: number } {
  const scale = inSize / outSize
  const stretch = Math.max(scale, 1) // when reducing, the kernel widens with the reduction, so nothing aliases
  const support = 3 * stretch
  const taps = Math.ceil(support) * 2 + 1
  const first = new Int32Array(outSize)
  const count = new Int32Array(outSize)
  const weights = new Float64Array(outSize * taps)
  for (let i = 0; i < outSize; i++) {
    const centre = (i + 0.5) * scale
    const lo = Math.max(0, Math.floor(centre - support + 0.5))
    const hi = Math.min(inSize, Math.floor(centre + support + 0.5))
    let sum = 0
    for (let k = lo; k < hi; k++) {
      const w = lanczos3((k - centre + 0.5) / stretch)
      weights[i * taps + k - lo] = w
      sum += w
    }
    for (let k = 0; k < hi - lo; k++) weights[i * taps + k] = weights[i * taps + k]! / sum
    first[i] = lo
    count[i] = hi - lo
  }
  return { first, count, weights, taps }
}
