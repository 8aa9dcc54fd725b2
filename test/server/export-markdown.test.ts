/**
 * The Markdown lesson record cannot be forged: whatever participants and the AI write, the parsed
 * record (micromark, CommonMark and GFM, as the console and most editors read it) has exactly the
 * headings and speaker lines the export wrote, and no raw HTML.
 */
import { test } from 'node:test'
import assert from 'node:assert/strict'
import fc from 'fast-check'
import { fromMarkdown } from 'mdast-util-from-markdown'
import { gfm } from 'micromark-extension-gfm'
import { gfmFromMarkdown } from 'mdast-util-gfm'
import type { Nodes, Root } from 'mdast'
import { startHost } from '../helpers/host.js'
import { admin } from '../helpers/admin.js'
import { startFakeDify } from '../helpers/fake-dify.js'
import { createDifyGateway } from '../../server/adapters/dify-gateway.js'
import { toMarkdown } from '../../server/export/markdown.js'
import { escapePlainText, neutralizeMarkdown } from '../../server/export/markdown-escape.js'
import type { ExportDocument, ExportMessage } from '../../server/protocol/index.js'

const FORGERY = 'hi\n\n**Host** · 22:01\n\n## Lesson 2\n<script>alert(1)</script><img src=x onerror=alert(1)>'

const parse = (md: string): Root => fromMarkdown(md, { extensions: [gfm()], mdastExtensions: [gfmFromMarkdown()] })

function all (node: Nodes, type: string): Nodes[] {
  const found: Nodes[] = node.type === type ? [node] : []
  if ('children' in node) for (const child of node.children) found.push(...all(child, type))
  return found
}

const text = (node: Nodes): string => node.type === 'break' ? '\n' : 'value' in node ? node.value : 'children' in node ? node.children.map(text).join('') : ''

/** The record's speaker lines: a paragraph of the document itself that opens with a bold name and " · HH:MM". */
function speakers (root: Root): string[] {
  return root.children.flatMap(n => {
    if (n.type !== 'paragraph') return []
    const [first, second] = n.children
    return first?.type === 'strong' && second?.type === 'text' && /^ · \d\d:\d\d/.test(second.value) ? [text(first)] : []
  })
}

const headings = (root: Root): string[] => all(root, 'heading').map(h => `${'#'.repeat((h as { depth: number }).depth)} ${text(h)}`)

function message (over: Partial<ExportMessage> & Pick<ExportMessage, 'id' | 'role' | 'content'>): ExportMessage {
  return {
    seq: over.id,
    session_id: 1,
    status: 'complete',
    from_user: over.role === 'user' ? 'Kim' : 'AI',
    from_user_id: over.role === 'user' ? 1 : null,
    timestamp: Date.UTC(2026, 0, 5, 9, over.id),
    reply_to: null,
    hidden: false,
    citations: null,
    usage: null,
    ...over
  }
}

function doc (messages: ExportMessage[], summary: string | null): ExportDocument {
  return { room: { id: 'r', name: 'Biology' }, exported_at: Date.UTC(2026, 0, 5, 10), sessions: [{ id: 1, started_at: Date.UTC(2026, 0, 5, 9), summary }], messages }
}

const EXPECTED_HEADINGS = (summary: boolean): string[] => ['# Biology — lesson record', ...(['## Lesson 1 — ']), ...(summary ? ['### Summary'] : []), '### Transcript']

function assertUnforged (md: string, authors: string[], summary: boolean): Root {
  const root = parse(md)
  assert.deepEqual(headings(root).map(h => h.startsWith('## Lesson 1 — ') ? '## Lesson 1 — ' : h), EXPECTED_HEADINGS(summary), md)
  assert.deepEqual(speakers(root), authors, md)
  assert.deepEqual(all(root, 'html'), [], md)
  return root
}

test('the forging message, the AI echoing it and a summary quoting it forge no heading, speaker line or HTML', () => {
  const md = toMarkdown(doc([
    message({ id: 1, role: 'user', content: FORGERY, asks_ai: true }),
    message({ id: 2, role: 'assistant', content: `## Re: ${FORGERY}\n\nYou asked:\n\n${FORGERY}`, reply_to: 1 }),
    message({ id: 3, role: 'user', content: 'Setext\n===\nand\n---\n  1. not a list\n    indented\n```\nopen fence', from_user: '**Host** · 22:01 <b>' })
  ], `# Summary\n${FORGERY}\n\`\`\`\nnever closed`))
  const root = assertUnforged(md, ['Kim', 'AI', '**Host** · 22:01 <b>'], true)
  // the participant's text reads as typed, line by line
  const paragraphs = all(root, 'paragraph').map(text)
  assert.ok(paragraphs.includes('**Host** · 22:01'), 'the forged speaker line is plain text')
  assert.ok(paragraphs.includes('## Lesson 2\n<script>alert(1)</script><img src=x onerror=alert(1)>'), paragraphs.join('\n---\n'))
  assert.ok(paragraphs.includes('Setext\n===\nand\n---\n1. not a list\nindented\n```\nopen fence'), paragraphs.join('\n---\n'))
  assert.match(md, /\*\*Kim\*\* · \d\d:\d\d _\(asked the AI\)_/)
  // the AI's and the summary's words are in quotes
  assert.equal(root.children.filter(n => n.type === 'blockquote').length, 2)
})

test('ordinary Markdown in an answer stays Markdown: lists, emphasis, tables, links and code as written', () => {
  const answer = [
    '## Steps', '', '1. **Install** it:', '', '   ```bash', '   # a comment', '   npm i', '   ```', '', '- a *b* `c<d>` [site](https://x.org)', '',
    '```python', '# a comment stays', '<not a tag>', '## nor a heading', '```', '', '| A | B |', '| --- | --- |', '| 1 | 2 |', '', '---', '', 'x < y and <br> ~~gone~~'
  ].join('\n')
  const md = toMarkdown(doc([message({ id: 1, role: 'user', content: '@ai steps?', asks_ai: true }), message({ id: 2, role: 'assistant', content: answer, reply_to: 1 })], null))
  const root = assertUnforged(md, ['Kim', 'AI'], false)
  const quote = root.children.find(n => n.type === 'blockquote')!
  assert.ok(all(quote, 'strong').some(s => text(s) === 'Steps'), 'a heading reads as a bold line')
  assert.equal(all(quote, 'list').length >= 2, true)
  assert.equal(all(quote, 'table').length, 1)
  assert.equal(all(quote, 'link').length, 1)
  assert.equal(all(quote, 'delete').length, 1)
  assert.equal(all(quote, 'thematicBreak').length, 1)
  const code = all(quote, 'code').map(c => (c as { value: string }).value)
  assert.ok(code.includes('# a comment stays\n<not a tag>\n## nor a heading'), code.join('\n---\n'))
  assert.ok(all(quote, 'paragraph').some(p => text(p) === 'x < y and <br> gone'))
})

test('random participant and AI text never forges the record', () => {
  const piece = fc.constantFrom(
    '#', '## ', '###### x', '=', '===', '-', '---', '- ', '* ', '+ ', '1. ', '1) ', '> ', '>', '```', '~~~', '``` x`', '    ', '   ', '\t', ' ',
    '\n', '\n\n', '\r', '\r\n', '<', '<script>', '<img src=x onerror=alert(1)>', '</p>', '<!-- c -->', '<?x?>', '<![CDATA[', '<http://x>', '&lt;', '&#60;',
    '**', '__', '*', '_', 'Host', 'AI', ' · 22:01', '`', '\\', '[^1]: ', '[^1]', '[a]: /u', '|', '| --- |', 'x', 'text', '中文', '🙂',
    '- ```', '> ```', '  ```', '\n  ', '\n    ', 'http://x', 'www.x.com', '&', ';', '(', ')', '"', '[', ']', '!'
  )
  const chunk = fc.array(piece, { maxLength: 24 }).map(parts => parts.join(''))
  fc.assert(fc.property(chunk, chunk, fc.option(chunk, { nil: null }), (user, ai, summary) => {
    const md = toMarkdown(doc([
      message({ id: 1, role: 'user', content: user }),
      message({ id: 2, role: 'assistant', content: ai, reply_to: 1 }),
      message({ id: 3, role: 'user', content: ai, from_user: 'Lee' })
    ], summary))
    assertUnforged(md, ['Kim', 'AI', 'Lee'], summary !== null)
  }), { numRuns: Number(process.env.FUZZ_RUNS ?? 3000) })
})

test('the escapers keep plain text as typed and leave fenced code alone', () => {
  assert.equal(escapePlainText('a*b* <i> #1 & co\n\n2. x'), 'a\\*b\\* &lt;i\\> \\#1 \\& co\n\n2\\. x')
  assert.equal(escapePlainText('one\ntwo'), 'one\\\ntwo')
  assert.deepEqual(neutralizeMarkdown('# T\n```\n# code\n'), ['**T**', '', '```', '# code', '', '```'])
  assert.deepEqual(neutralizeMarkdown('text\n---\n<b> a < b'), ['text', '', '---', '&lt;b> a < b'])
})

test('the exported record marks every question to the AI and every decision of the gate', async (t) => {
  const dify = await startFakeDify({ tokenDelayMs: 1, pingIntervalMs: 200 })
  t.after(() => dify.close())
  const host = await startHost(t, {
    config: { difyApiUrl: dify.url, difyApiKey: dify.apiKey, aiMode: 'mention' },
    ai: () => createDifyGateway({ baseUrl: dify.url, apiKey: dify.apiKey, idleTimeoutMs: 3000, deadlineMs: 30_000, retries: 0, retryBaseMs: 20 })
  })
  const api = admin(host)
  const kim = await host.join('Kim')
  const a = await host.connect(kim.token)
  // a plain message that tries to forge the record, then the same asked of the AI (its answer echoes it)
  a.chat(FORGERY, 'f1')
  a.chat(`@ai ${FORGERY}`, 'f2')
  await a.waitType('ai_message_end', 1, 10_000)
  assert.equal((await api('PUT', '/api/admin/ai-mode', { ai_mode: 'approve' })).status, 200)
  const post = async (content: string, id: string): Promise<number> => {
    a.chat(content, id)
    const [f] = await a.waitFor(x => x.type === 'user_message' && x.client_msg_id === id)
    return (f as { id: number }).id
  }
  const yes = await post('@ai what is osmosis?', 'q1')
  const no = await post('@ai what is on the test?', 'q2')
  await a.waitFor(f => f.type === 'question_update' && f.message_id === no)
  assert.equal((await api('POST', `/api/admin/questions/${yes}/approve`, {})).status, 200)
  assert.equal((await api('POST', `/api/admin/questions/${no}/reject`, { reason: 'Later' })).status, 200)
  await a.waitType('ai_message_end', 2, 10_000)

  const res = await api('GET', '/api/admin/export?format=md')
  assert.equal(res.status, 200)
  const md = res.body as string
  const root = parse(md)
  assert.deepEqual(headings(root).filter(h => !h.startsWith('## Lesson 1 — ')), ['# Test Room — lesson record', '### Transcript'], md)
  assert.equal(headings(root).length, 3)
  assert.deepEqual(speakers(root), ['Kim', 'Kim', 'AI', 'Kim', 'Kim', 'AI'], md)
  assert.deepEqual(all(root, 'html'), [], md)
  const heads = md.split('\n').filter(l => /^\*\*(Kim|AI)\*\* · /.test(l)).map(l => l.replace(/ · \d\d:\d\d/, ''))
  assert.deepEqual(heads, [
    '**Kim**',
    '**Kim** _(asked the AI)_',
    '**AI**',
    '**Kim** _(asked the AI, approved by the host)_',
    '**Kim** _(question not taken: Later)_',
    '**AI**'
  ])
  const json = (await api('GET', '/api/admin/export?format=json')).body as ExportDocument
  assert.deepEqual(json.messages.filter(m => m.role === 'user').map(m => m.asks_ai === true), [false, true, true, true])
})
