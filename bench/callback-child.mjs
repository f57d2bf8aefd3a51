/*
 * Child process of figure 3's callback rows: waits whose vendor calls back, in real time over
 * real sockets. The simulator (MiniMax-style create with `callback_url`) POSTs the verification
 * challenge, then a callback on every status change, to a node:http server running the SDK's
 * `createCallbackHandler`, which nudges the client's wait. The wait itself polls only as a
 * safety net (every 10 min), so its reads are the first one and the nudged one.
 *
 * Per task: reads (the simulator's count of status reads) and the detection delay, from the
 * moment the handler received the final (`success`) callback to the moment `waitFor` resolved.
 * Tasks are created together; each is queued 1-2 s and runs 1-4 s (seeded), so the callbacks
 * spread over about 4 s.
 *
 * Usage: node bench/callback-child.mjs '<json: {tasks, seed}>'
 */
import { createServer } from 'node:http'
import { loadPackage, loadSimulator } from './lib/dist.mjs'
import { mean, mulberry32, quantile } from './lib/stats.mjs'

const { createCallbackHandler, createClient, createTransport, minimax, toNodeListener } =
  await loadPackage()
const { startSimulator } = await loadSimulator()

const { tasks: taskCount, seed } = JSON.parse(process.argv[2])
const random = mulberry32(seed)

const sim = await startSimulator()
/** The last status read of each task: when it was sent and answered (performance.now()). */
const lastRead = new Map()
const inner = createTransport()
const transport = {
  async send(request) {
    const sentAt = performance.now()
    const response = await inner.send(request)
    // MiniMax reads a task with `?task_id=`; other routes end with the id.
    const url = new URL(request.url)
    const taskId =
      url.searchParams.get('task_id') ?? decodeURIComponent(url.pathname.split('/').pop())
    lastRead.set(taskId, {
      sentAt,
      answeredAt: performance.now(),
    })
    return response
  },
  close: () => inner.close(),
}
const client = createClient({
  provider: minimax({ baseURL: sim.baseURL, apiKey: sim.apiKey }),
  transport,
  // A safety net only: the callbacks drive the reads.
  intervalMs: 600_000,
  maxIntervalMs: 600_000,
  jitter: 0,
  timeoutMs: 60_000,
})
/** When the handler received each task's final callback (performance.now()). */
const finalCallbackAt = new Map()
const handler = createCallbackHandler({
  nudge(taskId) {
    const at = performance.now()
    const nudged = client.nudge(taskId)
    // Only a callback that found the wait running counts (one that came first is the vendor's
    // speed, not the client's).
    if (nudged) finalCallbackAt.set(taskId, at)
    return nudged
  },
})
const hooks = createServer(toNodeListener(handler))
await new Promise((resolve) => hooks.listen(0, '127.0.0.1', resolve))
const callbackUrl = `http://127.0.0.1:${hooks.address().port}/minimax`

async function one() {
  const script = {
    queuedMs: Math.round(1_000 + 1_000 * random()),
    runningMs: Math.round(1_000 + 3_000 * random()),
  }
  const created = await fetch(`${sim.baseURL}/v1/video_generation`, {
    method: 'POST',
    headers: {
      authorization: `Bearer ${sim.apiKey}`,
      'content-type': 'application/json',
      'x-simulator-script': JSON.stringify(script),
    },
    body: JSON.stringify({ prompt: 'a red fox in snow', callback_url: callbackUrl }),
  })
  const { task_id: taskId } = await created.json()
  await client.waitFor(taskId)
  const detectedAt = performance.now()
  const callbackAt = finalCallbackAt.get(taskId)
  const read = lastRead.get(taskId)
  return {
    reads: sim.requests(taskId),
    delayMs: callbackAt === undefined ? Number.NaN : detectedAt - callbackAt,
    // Where the delay goes: from the nudge to the request, the request's round trip.
    toRequestMs: callbackAt === undefined ? Number.NaN : read.sentAt - callbackAt,
    roundTripMs: read.answeredAt - read.sentAt,
    nudged: callbackAt !== undefined,
  }
}

const results = await Promise.all(Array.from({ length: taskCount }, () => one()))
await client.close()
await new Promise((resolve) => hooks.close(resolve))
await sim.close()

const reads = results.map((result) => result.reads)
const nudged = results.filter((result) => result.nudged)
const delays = nudged.map((result) => result.delayMs)
process.send(
  {
    type: 'result',
    tasks: taskCount,
    seed,
    readsPerTask: mean(reads),
    readsMax: Math.max(...reads),
    nudgedTasks: delays.length,
    delayP50Ms: quantile(delays, 0.5),
    delayP95Ms: quantile(delays, 0.95),
    delayMaxMs: Math.max(...delays),
    toRequestP50Ms: quantile(
      nudged.map((result) => result.toRequestMs),
      0.5,
    ),
    roundTripP50Ms: quantile(
      nudged.map((result) => result.roundTripMs),
      0.5,
    ),
    loadAverage: (await import('node:os')).loadavg()[0],
  },
  () => process.exit(0),
)
