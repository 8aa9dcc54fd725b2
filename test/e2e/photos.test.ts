/**
 * Photos in the room, in Chromium: a phone attaches a photo (the preview shows, the upload
 * finishes), sends it with a question; another phone sees the thumbnail and opens it large in a
 * dialog that Escape closes. Screenshots: test-results/screens/photos/.
 */
import assert from 'node:assert/strict'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, describe, test } from 'node:test'
import sharp from 'sharp'
import { joinRoom, openParticipant, PHONE, NO_CHROMIUM } from '../helpers/browser.js'
import { ADMIN_TOKEN as CONSOLE_TOKEN, axeViolations, goToSection, openConsole } from './console-support.js'
import { screensDir, useE2eRoom } from './support.js'

const ADMIN_TOKEN = 'e2e-photos-admin-token-0123456789'

/** A "photo of homework": a page with lines and a sum, as a phone camera would give (with EXIF). */
async function homeworkPhoto (path: string): Promise<void> {
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="1600" height="1200">
    <rect width="1600" height="1200" fill="#f4f1e8"/>
    ${Array.from({ length: 14 }, (_, i) => `<line x1="80" x2="1520" y1="${140 + i * 74}" y2="${140 + i * 74}" stroke="#9bb7d4" stroke-width="3"/>`).join('')}
    <text x="140" y="330" font-family="sans-serif" font-size="96" fill="#1d3557">3x + 5 = 20</text>
    <text x="140" y="480" font-family="sans-serif" font-size="96" fill="#1d3557">3x = 25</text>
    <text x="140" y="630" font-family="sans-serif" font-size="96" fill="#c1121f">x = 8.33 ?</text>
  </svg>`
  await sharp(Buffer.from(svg)).jpeg({ quality: 85 }).withExif({ IFD0: { Make: 'PhoneCo' }, IFD3: { GPSLatitudeRef: 'N', GPSLatitude: '51/1 30/1 0/1' } }).toFile(path)
}

describe('photos in Chromium', { skip: NO_CHROMIUM }, () => {
  const room = useE2eRoom({ tokenDelayMs: 10, extraArgs: ['--admin-token', ADMIN_TOKEN] })
  const work = mkdtempSync(join(tmpdir(), 'mindweb-photos-e2e-'))
  after(() => rmSync(work, { recursive: true, force: true }))

  test('a phone attaches a photo, sees its preview, sends it; another phone sees the thumbnail and opens it large', { timeout: 90_000 }, async () => {
    const dir = screensDir('photos')
    const photo = join(work, 'IMG_2041.jpg')
    await homeworkPhoto(photo)
    const set = await fetch(`${room.host.url}/api/admin/room`, { method: 'PUT', headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' }, body: JSON.stringify({ photos: 'on' }) })
    assert.equal(set.status, 200)

    const ann = await openParticipant(room.browser, room.host.url, PHONE)
    await joinRoom(ann.page, 'Ann', 0)
    const ben = await openParticipant(room.browser, room.host.url, PHONE)
    await joinRoom(ben.page, 'Ben', 1)

    const attach = ann.page.getByLabel('Add a photo')
    await attach.setInputFiles(photo)
    const preview = ann.page.getByRole('list', { name: 'Photos to send' }).getByRole('listitem')
    await preview.waitFor()
    await ann.page.locator('.attachment.is-done').waitFor({ timeout: 15_000 })
    await ann.page.getByRole('textbox', { name: 'Message' }).fill('What is wrong with my working?')
    await ann.page.screenshot({ path: join(dir, 'phone-photo-preview.png') })
    // Remove works, and the photo can be picked again.
    await ann.page.getByRole('button', { name: 'Remove this photo' }).click()
    assert.equal(await preview.count(), 0)
    await attach.setInputFiles(photo)
    await ann.page.locator('.attachment.is-done').waitFor({ timeout: 15_000 })
    await ann.page.getByRole('button', { name: 'Send' }).click()
    assert.equal(await ann.page.locator('.attachment').count(), 0, 'the previews go once it is sent')

    // Ben sees the thumbnail, loaded, and opens it.
    const thumb = ben.page.getByRole('button', { name: 'Open the photo from Ann' })
    await thumb.waitFor({ timeout: 15_000 })
    await ben.page.waitForFunction(() => {
      const img = (globalThis as unknown as { document: { querySelector: (s: string) => { complete: boolean, naturalWidth: number } | null } }).document.querySelector('.msg-photo img')
      return img !== null && img.complete && img.naturalWidth > 0
    }, undefined, { timeout: 10_000 })
    await ben.page.screenshot({ path: join(dir, 'phone-photo-in-room.png') })
    await thumb.click()
    const viewer = ben.page.getByRole('dialog', { name: 'Photo from Ann' })
    await viewer.waitFor()
    await ben.page.waitForFunction(() => {
      const img = (globalThis as unknown as { document: { querySelector: (s: string) => { complete: boolean, naturalWidth: number } | null } }).document.querySelector('.photo-viewer__img')
      return img !== null && img.complete && img.naturalWidth > 0
    }, undefined, { timeout: 10_000 })
    const large = await ben.page.locator('.photo-viewer__img').evaluate(img => (img as unknown as { naturalWidth: number }).naturalWidth)
    assert.equal(large, 1600, 'the large photo is the stored one, not the thumbnail')
    await ben.page.screenshot({ path: join(dir, 'phone-photo-large.png') })
    await ben.page.keyboard.press('Escape')
    await viewer.waitFor({ state: 'hidden' })
    assert.deepEqual([...ann.errors, ...ben.errors], [])
  })
})

describe('the teacher sees a photo first, in Chromium', { skip: NO_CHROMIUM }, () => {
  // photos are "check" by default: every photo waits for the host
  const room = useE2eRoom({ tokenDelayMs: 10, extraArgs: ['--admin-token', CONSOLE_TOKEN] })
  const work = mkdtempSync(join(tmpdir(), 'mindweb-photos-e2e-'))
  after(() => rmSync(work, { recursive: true, force: true }))

  test('a phone asks the AI with a photo; the console shows it held with the photo; let through, the room and the AI get it', { timeout: 120_000 }, async () => {
    const dir = screensDir('photos')
    const photo = join(work, 'IMG_2042.jpg')
    await homeworkPhoto(photo)
    const ann = await openParticipant(room.browser, room.host.url, PHONE)
    await joinRoom(ann.page, 'Ann', 0)
    const ben = await openParticipant(room.browser, room.host.url, PHONE)
    await joinRoom(ben.page, 'Ben', 1)

    await ann.page.getByLabel('Add a photo').setInputFiles(photo)
    await ann.page.locator('.attachment.is-done').waitFor({ timeout: 15_000 })
    await ann.page.locator('.attachments__status', { hasText: 'The host sees photos before the room does.' }).waitFor()
    await ann.page.getByRole('textbox', { name: 'Message' }).fill('@ai is my working right?')
    await ann.page.getByRole('button', { name: 'Send' }).click()
    await ann.page.locator('.msg--held', { hasText: /waiting for the host/ }).waitFor({ timeout: 10_000 })
    assert.equal(await ann.page.locator('.msg--held').getByRole('button', { name: 'Resend' }).count(), 0, 'a held message is not an error to resend')
    await ann.page.screenshot({ path: join(dir, 'phone-photo-held.png') })

    const host = await openConsole(room.browser, room.host.url, { viewport: { width: 1366, height: 768 }, bypassCSP: true })
    await goToSection(host.page, 'Questions')
    const held = host.page.locator('.question--held', { hasText: 'is my working right?' })
    await held.waitFor({ timeout: 10_000 })
    assert.match(await held.innerText(), /has a photo/)
    await host.page.waitForFunction(() => {
      const img = (globalThis as unknown as { document: { querySelector: (s: string) => { complete: boolean, naturalWidth: number } | null } }).document.querySelector('.question--held .msg-photo img')
      return img !== null && img.complete && img.naturalWidth > 0
    }, undefined, { timeout: 10_000 })
    await host.page.screenshot({ path: join(dir, 'console-held-photo-1366x768.png') })
    assert.deepEqual(await axeViolations(host.page), [], 'the held list with a photo passes WCAG 2 AA checks')
    assert.equal(room.host.dify.uploads.length, 0, 'nothing went to the AI before the teacher let it through')

    await held.getByRole('button', { name: 'Let it through' }).click()
    await ben.page.getByRole('button', { name: 'Open the photo from Ann' }).waitFor({ timeout: 15_000 })
    await ben.page.locator('.msg--ai.msg--complete').first().waitFor({ timeout: 30_000 })
    assert.equal(room.host.dify.uploads.length, 1, 'the AI got the photo')
    const chat = room.host.dify.requests.find(r => r.path === '/v1/chat-messages')
    assert.equal((chat?.body as { files?: unknown[] } | undefined)?.files?.length, 1)
    await ben.page.screenshot({ path: join(dir, 'phone-photo-answered.png') })
    assert.deepEqual([...ann.errors, ...ben.errors, ...host.errors], [])
  })
})
