/**
 * Runs the fake Dify on its own, for demos and manual runs of the host:
 *   npx tsx test/helpers/fake-dify-cli.ts --port 8089
 * then start the host with the DIFY_API_URL / DIFY_API_KEY it prints. Stops on Ctrl-C.
 */
import { parseArgs } from 'node:util'
import { DEFAULT_FAKE_DIFY_KEY, startFakeDify } from './fake-dify.js'
import { SCENARIOS } from './fake-dify/scenarios.js'

const USAGE = `Usage: npx tsx test/helpers/fake-dify-cli.ts [options]
  --port N            port on 127.0.0.1 (default 8089; 0 picks a free one)
  --key KEY           app key to accept (default ${DEFAULT_FAKE_DIFY_KEY})
  --token-delay MS    mean delay between tokens (default 30)
  --ping-interval MS  keep-alive ping clock (default 10000, as Dify)
  --scenario NAME     scenario when a question names none (default chat)
  --encoding E        orjson (default) or legacy (json.dumps era)
  --seed N            chunking seed (default 1)`

function main (): void {
  const { values } = parseArgs({
    options: {
      port: { type: 'string', default: '8089' },
      key: { type: 'string', default: DEFAULT_FAKE_DIFY_KEY },
      'token-delay': { type: 'string', default: '30' },
      'ping-interval': { type: 'string', default: '10000' },
      scenario: { type: 'string', default: 'chat' },
      encoding: { type: 'string', default: 'orjson' },
      seed: { type: 'string', default: '1' },
      help: { type: 'boolean', short: 'h', default: false }
    }
  })
  if (values.help) {
    console.log(USAGE)
    return
  }
  const int = (name: string, raw: string): number => {
    if (!/^\d+$/.test(raw)) throw new Error(`--${name} must be a whole number, got "${raw}"\n\n${USAGE}`)
    return Number(raw)
  }
  if (SCENARIOS[values.scenario] === undefined) throw new Error(`Unknown scenario "${values.scenario}". Known: ${Object.keys(SCENARIOS).join(', ')}`)
  if (values.encoding !== 'orjson' && values.encoding !== 'legacy') throw new Error('--encoding must be orjson or legacy')

  startFakeDify({
    port: int('port', values.port),
    apiKey: values.key,
    tokenDelayMs: int('token-delay', values['token-delay']),
    pingIntervalMs: Math.max(1, int('ping-interval', values['ping-interval'])),
    defaultScenario: values.scenario,
    encoding: values.encoding,
    seed: int('seed', values.seed)
  }).then((fake) => {
    console.log(`Fake Dify listening on ${fake.url}\n`)
    console.log(`  DIFY_API_URL=${fake.url}`)
    console.log(`  DIFY_API_KEY=${fake.apiKey}\n`)
    console.log('Choose a scenario inside a question, e.g. "@ai what time is it? [[scenario:agent]]".')
    console.log(`Scenarios: ${Object.keys(SCENARIOS).join(', ')}`)
    console.log('Also: [[scenario:http-429:N]] (fail N times first), [[encoding:legacy]], [[seed:N]], [[delay:MS]].')
    console.log('Press Ctrl-C to stop.')
    const stop = (): void => {
      fake.close().then(() => process.exit(0), () => process.exit(1))
    }
    process.once('SIGINT', stop)
    process.once('SIGTERM', stop)
  }, (err: unknown) => {
    console.error(`Could not start the fake Dify: ${err instanceof Error ? err.message : String(err)}`)
    process.exitCode = 1
  })
}

try {
  main()
} catch (err) {
  console.error(err instanceof Error ? err.message : String(err))
  process.exitCode = 2
}
