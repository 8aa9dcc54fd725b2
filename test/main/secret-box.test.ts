import { test } from 'node:test'
import assert from 'node:assert/strict'
import { createSafeStorageBox, type SafeStorageApi } from '../../main/secret-box.js'

/** A safeStorage double that really transforms the bytes (XOR), so a sealed key never contains the key. */
function keychain (isAvailable: boolean, backend: ReturnType<SafeStorageApi['getSelectedStorageBackend']> = 'gnome_libsecret'): SafeStorageApi {
  const flip = (b: Buffer): Buffer => Buffer.from(b.map(x => x ^ 0x5a))
  return {
    isAsyncEncryptionAvailable: async () => isAvailable,
    getSelectedStorageBackend: () => backend,
    encryptStringAsync: async (plain) => flip(Buffer.from(plain, 'utf8')),
    decryptStringAsync: async (sealed) => ({ result: flip(sealed).toString('utf8'), shouldReEncrypt: false })
  }
}

test('with an OS keychain, the key is sealed by it and opens again', async () => {
  const box = await createSafeStorageBox(keychain(true), 'win32')
  assert.equal(box.isEncryptionAvailable, true)
  const sealed = await box.seal('app-SECRETKEY1234')
  assert.match(sealed, /^os1:/)
  assert.equal(sealed.includes('SECRETKEY'), false)
  assert.equal(await box.open(sealed), 'app-SECRETKEY1234')
})

test('Linux without a keyring (basic_text) counts as no encryption: the console must say so', async () => {
  const box = await createSafeStorageBox(keychain(true, 'basic_text'), 'linux')
  assert.equal(box.isEncryptionAvailable, false)
  const sealed = await box.seal('app-KEY')
  assert.equal(sealed, 'plain:app-KEY')
  assert.equal(await box.open(sealed), 'app-KEY')
})

test('a key sealed by the keychain cannot be opened once the keychain is gone, and says what to do', async () => {
  const sealed = await (await createSafeStorageBox(keychain(true), 'darwin')).seal('app-KEY')
  const without = await createSafeStorageBox(keychain(false), 'darwin')
  await assert.rejects(without.open(sealed), /enter the key again/)
  assert.equal(await without.open('app-STOREDPLAIN'), 'app-STOREDPLAIN', 'a key the plain box stored')
})

test('a keychain check that throws means unavailable, not a crash', async () => {
  const broken = { ...keychain(true), isAsyncEncryptionAvailable: async () => { throw new Error('dbus') } }
  assert.equal((await createSafeStorageBox(broken, 'linux')).isEncryptionAvailable, false)
})
