/*
 * Child process of figure 2 (run with --expose-gc): heap and RSS growth per concurrent wait on
 * tasks that stay running, and the pending timers they leave.
 *
 * The reads go to an in-memory transport that answers every request at once with the same
 * OpenAI `in_progress` video object (a 200 with the official API's body), so the figure is the
 * SDK's own memory: no sockets, no simulator. Every wait is measured after its first read has
 * arrived, when it holds its latest task and sleeps until the next read.
 *
 * Modes:
 * - `sdk`:   `client.waitFor(id)` with the default options (10-minute deadline, adaptive schedule).
 * - `naive`: the loop the vendors' docs show: read, parse, `await` a 5-second `setTimeout`.
 *
 * Usage: node --expose-gc bench/memory-child.mjs '<json: {mode, waits}>'
 * Sends `{ type: 'result', heapPerWait, rssPerWait, timers, ... }`.
 */
import { loadPackage } from './lib/dist.mjs'

const { createClient, openai } = await loadPackage()

const { mode, waits } = JSON.parse(process.argv[2])
if (typeof globalThis.gc !== 'function') throw new Error('Run with --expose-gc')

const BODY = JSON.stringify({
  id: 'video_00000000000000000000000000000000000000000000000',
  object: 'video',
  created_at: 1758941485,
  status: 'in_progress',
  completed_at: null,
  error: null,
  expires_at: null,
  model: 'sora-2',
  progress: 33,
  remixed_from_video_id: null,
  seconds: '4',
  size: '720x1280',
})
const HEADERS = { 'content-type': 'application/json', 'x-request-id': 'req_bench' }

let reads = 0
const transport = {
  async send() {
    reads++
    return { status: 200, headers: HEADERS, body: BODY }
  },
  async close() {},
}

const settle = async (turns) => {
  for (let turn = 0; turn < turns; turn++) await new Promise((resolve) => setImmediate(resolve))
}
const collect = async () => {
  for (let pass = 0; pass < 4; pass++) {
    globalThis.gc()
    await settle(2)
  }
}
const timers = () => process.getActiveResourcesInfo().filter((name) => name === 'Timeout').length

const ids = Array.from({ length: waits }, (_, index) => `video_${String(index).padStart(8, '0')}`)
let client
if (mode === 'sdk') {
  client = createClient({
    provider: openai({ baseURL: 'https://api.example.test', apiKey: 'sk-bench' }),
    transport,
    // No cap: every wait makes its first read at once (the default 100/s would take 100 s).
    maxRequestsPerSecond: Number.POSITIVE_INFINITY,
  })
  // Warms the code paths up on one wait, so the baseline holds compiled code, not the waits.
  await client.getTask('video_warmup')
}
const fakeFetch = async () => transport.send()

await collect()
const timersBefore = timers()
const before = process.memoryUsage()

const pending = []
if (mode === 'sdk') {
  for (const id of ids) pending.push(client.waitFor(id).catch(() => {}))
} else if (mode === 'naive') {
  const naiveWait = async (id) => {
    for (;;) {
      const response = await fakeFetch(`https://api.example.test/v1/videos/${id}`)
      const video = JSON.parse(response.body)
      if (video.status === 'completed') return video
      if (video.status === 'failed') throw new Error(video.error?.message ?? 'failed')
      await new Promise((resolve) => setTimeout(resolve, 5_000))
    }
  }
  for (const id of ids) pending.push(naiveWait(id).catch(() => {}))
} else {
  throw new Error(`Unknown mode ${mode}`)
}
const baselineReads = mode === 'sdk' ? 1 : 0
while (reads - baselineReads < waits) await settle(1)
await settle(5)
await collect()
const after = process.memoryUsage()
const timersAfter = timers()

process.send(
  {
    type: 'result',
    mode,
    waits,
    reads: reads - baselineReads,
    heapPerWait: (after.heapUsed - before.heapUsed) / waits,
    rssPerWait: (after.rss - before.rss) / waits,
    externalPerWait: (after.external - before.external) / waits,
    heapBefore: before.heapUsed,
    heapAfter: after.heapUsed,
    rssBefore: before.rss,
    rssAfter: after.rss,
    timersBefore,
    timersAfter,
    pendingWaits: pending.length,
  },
  () => process.exit(0),
)
