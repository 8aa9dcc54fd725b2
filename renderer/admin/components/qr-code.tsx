/**
 * A QR code drawn as one SVG path from the `qrcode` package's module matrix: crisp at any size,
 * no canvas, no inline markup (the page's CSP stays strict). Dark modules on white in both themes,
 * as phone cameras expect.
 */
import { useMemo } from 'react'
import QRCode from 'qrcode'

interface QrCodeProps {
  text: string
  label: string
  className?: string
}

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

export function QrCode ({ text, label, className }: QrCodeProps) {
  const { d, size } = useMemo(() => qrPath(text), [text])
  return (
    <svg className={className ? `qr ${className}` : 'qr'} viewBox={`0 0 ${size} ${size}`} role='img' aria-label={label} shapeRendering='crispEdges'>
      <rect width={size} height={size} fill='#fff' />
      <path d={d} fill='#000' />
    </svg>
  )
}
