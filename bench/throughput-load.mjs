/*
 * Child process of figure 1: one load generator, reading the simulator's tasks as fast as it can
 * with one loop per task, all concurrent. It counts successful reads over a measured window that
 * follows a warm-up, and its own CPU time over that window.
 *
 * Contenders:
 * - `sdk-get`:  `client.getTask(id)` in a loop (the SDK, maxRequestsPerSecond: Infinity).
 * - `sdk-wait`: `client.waitFor(id)` with a 1 ms interval (the smallest Node's timers honour),
 *               no backoff or jitter; reads counted by `onUpdate`.
 * - `sdk-transport`: diagnostic, the SDK's transport alone (`createTransport().send`) + JSON.parse.
 * - `undici`:   undici `request` + `JSON.parse(await body.text())`: the ceiling.
 * - `fetch`:    global `fetch` + `await res.json()`, the loop the vendors' docs show.
 *
 * Usage: node bench/throughput-load.mjs '<json: {contender, baseURL, apiKey, tasks, warmupMs, durationMs}>'
 * Sends `window-start`, `window-end`, then `result` `{ reads, seconds, readsPerSecond, cpuMicrosPerRead, errors }`.
 */
import { Agent, request } from 'undici'
import { loadEngine, loadPackage } from './lib/dist.mjs'

const { createClient, openai } = await loadPackage()

const { contender, baseURL, apiKey, tasks, warmupMs, durationMs } = JSON.parse(process.argv[2])
// The simulator child names its tasks bench_0 .. bench_<tasks - 1>.
const ids = Array.from({ length: tasks }, (_, index) => `bench_${index}`)
const headers = { authorization: `Bearer ${apiKey}`, accept: 'application/json' }
const urlOf = (id) => `${baseURL}/v1/videos/${encodeURIComponent(id)}`

let reads = 0
let errors = 0
let firstError
let running = true
const noteError = (error) => {
  errors++
  firstError ??= error
}

const loops = []
let cleanup = async () => {}

if (contender === 'undici') {
  const agent = new Agent({ keepAliveTimeout: 10_000, keepAliveMaxTimeout: 10_000 })
  cleanup = () => agent.close()
  for (const id of ids) {
    const url = urlOf(id)
    loops.push(
      (async () => {
        while (running) {
          try {
            const { statusCode, body } = await request(url, { headers, dispatcher: agent })
            const data = JSON.parse(await body.text())
            if (statusCode !== 200 || typeof data.status !== 'string') throw new Error(statusCode)
            reads++
          } catch (error) {
            noteError(error)
          }
        }
      })(),
    )
  }
} else if (contender === 'fetch') {
  for (const id of ids) {
    const url = urlOf(id)
    loops.push(
      (async () => {
        while (running) {
          try {
            const res = await fetch(url, { headers })
            if (!res.ok) throw new Error(`HTTP ${res.status}`)
            const data = await res.json()
            if (typeof data.status !== 'string') throw new Error('no status')
            reads++
          } catch (error) {
            noteError(error)
          }
        }
      })(),
    )
  }
} else if (contender === 'sdk-transport') {
  // Diagnostic: the SDK's transport alone (undici request, body read, one event-loop turn),
  // then JSON.parse, without the provider, the retries or the client.
  // `video-tasks/engine` (loaded only here: the other contenders import the main entry alone).
  const { createTransport } = await loadEngine()
  const transport = createTransport()
  cleanup = () => transport.close()
  for (const id of ids) {
    const url = urlOf(id)
    loops.push(
      (async () => {
        while (running) {
          try {
            const response = await transport.send({ method: 'GET', url, headers })
            const data = JSON.parse(response.body)
            if (response.status !== 200 || typeof data.status !== 'string') {
              throw new Error(response.status)
            }
            reads++
          } catch (error) {
            noteError(error)
          }
        }
      })(),
    )
  }
} else if (contender === 'sdk-get') {
  const client = createClient({
    provider: openai({ baseURL, apiKey }),
    maxRequestsPerSecond: Number.POSITIVE_INFINITY,
  })
  cleanup = () => client.close()
  for (const id of ids) {
    loops.push(
      (async () => {
        while (running) {
          try {
            await client.getTask(id)
            reads++
          } catch (error) {
            // close() at the end stops the reads in flight with its closed error (issue 11's
            // "closed means closed"): only failures while the bench runs count.
            if (running) noteError(error)
          }
        }
      })(),
    )
  }
} else if (contender === 'sdk-wait') {
  const client = createClient({
    provider: openai({ baseURL, apiKey }),
    maxRequestsPerSecond: Number.POSITIVE_INFINITY,
  })
  const controller = new AbortController()
  cleanup = async () => {
    controller.abort(new Error('bench over'))
    await client.close()
  }
  const options = {
    intervalMs: 1,
    minIntervalMs: 1,
    maxIntervalMs: 1,
    backoffFactor: 1,
    jitter: 0,
    adaptive: false,
    timeoutMs: Number.POSITIVE_INFINITY,
    signal: controller.signal,
    onUpdate: () => {
      reads++
    },
  }
  for (const id of ids) {
    loops.push(
      client.waitFor(id, options).catch((error) => {
        if (!controller.signal.aborted) noteError(error)
      }),
    )
  }
} else {
  throw new Error(`Unknown contender ${contender}`)
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms))
await sleep(warmupMs)
const startReads = reads
const startCpu = process.cpuUsage()
const start = process.hrtime.bigint()
process.send({ type: 'window-start' })
await sleep(durationMs)
const endReads = reads
const cpu = process.cpuUsage(startCpu)
const seconds = Number(process.hrtime.bigint() - start) / 1e9
process.send({ type: 'window-end' })
running = false
await cleanup()
await Promise.race([Promise.allSettled(loops), sleep(2_000)])
const windowReads = endReads - startReads
process.send(
  {
    type: 'result',
    reads: windowReads,
    seconds,
    readsPerSecond: windowReads / seconds,
    cpuMicrosPerRead: windowReads > 0 ? (cpu.user + cpu.system) / windowReads : null,
    cpuShare: (cpu.user + cpu.system) / 1e6 / seconds,
    errors,
    firstError: firstError ? String(firstError?.stack ?? firstError) : null,
  },
  () => process.exit(0),
)
