/**
 * What the fake Dify says: answers that echo the question (good for demos and screenshots), the
 * token split of a text, usage blocks, citations, and the bodies of the error responses.
 */

/** Splits text roughly like an LLM tokenizer: words with their leading space, CJK one or two at a time. */
export function tokenize (text: string, random: () => number): string[] {
  const tokens: string[] = []
  const pieces = text.match(/\s*[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}，。！？、：；（）]|\s*[^\s\p{Script=Han}]+|\s+/gu) ?? []
  let pending = ''
  for (const piece of pieces) {
    pending += piece
    const isCjk = /[\p{Script=Han}，。！？]/u.test(piece)
    if (!isCjk || random() < 0.5) {
      tokens.push(pending)
      pending = ''
    }
  }
  if (pending !== '') tokens.push(pending)
  return tokens
}

/** The demo answer of the `chat` scenario: Markdown with a list, code, a table, Chinese and emoji. */
export function chatAnswer (question: string, withCitation: boolean): string {
  const q = question.trim() === '' ? '(empty question)' : question.trim()
  const short = q.length > 80 ? `${q.slice(0, 79)}…` : q
  const lines = [
    `## Re: ${short.replace(/\n/g, ' ')}`,
    '',
    `You asked: “${q.replace(/\n/g, ' ')}”. Here is a short, structured answer 🙂`,
    '',
    '- **First**, break the question into smaller parts.',
    '- **Second**, check each part against what you already know.',
    '- **第三**：中文也可以正常显示 — 你好，世界！',
    '- **Finally**, emoji survive streaming too: 🚀✨👩‍💻',
    '',
    '```ts',
    'const answer = 42',
    // eslint-disable-next-line no-template-curly-in-string -- the demo answer shows a JS template literal
    'console.log(`The answer is ${answer}`)',
    '```',
    '',
    '| Item | Value |',
    '| --- | --- |',
    `| Question length | ${[...q].length} characters |`,
    '| Languages | English, 中文 |',
    ''
  ]
  if (withCitation) {
    lines.push('According to the team handbook [1], answers should always name their sources.', '')
  }
  lines.push('Hope this helps! 祝你今天愉快 🎉')
  return lines.join('\n')
}

/** The `slow` scenario's long answer. */
export function longAnswer (question: string): string {
  const paragraph = 'Streaming keeps the room lively: every participant sees the answer grow word by word, ' +
    'even when the model takes a minute. 流式输出让每个人都能实时看到回答。 '
  const parts = [`## A long answer to: ${question.trim()}`, '']
  for (let i = 1; i <= 12; i++) parts.push(`**Part ${i}.** ${paragraph}`, '')
  parts.push('The end ✅')
  return parts.join('\n')
}

/**
 * A runaway answer of exactly `chars` characters (code points): a model stuck in a loop. Mostly
 * ASCII, with CJK and an emoji (a surrogate pair) in every paragraph, so a cut can land anywhere.
 */
export function hugeAnswer (chars: number): string {
  const unit = 'The model keeps going, paragraph after paragraph, long after the question was answered. 循环 🔁\n\n'
  const unitChars = [...unit].length
  const whole = unit.repeat(Math.floor(chars / unitChars))
  return whole + [...unit].slice(0, chars % unitChars).join('')
}

/** A usage block as in `message_end.metadata.usage` (prices are decimal strings). */
export function usage (promptTokens: number, completionTokens: number, latency: number, isChatflow = false): Record<string, unknown> {
  const promptPrice = (promptTokens * 0.15e-6).toFixed(7)
  const completionPrice = (completionTokens * 0.6e-6).toFixed(7)
  return {
    prompt_tokens: promptTokens,
    prompt_unit_price: '0.15',
    prompt_price_unit: '0.000001',
    prompt_price: promptPrice,
    completion_tokens: completionTokens,
    completion_unit_price: '0.6',
    completion_price_unit: '0.000001',
    completion_price: completionPrice,
    total_tokens: promptTokens + completionTokens,
    total_price: (Number(promptPrice) + Number(completionPrice)).toFixed(7),
    currency: 'USD',
    latency: Math.round(latency * 1000) / 1000,
    time_to_first_token: isChatflow ? 0.412 : null,
    time_to_generate: isChatflow ? Math.round(latency * 800) / 1000 : null
  }
}

/** One `retriever_resources` item with every 1.12.1 key. */
export function retrieverResource (): Record<string, unknown> {
  return {
    position: 1,
    dataset_id: '5a6b7c8d-9e0f-4a1b-8c2d-3e4f5a6b7c8d',
    dataset_name: 'Team handbook',
    document_id: '1f2e3d4c-5b6a-4978-8a9b-0c1d2e3f4a5b',
    document_name: 'handbook.md',
    data_source_type: 'upload_file',
    segment_id: '9a8b7c6d-5e4f-4a3b-9c2d-1e0f9a8b7c6d',
    retriever_from: 'api',
    score: 0.8731,
    hit_count: 3,
    word_count: 112,
    segment_position: 4,
    index_node_hash: 'b1946ac92492d2347c6235b4d2611184',
    content: 'Answers should always name their sources. 回答应当注明出处。',
    page: null,
    doc_metadata: null,
    title: null,
    files: null,
    summary: null
  }
}

export const HTML_502 = '<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n'

export const HTML_500 = '<html>\r\n<head><title>500 Internal Server Error</title></head>\r\n<body>\r\n<center><h1>500 Internal Server Error</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n'

export const HTML_CLOUDFLARE_1015 = '<!DOCTYPE html>\n<html lang="en-US">\n<head>\n<title>Access denied | api.dify.ai used Cloudflare to restrict access</title>\n' +
  '<meta charset="UTF-8" />\n</head>\n<body>\n<div id="cf-wrapper">\n<h1>Error 1015</h1>\n<h2>You are being rate limited</h2>\n' +
  '<p>The owner of this website (api.dify.ai) has banned you temporarily from accessing this website.</p>\n</div>\n</body>\n</html>\n'

/** A 1×1 PNG served for the relative `message_file` URLs. */
export const TINY_PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==', 'base64')
