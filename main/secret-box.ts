/**
 * The AI key's box on the desktop: sealed with the OS keychain through Electron's safeStorage (its
 * async API) where the OS offers one, stored as is where it does not (the console says so).
 * @see https://www.electronjs.org/docs/latest/api/safe-storage
 */
import type { SafeStorage } from 'electron'
import type { SecretBox } from '../server/ports.js'

/** The server's `SecretBox` port, as the desktop provides it. */
export type DesktopSecretBox = SecretBox

export type SafeStorageApi = Pick<SafeStorage, 'isAsyncEncryptionAvailable' | 'encryptStringAsync' | 'decryptStringAsync' | 'getSelectedStorageBackend'>

const SEALED = 'os1:'
const PLAIN = 'plain:'

/**
 * Creates the box once the app is ready. On Linux without a keyring Chromium falls back to a
 * fixed key ('basic_text'), which protects nothing: that counts as unavailable.
 */
export async function createSafeStorageBox (safeStorage: SafeStorageApi, platform: NodeJS.Platform): Promise<DesktopSecretBox> {
  let isAvailable = false
  try {
    isAvailable = await safeStorage.isAsyncEncryptionAvailable()
    if (isAvailable && platform === 'linux' && safeStorage.getSelectedStorageBackend() === 'basic_text') isAvailable = false
  } catch {
    isAvailable = false
  }
  return {
    isEncryptionAvailable: isAvailable,
    async seal (plain) {
      if (!isAvailable) return PLAIN + plain
      return SEALED + (await safeStorage.encryptStringAsync(plain)).toString('base64')
    },
    async open (sealed) {
      if (sealed.startsWith(PLAIN)) return sealed.slice(PLAIN.length)
      // A key stored by the server's plain box (no prefix) is the key itself.
      if (!sealed.startsWith(SEALED)) return sealed
      if (!isAvailable) throw new Error('The stored AI key was sealed with the OS keychain, which is not available now; enter the key again in the console.')
      const { result } = await safeStorage.decryptStringAsync(Buffer.from(sealed.slice(SEALED.length), 'base64'))
      return result
    }
  }
}
