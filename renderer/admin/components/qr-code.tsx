/**
 * A QR code drawn as one SVG path from the `qrcode` package's module matrix: crisp at any size,
 * no canvas, no inline markup (the page's CSP stays strict). Dark modules on white in both themes,
 * as phone cameras expect.
 */
import { useMemo } from 'react'
import { qrPath } from './qr-path.js'

interface QrCodeProps {
  text: string
  label: string
  className?: string
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
