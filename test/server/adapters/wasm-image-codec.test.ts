/**
 * The WebAssembly image codec on real files made with sharp (a development dependency here, the
 * reference for what a photo looks like upright): formats, orientation, transparency, sizes, the
 * refusals (not an image, cut off, a decompression bomb), and the event loop kept free.
 */
import { test } from 'node:test'
import assert from 'node:assert/strict'
import sharp, { type Sharp } from 'sharp'
import { GifWriter } from 'omggif'
import { createWasmImageCodec, MAX_SIDE_PX, THUMB_SIDE_PX } from '../../../server/adapters/wasm-image-codec.js'
import { exifOrientation, readImageHeader } from '../../../server/adapters/image-header.js'
import type { ImageCodec } from '../../../server/ports.js'

const codec = createWasmImageCodec({ workers: 2 })

async function refused (c: ImageCodec, input: Buffer | Uint8Array, what: string): Promise<void> {
  await assert.rejects(c.reencode(Buffer.from(input)), (e: { code?: string }) => e.code === 'ERR_FILE_TYPE', what)
}

/** Four quadrants: red, green / blue, white (so every turn and mirror is told apart). */
async function quadrants (width: number, height: number): Promise<Sharp> {
  const raw = Buffer.alloc(width * height * 3)
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const colour = y < height / 2 ? (x < width / 2 ? [230, 20, 20] : [20, 200, 20]) : (x < width / 2 ? [20, 20, 230] : [250, 250, 250])
      raw.set(colour, (y * width + x) * 3)
    }
  }
  return sharp(raw, { raw: { width, height, channels: 3 } })
}

/** The colour at the centre of each quadrant of an image. */
async function quadrantColours (image: Buffer): Promise<number[][]> {
  const { data, info } = await sharp(image).removeAlpha().raw().toBuffer({ resolveWithObject: true })
  return [[0.25, 0.25], [0.75, 0.25], [0.25, 0.75], [0.75, 0.75]].map(([fx, fy]) => {
    const i = (Math.floor(fy! * info.height) * info.width + Math.floor(fx! * info.width)) * info.channels
    return [data[i]!, data[i + 1]!, data[i + 2]!]
  })
}

const near = (a: number[][], b: number[][]): boolean => a.every((c, i) => c.every((v, j) => Math.abs(v - b[i]![j]!) <= 24))

test('every EXIF orientation comes out upright, as sharp turns it, with the sizes swapped for 5–8', async () => {
  const stored = await quadrants(96, 64)
  for (let orientation = 1; orientation <= 8; orientation++) {
    const input = await stored.clone().jpeg({ quality: 95 }).withMetadata({ orientation }).toBuffer()
    const expected = await sharp(input).rotate().png().toBuffer()
    const { full, thumb } = await codec.reencode(input)
    const [width, height] = orientation >= 5 ? [64, 96] : [96, 64]
    assert.deepEqual([full.width, full.height, thumb.width, thumb.height], [width, height, width, height], `orientation ${orientation}`)
    const meta = await sharp(full.data).metadata()
    assert.deepEqual([meta.width, meta.height, meta.orientation], [width, height, undefined], `orientation ${orientation}: no orientation tag left`)
    const [got, want] = [await quadrantColours(full.data), await quadrantColours(expected)]
    assert.ok(near(got, want), `orientation ${orientation}: ${JSON.stringify(got)} is ${JSON.stringify(want)}`)
    assert.ok(near(await quadrantColours(thumb.data), want), `orientation ${orientation}: the thumbnail too`)
  }
})

test('a phone photo turned by its EXIF is capped at 2048 px upright, its thumbnail at 320, and keeps no EXIF, GPS or XMP', async () => {
  const input = await (await quadrants(3000, 2000)).jpeg({ quality: 90 })
    .withExif({ IFD0: { Make: 'PhoneCo', Copyright: 'Ann at 12 Elm Street' }, IFD3: { GPSLatitudeRef: 'N', GPSLatitude: '51/1 30/1 1234/100' } })
    .withMetadata({ orientation: 6 })
    .withXmp('<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"><rdf:Description xmlns:dc="http://purl.org/dc/elements/1.1/" dc:creator="Ann Smith"/></rdf:RDF></x:xmpmeta>')
    .toBuffer()
  assert.equal((await sharp(input).metadata()).orientation, 6)
  const { full, thumb } = await codec.reencode(input)
  assert.deepEqual([full.mimeType, full.width, full.height], ['image/jpeg', 1365, MAX_SIDE_PX])
  assert.deepEqual([thumb.mimeType, thumb.width, thumb.height], ['image/webp', 213, THUMB_SIDE_PX])
  for (const image of [full, thumb]) {
    const meta = await sharp(image.data).metadata()
    assert.deepEqual([meta.width, meta.height], [image.width, image.height])
    assert.deepEqual([meta.exif, meta.xmp, meta.icc, meta.orientation], [undefined, undefined, undefined, undefined])
    const text = image.data.toString('latin1')
    for (const secret of ['Elm Street', 'PhoneCo', 'Ann Smith', 'Exif']) assert.ok(!text.includes(secret), secret)
  }
  // Stored turned: its left half (red above blue) is the top now.
  assert.ok(near((await quadrantColours(full.data)).slice(0, 2), [[20, 20, 230], [230, 20, 20]]))
})

test('a small image is never enlarged', async () => {
  const { full, thumb } = await codec.reencode(await (await quadrants(100, 80)).jpeg().toBuffer())
  assert.deepEqual([full.width, full.height, thumb.width, thumb.height], [100, 80, 100, 80])
})

test('a PNG with transparency stays transparent (WebP, full and thumbnail); an opaque PNG becomes a JPEG', async () => {
  const width = 400
  const height = 300
  const raw = Buffer.alloc(width * height * 4)
  for (let i = 0; i < width * height; i++) raw.set((i % width) < width / 2 ? [0, 0, 0, 0] : [220, 30, 30, 255], i * 4)
  const png = await sharp(raw, { raw: { width, height, channels: 4 } }).png().toBuffer()
  const { full, thumb } = await codec.reencode(png)
  assert.deepEqual([full.mimeType, thumb.mimeType], ['image/webp', 'image/webp'])
  for (const image of [full, thumb]) {
    const { data, info } = await sharp(image.data).ensureAlpha().raw().toBuffer({ resolveWithObject: true })
    const at = (fx: number): number[] => { const i = (Math.floor(info.height / 2) * info.width + Math.floor(fx * info.width)) * 4; return [...data.subarray(i, i + 4)] }
    assert.equal(at(0.2)[3], 0, 'the left half is transparent')
    assert.ok(near([at(0.8)], [[220, 30, 30, 255]]), `the right half is opaque red: ${JSON.stringify(at(0.8))}`)
  }
  const opaque = await codec.reencode(await sharp(raw, { raw: { width, height, channels: 4 } }).flatten({ background: '#ffffff' }).removeAlpha().png().toBuffer())
  assert.equal(opaque.full.mimeType, 'image/jpeg')
})

test('PNG (grey, palette, 16-bit), WebP (lossy, lossless, with alpha) and progressive JPEG are read', async () => {
  const base = (): Sharp => sharp({ create: { width: 120, height: 80, channels: 4, background: { r: 200, g: 30, b: 30, alpha: 0.5 } } })
  const inputs: Array<[string, Buffer, string]> = [
    ['grey PNG', await base().flatten().greyscale().png().toBuffer(), 'image/jpeg'],
    ['palette PNG with transparency', await base().png({ palette: true }).toBuffer(), 'image/webp'],
    ['16-bit PNG', await base().toColourspace('rgb16').png().toBuffer(), 'image/webp'],
    ['lossy WebP', await base().flatten().webp().toBuffer(), 'image/jpeg'],
    ['lossy WebP with alpha', await base().webp().toBuffer(), 'image/webp'],
    ['lossless WebP', await base().webp({ lossless: true }).toBuffer(), 'image/webp'],
    ['progressive JPEG', await base().flatten().jpeg({ progressive: true }).toBuffer(), 'image/jpeg'],
    ['grey JPEG', await base().flatten().greyscale().jpeg().toBuffer(), 'image/jpeg']
  ]
  for (const [what, input, mimeType] of inputs) {
    const { full } = await codec.reencode(input)
    assert.deepEqual([full.mimeType, full.width, full.height], [mimeType, 120, 80], what)
  }
  // A WebP and a PNG carry their orientation in EXIF too.
  for (const input of [await base().flatten().webp().withMetadata({ orientation: 8 }).toBuffer(), await base().png().withMetadata({ orientation: 8 }).toBuffer()]) {
    const { full } = await codec.reencode(input)
    assert.deepEqual([full.width, full.height], [80, 120])
  }
})

test('a GIF is read, an animated one by its first frame', async () => {
  const width = 60
  const height = 40
  const buf = Buffer.alloc(4096)
  const gif = new GifWriter(buf, width, height, { palette: [0xdd2020, 0x2020dd], loop: 0 })
  gif.addFrame(0, 0, width, height, new Array(width * height).fill(0), { delay: 10 })
  gif.addFrame(0, 0, width, height, new Array(width * height).fill(1), { delay: 10 })
  const input = buf.subarray(0, gif.end())
  const { full, thumb } = await codec.reencode(input)
  assert.deepEqual([full.mimeType, full.width, full.height, thumb.mimeType], ['image/webp', 60, 40, 'image/webp'])
  assert.ok(near(await quadrantColours(full.data), Array(4).fill([0xdd, 0x20, 0x20])), 'the first frame (red), not the second (blue)')
  // and one sharp wrote
  const sharpGif = await (await quadrants(90, 60)).gif().toBuffer()
  assert.ok(near(await quadrantColours((await codec.reencode(sharpGif)).full.data), await quadrantColours(await sharp(sharpGif).png().toBuffer())))
})

test('not an image by its content is refused, whatever it claims: garbage, text, an empty file, a bare signature', async () => {
  await refused(codec, Buffer.from('%PDF-1.7\nnot a photo at all\n'), 'a PDF')
  await refused(codec, Buffer.from('<html><body>hello</body></html>'), 'HTML')
  await refused(codec, Buffer.alloc(0), 'nothing')
  const random = Buffer.alloc(64 * 1024)
  for (let i = 0; i < random.length; i++) random[i] = (i * 2654435761) >>> 24
  await refused(codec, random, 'random bytes')
  await refused(codec, Buffer.concat([Buffer.from([0xff, 0xd8, 0xff]), random]), 'a JPEG signature and noise')
  await refused(codec, Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), random]), 'a PNG signature and noise')
  await refused(codec, Buffer.concat([Buffer.from('RIFF\x10\x00\x00\x00WEBPVP8 \x04\x00\x00\x00abcd'), random.subarray(0, 8)]), 'a WebP signature and noise')
  await refused(codec, Buffer.from('GIF89a'), 'a GIF signature alone')
  // A whole header around no picture: the decoder refuses it.
  const png = await (await quadrants(64, 48)).png().toBuffer()
  const idat = png.indexOf('IDAT') - 4
  const length = png.readUInt32BE(idat)
  const broken = Buffer.from(png)
  broken.fill(0x55, idat + 8, idat + 8 + length)
  await refused(codec, broken, 'a PNG whose data is noise')
})

test('formats this host no longer reads are refused: TIFF, AVIF, CMYK JPEG', async () => {
  const base = (): Sharp => sharp({ create: { width: 64, height: 48, channels: 3, background: '#3a7d5c' } })
  await refused(codec, await base().tiff().toBuffer(), 'TIFF')
  await refused(codec, await base().avif().toBuffer(), 'AVIF')
  await refused(codec, await base().toColourspace('cmyk').jpeg().toBuffer(), 'CMYK JPEG')
})

test('a file cut off is refused: JPEG (baseline and progressive), PNG, WebP, GIF', async () => {
  const photo = (await quadrants(640, 480)).clone()
  const inputs: Array<[string, Buffer]> = [
    ['JPEG', await photo.clone().jpeg().toBuffer()],
    ['progressive JPEG', await photo.clone().jpeg({ progressive: true }).toBuffer()],
    ['JPEG with an EXIF thumbnail', await photo.clone().jpeg().withExif({ IFD0: { Make: 'PhoneCo' } }).toBuffer()],
    ['PNG', await photo.clone().png().toBuffer()],
    ['WebP', await photo.clone().webp().toBuffer()],
    ['GIF', await photo.clone().gif().toBuffer()]
  ]
  for (const [what, input] of inputs) {
    await codec.reencode(input) // whole, it is read
    for (const part of [0.5, 0.9]) await refused(codec, input.subarray(0, Math.floor(input.length * part)), `${what} cut at ${part * 100}%`)
    await refused(codec, input.subarray(0, input.length - 3), `${what} without its last bytes`)
  }
})

test('a decompression bomb is refused from its header, before a pixel is decoded', async () => {
  // 9000×9000 = 81 megapixels of one colour: a small file, 324 MB once decoded.
  const bomb = await sharp({ create: { width: 9000, height: 9000, channels: 3, background: '#ffffff' } }).png({ compressionLevel: 9 }).toBuffer()
  assert.ok(bomb.length < 1024 * 1024, `${bomb.length} bytes`)
  assert.deepEqual(readImageHeader(bomb), { format: 'png', width: 9000, height: 9000, hasAlpha: false, orientation: 1 })
  const started = performance.now()
  await refused(createWasmImageCodec({ workers: 1 }), bomb, 'an 81-megapixel PNG')
  assert.ok(performance.now() - started < 1000, 'refused at once (decoding it takes seconds)')
  // A JPEG header that claims 65535×65535 around a tiny picture.
  const small = await (await quadrants(64, 48)).jpeg().toBuffer()
  const sof = small.indexOf(Buffer.from([0xff, 0xc0]))
  const claims = Buffer.from(small)
  claims.writeUInt16BE(65535, sof + 5)
  claims.writeUInt16BE(65535, sof + 7)
  await refused(codec, claims, 'a JPEG that claims 4 gigapixels')
})

test('the header reader: EXIF in either byte order, WebP\'s three kinds, PNG transparency by chunk', async () => {
  const tiff = (le: boolean, orientation: number): Uint8Array => {
    const b = Buffer.alloc(26)
    b.write(le ? 'II' : 'MM', 0, 'latin1')
    const u16 = (v: number, at: number): number => le ? b.writeUInt16LE(v, at) : b.writeUInt16BE(v, at)
    const u32 = (v: number, at: number): number => le ? b.writeUInt32LE(v, at) : b.writeUInt32BE(v, at)
    u16(42, 2); u32(8, 4); u16(1, 8); u16(0x0112, 10); u16(3, 12); u32(1, 14); u16(orientation, 18)
    return b
  }
  assert.equal(exifOrientation(tiff(true, 6)), 6)
  assert.equal(exifOrientation(tiff(false, 8)), 8)
  assert.equal(exifOrientation(tiff(true, 9)), 1, 'out of range')
  assert.equal(exifOrientation(tiff(true, 6).subarray(0, 20)), 1, 'cut off')
  assert.equal(exifOrientation(Buffer.from('nonsense')), 1)

  const base = (): Sharp => sharp({ create: { width: 300, height: 200, channels: 4, background: { r: 1, g: 2, b: 3, alpha: 0.5 } } })
  assert.deepEqual(readImageHeader(await base().flatten().webp().toBuffer()), { format: 'webp', width: 300, height: 200, hasAlpha: false, orientation: 1 })
  assert.deepEqual(readImageHeader(await base().webp({ lossless: true }).toBuffer()), { format: 'webp', width: 300, height: 200, hasAlpha: true, orientation: 1 })
  assert.deepEqual(readImageHeader(await base().webp().withMetadata({ orientation: 3 }).toBuffer()), { format: 'webp', width: 300, height: 200, hasAlpha: true, orientation: 3 })
  assert.equal(readImageHeader(await base().png({ palette: true }).toBuffer())?.hasAlpha, true, 'a palette with tRNS')
  assert.equal(readImageHeader(await base().flatten().png({ palette: true }).toBuffer())?.hasAlpha, false)
  assert.deepEqual(readImageHeader(await base().flatten().jpeg().withMetadata({ orientation: 5 }).toBuffer()), { format: 'jpeg', width: 300, height: 200, hasAlpha: false, orientation: 5 })
})

test('12-megapixel photos are re-encoded off the event loop; photos sent at once all come back', async () => {
  const photo = await sharp({ create: { width: 4000, height: 3000, channels: 3, background: '#808080', noise: { type: 'gaussian', mean: 128, sigma: 20 } } }).jpeg({ quality: 90 }).toBuffer()
  // The main thread's loop utilisation (busy time over wall time): near 1 if it decoded, near 0
  // if it only waited. Unlike a timer's lateness, it does not count time another process had the CPU.
  const before = performance.eventLoopUtilization()
  const results = await Promise.all([codec.reencode(photo), codec.reencode(photo), codec.reencode(photo)])
  const { utilization } = performance.eventLoopUtilization(before)
  for (const { full, thumb } of results) assert.deepEqual([full.width, full.height, thumb.width, thumb.height], [2048, 1536, 320, 240])
  assert.ok(utilization < 0.2, `the event loop was busy ${(utilization * 100).toFixed(0)} % of the time`)
})

test('a photo that takes too long is refused, and its worker ended', async () => {
  const photo = await (await quadrants(2000, 1500)).jpeg().toBuffer()
  await refused(createWasmImageCodec({ workers: 1, timeoutMs: 1 }), photo, 'past the deadline')
})
