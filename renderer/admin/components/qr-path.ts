/** The QR code's modules as one SVG path (pure: the component draws it, tests check it). */
import QRCode from 'qrcode'

/** The SVG path (one `M x y h1 v1 h-1 z` per dark module) and the matrix size, with a 4-module quiet zone. */
export function qrPath (text: string): { d: string, size: number } {
  const qr = QRCode.create(text, { errorCorrectionLevel: 'M' })
  const n = qr.modules.size
  const data = qr.modules.data
  const quiet = 4
  const parts: string[] = []
  for (let y = 0; y < n; y++) {
    let x = 0
    while (x < n) {
      if (!data[y * n + x]) { x++; continue }
      // One run of dark modules on this row becomes one rectangle.
      const start = x
      while (x < n && data[y * n + x]) x++
      parts.push(`M${start + quiet} ${y + quiet}h${x - start}v1h${start - x}z`)
    }
  }
  return { d: parts.join(''), size: n + quiet * 2 }
}
