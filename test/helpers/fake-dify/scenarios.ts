/**
 * The fake Dify's scenarios. A stream scenario writes frames through a `StreamContext`; the
 * pre-stream failures (errors.ts) answer with an HTTP error instead, some N times before letting
 * the request through to the chat stream.
 * @see /work/shared/dify-api.md §3.4–3.6 (orders and frames), §4 (errors), §8 (checklist)
 */
import { randomUUID } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { PREFLIGHTS, type Preflight } from './errors.js'
import { chatAnswer, hugeAnswer, longAnswer, retrieverResource, tokenize, usage } from './content.js'

export interface StreamContext {
  /** The question with `[[…]]` directives removed. */
  readonly question: string
  /** The directive argument (`[[scenario:name:arg]]`), if any. */
  readonly arg: string | undefined
  readonly ids: { conversationId: string, messageId: string, taskId: string, createdAt: number }
  readonly random: () => number
  /** True once the stop endpoint was called for this task. */
  readonly isStopped: boolean
  /** True once the client went away. */
  readonly isClosed: boolean
  /** Queues one data frame: the envelope (event, conversation_id, message_id, created_at, task_id) then `fields`. */
  send (event: string, fields: Record<string, unknown>): void
  /** Queues an `error` frame (no task_id; key order differs for 500, as in Dify). */
  error (code: string, status: number, message: string): void
  ping (): void
  /** Writes some of what is queued, then waits `ms` (default: the token delay); wakes early on stop/close. */
  pause (ms?: number): Promise<void>
  /** Stops the periodic pings (a stalled server sends nothing at all). */
  stopPings (): void
  /** Writes everything queued now. */
  flush (): Promise<void>
  /** Writes part of what is queued and destroys the socket. */
  cut (): Promise<void>
  /** Queues raw bytes (fixture replay). */
  raw (text: string): void
}

export type StreamScenario = (ctx: StreamContext) => Promise<void>

export interface Scenario {
  preflight?: Preflight
  stream: StreamScenario
  /** Answers a streaming request with one blocking JSON body (as some proxies make Dify do). */
  isBlocking?: boolean
}

/** Characters of a `huge*` scenario: its argument, else 3.5 million (a runaway answer seen in class). */
function hugeChars (ctx: StreamContext): number {
  return ctx.arg !== undefined && /^\d+$/.test(ctx.arg) ? Number(ctx.arg) : 3_500_000
}

/** A long, ordinary answer (far taller than one screen, with a code block), in deltas of a few hundred characters. */
function screensOfAnswer (): string {
  const parts = ['# Photosynthesis, step by step', '', '```python', 'def light_reaction(photons):', '    return photons * 0.3', '```', '']
  for (let i = 1; i <= 30; i++) parts.push(`${i}. Step ${i}: the chloroplast passes energy along the chain, and the plant stores a little more sugar than before.`, '')
  parts.push('That is the whole story: the end of the answer.')
  return parts.join('\n')
}

async function screens (ctx: StreamContext): Promise<void> {
  const answer = screensOfAnswer()
  for (let at = 0; at < answer.length && !ctx.isStopped && !ctx.isClosed; at += 300) {
    ctx.send('message', { id: ctx.ids.messageId, answer: answer.slice(at, at + 300), from_variable_selector: null })
    await ctx.pause()
  }
  messageEnd(ctx, answer)
}

/** Streams a runaway answer in deltas of about 4,000 characters until it ends, is stopped or the client goes. */
async function huge (ctx: StreamContext): Promise<void> {
  const answer = hugeAnswer(hugeChars(ctx))
  let at = 0
  while (at < answer.length && !ctx.isStopped && !ctx.isClosed) {
    // Never split a surrogate pair between deltas: Dify sends whole characters.
    let end = Math.min(at + 4000, answer.length)
    if (/[\ud800-\udbff]/.test(answer[end - 1] ?? '')) end++
    ctx.send('message', { id: ctx.ids.messageId, answer: answer.slice(at, end), from_variable_selector: null })
    at = end
    await ctx.pause()
  }
  messageEnd(ctx, '')
}

const FIXTURES = new URL('../../fixtures/dify/', import.meta.url)

// ---------------------------------------------------------------- stream building blocks

/** Streams `text` as deltas of `event`; returns false when stopped or closed midway. */
async function streamText (ctx: StreamContext, text: string, event = 'message', extra: Record<string, unknown> = { from_variable_selector: null }): Promise<boolean> {
  for (const token of tokenize(text, ctx.random)) {
    if (ctx.isStopped || ctx.isClosed) return false
    ctx.send(event, { id: ctx.ids.messageId, answer: token, ...extra })
    await ctx.pause()
  }
  return true
}

function messageEnd (ctx: StreamContext, completion: string, options: { cite?: boolean, files?: unknown[] | null, isChatflow?: boolean } = {}): void {
  ctx.send('message_end', {
    id: ctx.ids.messageId,
    metadata: {
      annotation_reply: null,
      retriever_resources: options.cite === true ? [retrieverResource()] : [],
      usage: usage(Math.ceil(ctx.question.length / 4) + 18, tokenize(completion, () => 0).length, 0.5 + ctx.random(), options.isChatflow)
    },
    files: options.files ?? null
  })
}

async function chat (ctx: StreamContext): Promise<void> {
  const cite = /\bcite\b/i.test(ctx.question)
  // The host's "draft a quiz" prompt gets what a good model gives: the JSON asked for.
  const answer = isQuizPrompt(ctx.question) ? quizAnswer(ctx.question, 'json') : isGroupPrompt(ctx.question) ? groupAnswer(ctx.question) : chatAnswer(ctx.question, cite)
  await streamText(ctx, answer)
  messageEnd(ctx, answer, { cite })
}

const QUIZ = [
  { question: 'Which gas do plants take in for photosynthesis?', options: ['Oxygen', 'Carbon dioxide', 'Nitrogen'], correct: 1 },
  { question: 'Where in the cell does photosynthesis happen?', options: ['Mitochondria', 'Nucleus', 'Chloroplasts', 'Ribosomes'], correct: 2 },
  { question: 'What does a plant store the captured energy as?', options: ['Sugar', 'Salt', 'Water'], correct: 0 },
  { question: 'Which pigment makes leaves green?', options: ['Melanin', 'Chlorophyll', 'Keratin'], correct: 1 }
]

function isGroupPrompt (question: string): boolean {
  return /Sort the answers below into/.test(question)
}

/** Groups the listed answers as a model might: those naming light or the sun, and the rest (a misconception). */
function groupAnswer (prompt: string): string {
  const answers = prompt.split('--- answers ---')[1]?.split('\n').filter(l => l.startsWith('- ')).map(l => l.slice(2)) ?? []
  const light = answers.filter(a => /light|sun|光/i.test(a))
  const rest = answers.filter(a => !light.includes(a))
  const groups = [
    ...(light.length > 0 ? [{ theme: 'Light gives the energy', answers: light, is_misconception: false }] : []),
    ...(rest.length > 0 ? [{ theme: 'Plants eat soil', answers: rest, is_misconception: true }] : [])
  ]
  return 'Here are the themes:\n```json\n' + JSON.stringify(groups) + '\n```'
}

function isQuizPrompt (question: string): boolean {
  return /multiple-choice quiz question/.test(question)
}

/** A quiz as models write it: clean JSON, JSON in prose and a fence, or JSON broken halfway. */
function quizAnswer (prompt: string, style: 'json' | 'prose' | 'broken'): string {
  const count = Number(/Write (\d+)/.exec(prompt)?.[1] ?? 3)
  const json = JSON.stringify(Array.from({ length: count }, (_, i) => QUIZ[i % QUIZ.length]), null, 2)
  if (style === 'prose') return `Sure! Here are ${count} questions based on the lesson:\n\n\`\`\`json\n${json}\n\`\`\`\n\nGood luck to the class!`
  if (style === 'broken') return `Here you go: ${json.slice(0, Math.floor(json.length / 2))}`
  return json
}

function thought (ctx: StreamContext, id: string, position: number, fields: Partial<Record<'thought' | 'observation' | 'tool' | 'tool_input', string>> & { tool_labels?: unknown, message_files?: string[] }): void {
  ctx.send('agent_thought', {
    id,
    position,
    thought: fields.thought ?? '',
    observation: fields.observation ?? '',
    tool: fields.tool ?? '',
    tool_labels: fields.tool_labels ?? {},
    tool_input: fields.tool_input ?? '',
    message_files: fields.message_files ?? []
  })
}

async function agent (ctx: StreamContext, withFile = false): Promise<void> {
  const first = randomUUID()
  const second = randomUUID()
  const now = new Date().toISOString().slice(11, 16)
  const labels = { current_time: { en_US: 'Current Time', zh_Hans: '获取当前时间' } }
  const input = JSON.stringify({ current_time: { timezone: 'UTC' } }).replace(/":/g, '": ')
  thought(ctx, first, 1, {})
  await ctx.pause()
  thought(ctx, first, 1, { tool: 'current_time', tool_labels: labels, tool_input: input })
  await ctx.pause()
  const files: string[] = []
  if (withFile) {
    const fileId = randomUUID()
    files.push(fileId)
    ctx.send('message_file', {
      id: fileId,
      type: 'image',
      belongs_to: 'assistant',
      url: `/files/tools/${randomUUID()}.png?timestamp=${ctx.ids.createdAt}&nonce=3f2a9c0d4e5b6a7c&sign=3Kq1f0b9Vt2y8XrYb6cL0mH4nW7pQ2sD5eF8gJ1kA0M=`
    })
  }
  thought(ctx, first, 1, { tool: 'current_time', tool_labels: labels, tool_input: input, observation: `{"current_time": "${now} UTC"}`, message_files: files })
  await ctx.pause()
  thought(ctx, second, 2, {})
  const text = `I checked the clock with the **current_time** tool: it is ${now} UTC ⏰. You asked: “${ctx.question.trim()}” — 明白了！`
  await streamText(ctx, text, 'agent_message', {})
  thought(ctx, second, 2, { thought: text })
  messageEnd(ctx, text)
}

function workflowEvent (ctx: StreamContext, runId: string, event: string, data: Record<string, unknown>): void {
  ctx.send(event, { workflow_run_id: runId, data })
}

function node (ctx: StreamContext, runId: string, nodeId: string, type: string, title: string, index: number, finished?: { status: string, outputs?: unknown, error?: string | null }): void {
  const base = { id: `${runId.slice(0, 24)}${String(index).padStart(12, '0')}`, node_id: nodeId, node_type: type, title, index, predecessor_node_id: null }
  const at = Math.floor(Date.now() / 1000)
  if (finished === undefined) {
    workflowEvent(ctx, runId, 'node_started', { ...base, inputs: null, inputs_truncated: false, created_at: at, extras: {}, iteration_id: null, loop_id: null, agent_strategy: null })
    return
  }
  workflowEvent(ctx, runId, 'node_finished', {
    ...base,
    inputs: {},
    inputs_truncated: false,
    process_data: null,
    process_data_truncated: false,
    outputs: finished.outputs ?? null,
    outputs_truncated: false,
    status: finished.status,
    error: finished.error ?? null,
    elapsed_time: Math.round(ctx.random() * 1000) / 1000,
    execution_metadata: null,
    created_at: at,
    finished_at: at,
    files: [],
    iteration_id: null,
    loop_id: null
  })
}

async function chatflow (ctx: StreamContext, order: 'source' | 'docs' | 'failed'): Promise<void> {
  const runId = randomUUID()
  const workflowId = '7c3e33d4-2a8b-4e5f-9b1a-d3c6e8f12345'
  const at = Math.floor(Date.now() / 1000)
  workflowEvent(ctx, runId, 'workflow_started', { id: runId, workflow_id: workflowId, inputs: { 'sys.query': ctx.question, 'sys.conversation_id': ctx.ids.conversationId }, created_at: at })
  node(ctx, runId, '1770000000001', 'start', 'Start', 1)
  node(ctx, runId, '1770000000001', 'start', 'Start', 1, { status: 'succeeded', outputs: { 'sys.query': ctx.question } })
  await ctx.pause()
  node(ctx, runId, '1770000000002', 'llm', 'LLM', 2)
  await ctx.pause()
  const finished = (status: string, error: string | null, outputs: unknown): void => workflowEvent(ctx, runId, 'workflow_finished', {
    id: runId,
    workflow_id: workflowId,
    status,
    outputs,
    error,
    elapsed_time: 1.118,
    total_tokens: 33,
    total_steps: 3,
    created_by: { id: randomUUID(), user: 'api-user' },
    created_at: at,
    finished_at: Math.floor(Date.now() / 1000),
    exceptions_count: 0,
    files: []
  })
  if (order === 'failed') {
    const error = '[openai] Error: Connection timed out'
    node(ctx, runId, '1770000000002', 'llm', 'LLM', 2, { status: 'failed', error })
    finished('failed', error, null)
    ctx.error('invalid_param', 400, `Run failed: ${error}`)
    return
  }
  const text = `**Chatflow answer** to “${ctx.question.trim()}”: the workflow ran Start → LLM → Answer. 工作流运行成功 ✅`
  const isComplete = await streamText(ctx, text, 'message', { from_variable_selector: ['1770000000002', 'text'] })
  node(ctx, runId, '1770000000002', 'llm', 'LLM', 2, { status: isComplete ? 'succeeded' : 'stopped', outputs: { text } })
  if (isComplete) {
    node(ctx, runId, 'answer', 'answer', 'Answer', 3)
    node(ctx, runId, 'answer', 'answer', 'Answer', 3, { status: 'succeeded', outputs: { answer: text, files: [] } })
  }
  const status = isComplete ? 'succeeded' : 'stopped'
  if (order === 'docs') {
    messageEnd(ctx, text, { files: [], isChatflow: true })
    finished(status, null, { answer: text })
  } else {
    finished(status, null, { answer: text })
    messageEnd(ctx, text, { files: [], isChatflow: true })
  }
}

async function replay (ctx: StreamContext, name: string): Promise<void> {
  const text = readFileSync(new URL(`${name.replace(/[^a-z0-9-]/gi, '')}.sse`, FIXTURES), 'utf8')
  for (const frame of text.split(/(?<=\n\r?\n)/)) {
    if (frame === '') continue
    ctx.raw(frame)
    await ctx.pause()
  }
}

// ---------------------------------------------------------------- the catalogue

/** Every scenario, by the name used in `[[scenario:<name>]]`. */
/**
 * A question an annotation answers: its answer one character per `message` event, ~10 ms apart,
 * and `message_end.metadata.annotation_reply` naming it (dify-api.md: canned replies).
 */
export function annotationReply (annotation: { id: string, answer: string }): StreamScenario {
  return async (ctx) => {
    for (const char of annotation.answer) {
      if (ctx.isStopped || ctx.isClosed) return
      ctx.send('message', { id: ctx.ids.messageId, answer: char, from_variable_selector: null })
      await ctx.pause(10)
    }
    ctx.send('message_end', {
      id: ctx.ids.messageId,
      metadata: { annotation_reply: { id: annotation.id, account: { id: 'a7d3c1e2-0000-4000-8000-000000000001', name: 'Teacher' } }, retriever_resources: [], usage: usage(0, 0, 0) },
      files: null
    })
  }
}

export const SCENARIOS: Record<string, Scenario> = {
  chat: { stream: chat },
  legacy: { stream: chat }, // chat in the json.dumps encoding (the server switches it)
  agent: { stream: async (ctx) => await agent(ctx) },
  'agent-file': { stream: async (ctx) => await agent(ctx, true) },
  chatflow: { stream: async (ctx) => await chatflow(ctx, 'source') },
  'chatflow-docs-order': { stream: async (ctx) => await chatflow(ctx, 'docs') },
  'chatflow-failed': { stream: async (ctx) => await chatflow(ctx, 'failed') },
  replace: {
    stream: async (ctx) => {
      const answer = 'Here is something the moderation will not like: 不合适的内容'
      await streamText(ctx, answer)
      const replacement = "Sorry, I can't help with that. 抱歉，这个问题我无法回答。"
      ctx.send('message_replace', { answer: replacement, reason: 'output_moderation' })
      messageEnd(ctx, replacement)
    }
  },
  'message-file-text': {
    stream: async (ctx) => {
      const answer = chatAnswer(ctx.question, false)
      await streamText(ctx, answer, 'message_file')
      messageEnd(ctx, answer)
    }
  },
  tts: {
    stream: async (ctx) => {
      const answer = chatAnswer(ctx.question, false)
      let n = 0
      for (const token of tokenize(answer, ctx.random)) {
        if (ctx.isStopped || ctx.isClosed) break
        ctx.send('message', { id: ctx.ids.messageId, answer: token, from_variable_selector: null })
        if (++n % 5 === 0) ctx.send('tts_message', { audio: 'SUQzBAAAAAAAI1RTU0UAAAAPAAADTGF2ZjU4Ljc2LjEwMAAAAAAAAAAAAAAA//tQxAAAAAAA' })
        await ctx.pause()
      }
      messageEnd(ctx, answer)
      await ctx.pause()
      ctx.send('tts_message', { audio: 'SUQzBAAAAAAAI1RTU0UAAAAPAAADTGF2ZjU4Ljc2LjEwMAAAAAAAAAAAAAAA//tQxAAAAAAA' })
      await ctx.pause()
      ctx.send('tts_message_end', { audio: '' })
    }
  },
  'ping-after-end': {
    stream: async (ctx) => {
      await chat(ctx)
      await ctx.pause()
      ctx.ping()
      await ctx.pause()
      ctx.ping()
      await ctx.pause(50)
    }
  },
  'no-end': { stream: async (ctx) => { await streamText(ctx, 'This answer just stops without a message_end — 没有结束事件') } },
  cut: {
    stream: async (ctx) => {
      await streamText(ctx, 'The connection will be cut in the middle of 这句话')
      ctx.send('message', { id: ctx.ids.messageId, answer: ' and this frame never arrives whole', from_variable_selector: null })
      await ctx.cut()
    }
  },
  'error-mid': {
    stream: async (ctx) => {
      await streamText(ctx, 'I started answering, but then')
      ctx.error('completion_request_error', 400, '[openai] Rate Limit Error, Error code: 429')
    }
  },
  'error-500-frame': {
    stream: async (ctx) => {
      await streamText(ctx, 'Something will break')
      ctx.error('internal_server_error', 500, 'Internal Server Error, please contact support.')
    }
  },
  'slow-first-byte': {
    stream: async (ctx) => {
      await ctx.pause(ctx.arg !== undefined && /^\d+$/.test(ctx.arg) ? Number(ctx.arg) : 1500)
      await chat(ctx)
    }
  },
  stall: {
    stream: async (ctx) => {
      await streamText(ctx, 'I will now go silent ... 然后沉默')
      ctx.stopPings()
      await ctx.flush()
      while (!ctx.isClosed && !ctx.isStopped) await ctx.pause(60_000)
      if (ctx.isStopped) messageEnd(ctx, '')
    }
  },
  slow: {
    stream: async (ctx) => {
      const answer = longAnswer(ctx.question)
      await streamText(ctx, answer)
      messageEnd(ctx, answer)
    }
  },
  fixture: { stream: async (ctx) => { await replay(ctx, ctx.arg ?? 'chat-basic') } },
  // Runaway answers (`[[scenario:huge:CHARS]]`): streamed, in one delta, as a replace, as one blocking body.
  huge: { stream: huge },
  long: { stream: screens },
  // The "draft a quiz" answer wrapped in prose and a code fence, or cut off mid-JSON.
  'quiz-prose': { stream: async (ctx) => { const a = quizAnswer(ctx.question, 'prose'); await streamText(ctx, a); messageEnd(ctx, a) } },
  'quiz-broken': { stream: async (ctx) => { const a = quizAnswer(ctx.question, 'broken'); await streamText(ctx, a); messageEnd(ctx, a) } },
  // A hostile answer (`[[scenario:nested:DEPTH]]`): DEPTH nested quotes, then deep lists, emphasis
  // and brackets, streamed in deltas; 3,000 quotes once overflowed the stack of every page.
  // An answer with formulas in the three notations models use, streamed token by token.
  math: {
    stream: async (ctx) => {
      const answer = 'The solutions of \\(ax^2 + bx + c = 0\\) are\n\n$$\nx = \\frac{-b \\pm \\sqrt{b^2 - 4ac}}{2a}\n$$\n\n' +
        'The discriminant \\(\\Delta = b^2 - 4ac\\) tells how many there are:\n\n\\[ \\Delta > 0 \\Rightarrow \\text{two real roots} \\]\n\nA ticket costs $5 and a book $10.'
      await streamText(ctx, answer)
      messageEnd(ctx, answer)
    }
  },
  nested: {
    stream: async (ctx) => {
      const depth = ctx.arg !== undefined && /^\d+$/.test(ctx.arg) ? Number(ctx.arg) : 3000
      const answer = '>'.repeat(depth) + ' the deepest quote\n\n' + '- '.repeat(depth) + 'the deepest item\n\n' +
        '*_'.repeat(depth) + 'the deepest emphasis\n\n' + '['.repeat(depth) + 'the deepest link' + '](https://example.test)'.repeat(depth)
      for (let at = 0; at < answer.length && !ctx.isStopped && !ctx.isClosed; at += 2000) {
        ctx.send('message', { id: ctx.ids.messageId, answer: answer.slice(at, at + 2000), from_variable_selector: null })
        await ctx.pause()
      }
      messageEnd(ctx, answer)
    }
  },
  'huge-delta': {
    stream: async (ctx) => {
      ctx.send('message', { id: ctx.ids.messageId, answer: hugeAnswer(hugeChars(ctx)), from_variable_selector: null })
      messageEnd(ctx, '')
    }
  },
  'huge-replace': {
    stream: async (ctx) => {
      await streamText(ctx, 'A short answer, then moderation swaps in a very long one.')
      ctx.send('message_replace', { answer: hugeAnswer(hugeChars(ctx)), reason: 'output_moderation' })
      messageEnd(ctx, '')
    }
  },
  'huge-blocking': {
    isBlocking: true,
    stream: async (ctx) => {
      ctx.send('message', { id: ctx.ids.messageId, answer: hugeAnswer(hugeChars(ctx)), from_variable_selector: null })
      messageEnd(ctx, '')
    }
  },
  // Pre-stream failures (errors.ts); once they let a request through, it gets the chat answer.
  ...Object.fromEntries(Object.entries(PREFLIGHTS).map(([name, preflight]) => [name, { preflight, stream: chat }]))
}
