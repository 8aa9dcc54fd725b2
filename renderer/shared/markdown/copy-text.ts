/**
 * Copies text to the clipboard. `navigator.clipboard` only exists on secure origins, and a LAN
 * host is usually plain http://192.168.x.y, so the old textarea + `execCommand` path is the fallback.
 */
export async function copyText (text: string): Promise<boolean> {
  if (globalThis.isSecureContext && navigator.clipboard?.writeText) {
    try {
      await navigator.clipboard.writeText(text)
      return true
    } catch { /* fall back below */ }
  }
  const area = document.createElement('textarea')
  area.value = text
  area.setAttribute('readonly', '')
  area.style.position = 'fixed'
  area.style.opacity = '0'
  area.style.pointerEvents = 'none'
  document.body.appendChild(area)
  area.select()
  let isCopied = false
  try {
    // Deprecated but the only option outside secure contexts.
    isCopied = document.execCommand('copy')
  } catch {
    isCopied = false
  }
  area.remove()
  return isCopied
}
