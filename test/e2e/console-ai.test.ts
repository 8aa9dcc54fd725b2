/**
 * AI settings in the console against the real host and the fake Dify: Test connection with a wrong
 * key names the failure; with the right key it shows the app's opening statement; saving keeps only
 * the key's last 4 characters in view. The app's input form is filled in for the room and its
 * values go with every question.
 */
import assert from 'node:assert/strict'
import { screensDir } from './support.js'
import { after, before, describe, test } from 'node:test'
import type { Browser } from 'playwright-core'
import { launchBrowser, NO_CHROMIUM } from '../helpers/browser.js'
import { CLASS_INPUT_FORM, startFakeDify, type FakeDify } from '../helpers/fake-dify.js'
import { openConsole, startBareHost, type BareHost } from './console-support.js'

/** A fresh host (no AI configured), a fake Dify app with an input form, and Chromium, for one describe block. */
function useHostWithFormApp (): { host: BareHost, dify: FakeDify, browser: Browser } {
  const room = {} as { host: BareHost, dify: FakeDify, browser: Browser }
  before(async () => {
    room.dify = await startFakeDify({ tokenDelayMs: 10, inputForm: CLASS_INPUT_FORM })
    room.host = await startBareHost()
    room.browser = await launchBrowser()
  })
  after(async () => {
    await room.browser?.close()
    await room.host?.close()
    await room.dify?.close()
  })
  return room
}

describe('AI settings in Chromium', { skip: NO_CHROMIUM }, () => {
  const room = useHostWithFormApp()

  test('Test connection names a refused key, then shows the app with the right one, and saving keeps the last 4', { timeout: 60_000 }, async () => {
    const { host, dify, browser } = room
    const { page, context, errors } = await openConsole(browser, host.url, { section: 'AI settings' })
    try {
      await page.getByTestId('key-state').getByText('No key saved.').waitFor()
      await page.getByLabel('Dify API address').fill(dify.url)
      await page.getByLabel('App API key').fill('app-wrong-key')
      await page.getByRole('button', { name: 'Test connection' }).click()
      const failed = page.getByTestId('test-result')
      await failed.getByText('Connection failed').waitFor({ timeout: 15_000 })
      const failure = await failed.innerText()
      assert.match(failure, /key/i, `the failure names the key: ${failure}`)

      await page.getByLabel('App API key').fill(dify.apiKey)
      await page.getByRole('button', { name: 'Test connection' }).click()
      const ok = page.getByTestId('test-result')
      await ok.getByText('Connected.').waitFor({ timeout: 15_000 })
      await ok.getByText(/the room's AI assistant/).waitFor()
      // What the app has on: photos are on by default ("check"), and this app cannot see them.
      assert.match(await ok.locator('.feature-list').innerText(), /photos reach the model[\s\S]*taught answers/)
      await ok.getByText(/The app has vision off/).waitFor()
      await ok.scrollIntoViewIfNeeded()
      await page.screenshot({ path: `${screensDir('console-ai')}/test-connection.png` })

      await page.getByRole('button', { name: 'Save', exact: true }).click()
      await page.getByTestId('key-state').getByText(`ends in …${dify.apiKey.slice(-4)}`).waitFor({ timeout: 10_000 })
      assert.equal(await page.getByLabel('App API key').inputValue(), '', 'the key field is emptied after saving')
      assert.ok(!(await page.content()).includes(dify.apiKey), 'the whole key is nowhere in the page')
      assert.deepEqual(errors, [])
    } finally {
      await context.close()
    }
  })
})

describe('the Dify app\'s input form in Chromium', { skip: NO_CHROMIUM }, () => {
  const room = useHostWithFormApp()

  test('names the required input still empty, saves the values, and they go with the next question', { timeout: 60_000 }, async () => {
    const { host, dify, browser } = room
    const { page, context, errors } = await openConsole(browser, host.url, { section: 'AI settings' })
    try {
      await page.getByLabel('Dify API address').fill(dify.url)
      await page.getByLabel('App API key').fill(dify.apiKey)
      await page.getByRole('button', { name: 'Save', exact: true }).click()
      await page.getByTestId('key-state').getByText('ends in').waitFor({ timeout: 10_000 })
      await page.getByRole('button', { name: 'Test connection' }).click()
      await page.getByTestId('test-result').getByText(/required by the app: Subject/).waitFor({ timeout: 15_000 })

      const subject = page.getByLabel(/Subject/)
      assert.match(await page.locator('.field', { has: subject }).innerText(), /required/)
      await subject.selectOption('Biology')
      await page.getByLabel('Grade').fill('8')
      await page.getByRole('button', { name: 'Save inputs' }).click()
      await page.getByText('Saved.').waitFor()
      await page.getByRole('button', { name: 'Test connection' }).click()
      await page.getByTestId('test-result').getByText('Connected.').waitFor({ timeout: 15_000 })
      assert.equal(await page.getByTestId('test-result').getByText(/required by the app/).count(), 0)

      await page.locator('.console__nav .nav-item', { hasText: /^💬Room$/ }).click()
      await page.getByLabel('Message the room as Host').fill('@ai what is osmosis?')
      await page.getByLabel('Message the room as Host').press('Enter')
      await page.locator('.msg--ai.msg--complete').waitFor({ timeout: 20_000 })
      const asked = dify.requests.filter(r => r.path.startsWith('/v1/chat-messages')).at(-1)
      const inputs = (asked?.body as { inputs?: Record<string, unknown> } | undefined)?.inputs
      assert.equal(inputs?.subject, 'Biology')
      assert.equal(inputs?.grade, '8')
      assert.deepEqual(errors, [])
    } finally {
      await context.close()
    }
  })
})
