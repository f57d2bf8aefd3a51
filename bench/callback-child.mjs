/*
 * Child process of figure 3's callback rows: waits whose vendor calls back, in real time over
 * real sockets, for every built-in provider (the registry, `BUILT_IN_PROVIDERS`) whose simulator
 * vendor calls back (`simulatedVendors()`'s `callsBack`) and that can create tasks: nothing here
 * names a vendor. The simulator POSTs to the create's callback URL (MiniMax's `challenge`
 * handshake first; Ark and Kling without one) on every status change, to a node:http server
 * running the SDK's `createCallbackHandler`, which nudges the client's wait. The wait itself
 * polls only as a safety net (every 10 min), so its reads are the first one and the nudged one.
 *
 * Per task: reads (the simulator's count of status reads) and the detection delay, from the
 * moment the handler received the final callback to the moment `waitFor` resolved. Tasks are
 * submitted together through `client.submit` with `callbackUrl`; each is queued 1-2 s and runs
 * 1-4 s (seeded, the same for every vendor), so the callbacks spread over about 4 s. The vendors
 * run one after the other, each with its own simulator, client and callback server.
 *
 * Usage: node bench/callback-child.mjs '<json: {tasks, seed}>'
 */
import { createServer } from 'node:http'
import { loadEngine, loadPackage, loadSimulator } from './lib/dist.mjs'
import { mean, mulberry32, quantile } from './lib/stats.mjs'

const { BUILT_IN_PROVIDERS, createCallbackHandler, createClient, toNodeListener } =
  await loadPackage()
const { createTransport } = await loadEngine()
const { simulatedVendors, startSimulator } = await loadSimulator()

const { tasks: taskCount, seed } = JSON.parse(process.argv[2])

const callsBack = new Set(
  simulatedVendors()
    .filter((vendor) => vendor.callsBack)
    .map((vendor) => vendor.provider),
)
/*
 * A built-in factory returns a provider whose adapter loads on first use (`Provider.load`, issue
 * 12): its `buildRequest` throws and it has no `buildCreateRequest` until then. The loaded one
 * has them (a provider made after its adapter loaded has no `load`: it is ready already).
 */
const ready = async (provider) => (await provider.load?.()) ?? provider
const ENTRIES = []
for (const entry of BUILT_IN_PROVIDERS) {
  if (!callsBack.has(entry.id)) continue
  const provider = await ready(entry.forSimulator('http://127.0.0.1:1', 'k'))
  if (typeof provider.buildCreateRequest === 'function') ENTRIES.push(entry)
}

/** A request's identity: method, URL and body (a status read is the same request each time). */
const requestKey = (request) => `${request.method} ${request.url}\n${request.body ?? ''}`

async function measure(entry) {
  const random = mulberry32(seed)
  const sim = await startSimulator()
  /** The last status read of each request: when it was sent and answered (performance.now()). */
  const lastRead = new Map()
  const inner = createTransport()
  const transport = {
    async send(request) {
      const sentAt = performance.now()
      const response = await inner.send(request)
      lastRead.set(requestKey(request), { sentAt, answeredAt: performance.now() })
      return response
    },
    close: () => inner.close(),
  }
  const provider = await ready(entry.forSimulator(sim.baseURL, sim.apiKey))
  const client = createClient({
    provider,
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
  const callbackUrl = `http://127.0.0.1:${hooks.address().port}/hooks`

  async function one() {
    const script = {
      queuedMs: Math.round(1_000 + 1_000 * random()),
      runningMs: Math.round(1_000 + 3_000 * random()),
    }
    // The task's own timing rides on the create request (`x-simulator-script`); the wait is the
    // shared client's.
    const submitter = createClient({
      provider: entry.forSimulator(sim.baseURL, sim.apiKey, {
        'x-simulator-script': JSON.stringify(script),
      }),
    })
    const ref = await submitter.submit({ prompt: 'a red fox in snow' }, { callbackUrl })
    await submitter.close()
    await client.waitFor(ref)
    const detectedAt = performance.now()
    const callbackAt = finalCallbackAt.get(ref.taskId)
    const read = lastRead.get(requestKey(provider.buildRequest(ref.taskId, ref.route)))
    return {
      reads: sim.requests(ref.taskId),
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
  return {
    tasks: taskCount,
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
  }
}

const vendors = {}
for (const entry of ENTRIES) vendors[entry.id] = await measure(entry)

process.send({ type: 'result', tasks: taskCount, seed, vendors }, () => process.exit(0))
