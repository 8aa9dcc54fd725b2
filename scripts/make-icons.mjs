#!/usr/bin/env node
/**
 * Renders every icon the app and its installers need from the one source, assets/icon.svg:
 *   assets/installer/  icon.png (1024), icons/NxN.png (Linux), icon.ico (Windows), icon.icns (macOS)
 *   assets/app/        icon.png (window, Linux), tray.png (+@2x, @3x), trayTemplate.png (+@2x, macOS menu bar)
 * ICO and ICNS hold PNG images (both formats allow it), so no other tool is needed.
 * Run after changing the SVG: npm run icons
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { Resvg } from '@resvg/resvg-js'

const root = join(dirname(fileURLToPath(import.meta.url)), '..')
const svg = readFileSync(join(root, 'assets/icon.svg'), 'utf8')
const installer = join(root, 'assets/installer')
const app = join(root, 'assets/app')
mkdirSync(join(installer, 'icons'), { recursive: true })
mkdirSync(app, { recursive: true })

const png = (source, size) => new Resvg(source, { fitTo: { mode: 'width', value: size }, background: 'rgba(0,0,0,0)' }).render().asPng()
const write = (file, data) => { writeFileSync(file, data); console.log(`icons: ${file.slice(root.length + 1)} (${data.length} bytes)`) }

// The app icon at every size.
const sizes = [16, 24, 32, 48, 64, 128, 256, 512, 1024]
const rendered = new Map(sizes.map(size => [size, png(svg, size)]))
write(join(installer, 'icon.png'), rendered.get(1024))
for (const size of sizes.filter(s => s <= 512)) write(join(installer, 'icons', `${size}x${size}.png`), rendered.get(size))
write(join(installer, 'icon.ico'), ico([16, 24, 32, 48, 64, 128, 256].map(size => [size, rendered.get(size)])))
write(join(installer, 'icon.icns'), icns([
  ['icp4', 16], ['icp5', 32], ['icp6', 64], ['ic07', 128], ['ic08', 256], ['ic09', 512], ['ic10', 1024],
  ['ic11', 32], ['ic12', 64], ['ic13', 256], ['ic14', 512]
].map(([type, size]) => [type, rendered.get(size)])))
write(join(app, 'icon.png'), rendered.get(512))

// Tray: the full tile on Windows and Linux; on macOS a template (black glyph, cut-out dots) that the menu bar tints.
write(join(app, 'tray.png'), png(svg, 16))
write(join(app, 'tray@2x.png'), png(svg, 32))
write(join(app, 'tray@3x.png'), png(svg, 48))
const template = templateSvg(svg)
write(join(app, 'trayTemplate.png'), png(template, 16))
write(join(app, 'trayTemplate@2x.png'), png(template, 32))

/** The glyph alone, black, with the dots cut out of it, cropped to the glyph. */
function templateSvg (source) {
  const bubble = /<g id="glyph"[^>]*>[\s\S]*?<path d="([^"]+)"/.exec(source)?.[1]
  const dots = /<g id="dots"[^>]*>([\s\S]*?)<\/g>/.exec(source)?.[1]
  if (bubble === undefined || dots === undefined) throw new Error('assets/icon.svg needs <g id="glyph"> with a bubble <path> and <g id="dots">')
  return `<svg xmlns="http://www.w3.org/2000/svg" viewBox="200 180 624 660">
<mask id="cut"><rect x="0" y="0" width="1024" height="1024" fill="#fff"/><g fill="#000">${dots}</g></mask>
<path d="${bubble}" fill="#000" mask="url(#cut)"/></svg>`
}

/** A Windows .ico holding PNG images (Windows Vista and later read them). */
function ico (images) {
  const header = Buffer.alloc(6 + 16 * images.length)
  header.writeUInt16LE(0, 0)
  header.writeUInt16LE(1, 2)
  header.writeUInt16LE(images.length, 4)
  let offset = header.length
  images.forEach(([size, data], i) => {
    const e = 6 + 16 * i
    header.writeUInt8(size >= 256 ? 0 : size, e)
    header.writeUInt8(size >= 256 ? 0 : size, e + 1)
    header.writeUInt16LE(1, e + 4) // colour planes
    header.writeUInt16LE(32, e + 6) // bits per pixel
    header.writeUInt32LE(data.length, e + 8)
    header.writeUInt32LE(offset, e + 12)
    offset += data.length
  })
  return Buffer.concat([header, ...images.map(([, data]) => data)])
}

/** A macOS .icns holding PNG images, one per type code. */
function icns (images) {
  const chunks = images.map(([type, data]) => {
    const head = Buffer.alloc(8)
    head.write(type, 0, 'ascii')
    head.writeUInt32BE(data.length + 8, 4)
    return Buffer.concat([head, data])
  })
  const body = Buffer.concat(chunks)
  const head = Buffer.alloc(8)
  head.write('icns', 0, 'ascii')
  head.writeUInt32BE(body.length + 8, 4)
  return Buffer.concat([head, body])
}
