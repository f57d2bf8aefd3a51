/*
 * Child process of figure 4: the cost of turning a response into a task, per adapter, beside
 * JSON.parse alone on the same bytes.
 *
 * Payloads: every fixture in test/fixtures/<provider>/ that the adapter turns into a task when
 * served as HTTP 200 (error bodies, which throw, are left out: an exception's cost is another
 * matter). `provider.parseResponse` is the full normalisation as the client calls it: JSON.parse,
 * the adapter's zod shape, the mapping, and defineProvider's VideoTaskSchema check of the result.
 * Also timed, as a breakdown: `VideoTaskSchema.safeParse` alone on the finished tasks.
 *
 * Each round times the three loops back to back over the same payloads (cycled) for about
 * `targetMs` each; the figure is the median over rounds, and the overhead is the median of the
 * per-round differences.
 *
 * Usage: node bench/parse-child.mjs '<json: {providers?, targetMs, rounds}>'
 */
import { readdirSync, readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { loadEngine, loadPackage } from './lib/dist.mjs'
import { median } from './lib/stats.mjs'

const { checkResult, doubao, genericTask, openai } = await loadPackage()
const { VideoTaskSchema } = await loadEngine()

const config = JSON.parse(process.argv[2] ?? '{}')
const targetMs = config.targetMs ?? 100
const rounds = config.rounds ?? 7
const fixtures = fileURLToPath(new URL('../test/fixtures/', import.meta.url))
const BASE = 'https://vendor.example.test'
// The public factories' providers load their adapter on first use (`Provider.load`, issue 12):
// `parseResponse` throws until then, so each is loaded first (a client does the same).
const ready = async (provider) => (await provider.load?.()) ?? provider
const PROVIDERS = {
  openai: await ready(openai({ baseURL: BASE, apiKey: 'sk-bench' })),
  doubao: await ready(doubao({ baseURL: BASE, apiKey: 'sk-bench' })),
  'generic-task': await ready(genericTask({ baseURL: BASE, apiKey: 'sk-bench' })),
  'check-result': await ready(checkResult({ baseURL: BASE, apiKey: 'sk-bench' })),
}

let sink = 0
const now = () => process.hrtime.bigint()

/** Nanoseconds per call of `fn(payloads[i])`, cycling for about `ms` milliseconds. */
function time(fn, payloads, ms) {
  // Calibrate: how many calls fit in ~ms.
  let calls = payloads.length
  for (;;) {
    const start = now()
    for (let index = 0; index < calls; index++) fn(payloads[index % payloads.length])
    const elapsed = Number(now() - start) / 1e6
    if (elapsed >= ms / 4 || calls > 1e8) {
      const total = Math.max(payloads.length, Math.round((calls * ms) / Math.max(elapsed, 0.001)))
      const begin = now()
      for (let index = 0; index < total; index++) fn(payloads[index % payloads.length])
      return Number(now() - begin) / total
    }
    calls *= 4
  }
}

const results = {}
for (const name of config.providers ?? Object.keys(PROVIDERS)) {
  const provider = PROVIDERS[name]
  const used = []
  const skipped = []
  for (const file of readdirSync(`${fixtures}${name}`).sort()) {
    if (!file.endsWith('.json')) continue
    const body = readFileSync(`${fixtures}${name}/${file}`, 'utf8')
    const response = {
      status: 200,
      headers: { 'content-type': 'application/json', 'x-request-id': 'req_bench' },
      body,
      url: `${BASE}/bench`,
      provider: name,
      taskId: 'task_bench',
      receivedAt: Date.UTC(2026, 0, 1),
    }
    try {
      provider.parseResponse(response)
      used.push({ file, response })
    } catch {
      skipped.push(file)
    }
  }
  const responses = used.map((entry) => entry.response)
  const bodies = responses.map((response) => response.body)
  const tasks = responses.map((response) => provider.parseResponse(response))
  const jsonParse = (body) => {
    sink ^= JSON.parse(body) === null ? 1 : 0
  }
  const adapter = (response) => {
    sink ^= provider.parseResponse(response).status.length
  }
  const schema = (task) => {
    sink ^= VideoTaskSchema.safeParse(task).success ? 1 : 0
  }
  // Warm-up: let the JIT settle on all three.
  time(jsonParse, bodies, targetMs * 2)
  time(adapter, responses, targetMs * 2)
  time(schema, tasks, targetMs * 2)
  const rows = []
  for (let round = 0; round < rounds; round++) {
    const row = {
      jsonParse: time(jsonParse, bodies, targetMs),
      parseResponse: time(adapter, responses, targetMs),
      videoTaskSchema: time(schema, tasks, targetMs),
    }
    row.overhead = row.parseResponse - row.jsonParse
    rows.push(row)
  }
  results[name] = {
    payloads: used.length,
    skipped,
    meanBytes: Math.round(bodies.reduce((sum, body) => sum + body.length, 0) / bodies.length),
    jsonParseNs: median(rows.map((row) => row.jsonParse)),
    parseResponseNs: median(rows.map((row) => row.parseResponse)),
    overheadNs: median(rows.map((row) => row.overhead)),
    videoTaskSchemaNs: median(rows.map((row) => row.videoTaskSchema)),
    rounds: rows,
  }
}

if (process.send) process.send({ type: 'result', providers: results, sink }, () => process.exit(0))
else
  console.log(
    JSON.stringify(
      Object.fromEntries(
        Object.entries(results).map(([k, v]) => [k, Math.round(v.overheadNs ?? v.overhead ?? 0)]),
      ),
    ),
  )
