/*
 * Figure 6, submit: what `client.submit` then a first `client.getTask` cost over the same two
 * requests sent bare, against the simulator's OpenAI-compatible routes on 127.0.0.1
 * (`POST /v1/videos`, `GET /v1/videos/{id}`). The SDK's extra work is the input checks, the
 * adapter's request and parse, the ref and the read's parse; the bare loop sends the same JSON
 * with `fetch` and reads the id with `JSON.parse`. Both run sequentially, one create at a time,
 * interleaved in rounds so drift hits both alike. Medians and p95 in microseconds.
 */
import { loadPackage, loadSimulator } from './lib/dist.mjs'
import { median, quantile, round } from './lib/stats.mjs'

const INPUT = { prompt: 'A red fox in snow', durationSeconds: 4, size: '1280x720' }

/** Runs the figure: `iterations` creates per contender per round, after `warmup` each. */
export async function runSubmit({ iterations, rounds, warmup, log }) {
  const { createClient, openai } = await loadPackage()
  const { startSimulator } = await loadSimulator()
  const sim = await startSimulator()
  const client = createClient({
    provider: openai({ baseURL: sim.baseURL, apiKey: sim.apiKey }),
    maxRequestsPerSecond: Number.POSITIVE_INFINITY,
  })
  const headers = { authorization: `Bearer ${sim.apiKey}`, accept: 'application/json' }
  const contenders = {
    // The SDK: submit, then the first read of the created task.
    sdk: async () => {
      const ref = await client.submit(INPUT)
      const task = await client.getTask(ref, { retries: 0 })
      if (task.id !== ref.taskId) throw new Error('bench: the SDK read another task')
    },
    // The same two requests with a bare `fetch`: the body built by hand, the id read by hand.
    fetch: async () => {
      const created = await fetch(`${sim.baseURL}/v1/videos`, {
        method: 'POST',
        headers: { ...headers, 'content-type': 'application/json' },
        body: JSON.stringify({ prompt: INPUT.prompt, seconds: '4', size: INPUT.size }),
      })
      const { id } = await created.json()
      const read = await fetch(`${sim.baseURL}/v1/videos/${encodeURIComponent(id)}`, { headers })
      const body = await read.json()
      if (body.id !== id) throw new Error('bench: fetch read another task')
    },
  }
  const samples = { sdk: [], fetch: [] }
  try {
    for (const run of Object.values(contenders)) for (let i = 0; i < warmup; i++) await run()
    for (let round = 0; round < rounds; round++) {
      for (const [name, run] of Object.entries(contenders)) {
        for (let i = 0; i < iterations; i++) {
          const started = process.hrtime.bigint()
          await run()
          samples[name].push(Number(process.hrtime.bigint() - started) / 1000)
        }
      }
      log?.(`   round ${round + 1}/${rounds}`)
    }
  } finally {
    await client.close()
    await sim.close()
  }
  // `round` keeps three significant digits.
  const summary = (values) => ({
    medianMicros: round(median(values)),
    p95Micros: round(quantile(values, 0.95)),
  })
  const sdk = summary(samples.sdk)
  const bare = summary(samples.fetch)
  const sdkMedian = median(samples.sdk)
  const fetchMedian = median(samples.fetch)
  return {
    iterations,
    rounds,
    warmup,
    route: 'POST /v1/videos, then GET /v1/videos/{id} (simulator, 127.0.0.1)',
    contenders: { sdk, fetch: bare },
    overheadMicros: round(sdkMedian - fetchMedian),
    ratioVsFetch: round(sdkMedian / fetchMedian),
  }
}
