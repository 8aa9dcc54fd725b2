/**
 * Builds a complete server-to-client WebSocket text frame (RFC 6455 §5.2: FIN, opcode 1, unmasked),
 * so one broadcast is encoded once and the same bytes are written to every socket.
 */
export function encodeTextFrame (payload: Buffer): Buffer {
  const length = payload.length
  let header: Buffer
  if (length < 126) {
    header = Buffer.allocUnsafe(2)
    header[1] = length
  } else if (length < 65536) {
    header = Buffer.allocUnsafe(4)
    header[1] = 126
    header.writeUInt16BE(length, 2)
  } else {
    header = Buffer.allocUnsafe(10)
    header[1] = 127
    header.writeUInt32BE(Math.floor(length / 2 ** 32), 2)
    header.writeUInt32BE(length >>> 0, 6)
  }
  header[0] = 0x81
  return Buffer.concat([header, payload], header.length + length)
}

/** Serialises a frame object once: JSON, UTF-8, WebSocket framing. */
export function encodeJsonFrame (frame: object): Buffer {
  return encodeTextFrame(Buffer.from(JSON.stringify(frame), 'utf8'))
}
