/*
 * The soak: thousands of concurrent waits against one simulator (in a process of its own:
 * soak-simulator.ts), with a share of all requests faulted at random (seeded), through
 * `createClient` with the default undici transport over real sockets. Every wait must settle
 * exactly once with its scripted outcome, all of them running at the same time; afterwards
 * nothing may be left: no handle in this process, no connection on the server's side, no
 * listener on the AbortSignal all the waits shared. The process must then exit by itself, so
 * this file never calls `process.exit` (it sets `process.exitCode` on failure).
 *
 *   npm run soak                          # 5,000 waits, 5 % of requests faulted
 *   npm run soak -- --waits 20000 --seed 7
 *   node --expose-gc --import tsx test/reliability/soak.ts --waits 500 --json   # the test's
 *
 * Prints a summary (and with --json, one JSON report on stdout as the last line).
 */
import { type ChildProcess, spawn } from 'node:child_process'
import { getEventListeners, once } from 'node:events'
import { Agent, request } from 'node:http'
import { performance } from 'node:perf_hooks'
import { createInterface } from 'node:readline'
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'
import { createClient, type VideoTaskClient } from '../../src/client.js'
import { TaskCancelledError, TaskFailedError } from '../../src/errors.js'
import type { VideoTask } from '../../src/model.js'
import { BUILT_IN_PROVIDERS } from '../../src/providers/registry.js'
import type {
  FaultSpec,
  SimulatedDialect,
  SimulatedProvider,
  SimulatedTask,
  SimulatedTaskInfo,
  SimulatorOptions,
  SimulatorStats,
  TaskOutcome,
  TaskScript,
} from '../../src/simulator/index.js'
import { makeProvider, PROVIDER_NAMES } from './providers.js'

export interface SoakOptions {
  waits: number
  /** The share of vendor requests the simulator faults. */
  faultRate: number
  seed: number
}

export interface SoakReport {
  ok: boolean
  problems: string[]
  waits: number
  seed: number
  faultRate: number
  /** From the first wait to the last settlement. */
  durationMs: number
  /** Starting the simulator and creating the tasks. */
  setupMs: number
  outcomes: Record<string, number>
  settledOnce: number
  /** Waits that had read their task at least once when the first wait settled. */
  pollingAtFirstSettlement: number
  requests: number
  faultsInjected: number
  faultsByKind: Record<string, number>
  readsPerWait: { mean: number; p50: number; p95: number; max: number }
  peakRssMiB: number
  /** The largest heap seen, garbage not yet collected included (sampled every 50 ms). */
  peakHeapUsedMiB: number
  /** The largest heap left after a full collection (once a second; needs --expose-gc). */
  peakLiveHeapMiB: number | null
  /**
   * Active resources (process.getActiveResourcesInfo) by type: before the waits and after the
   * clients closed (the simulator still running), and at the start and the end of the run.
   */
  resources: {
    before: Record<string, number>
    afterClose: Record<string, number>
    atStart: Record<string, number>
    atEnd: Record<string, number>
  }
  signalListenersAfter: number
  /** TCP connections the simulator still had open once the clients were closed. */
  serverConnectionsAfterClose: number
}

/** Every registered provider's simulator dialects (the registry's). */
const DIALECTS = Object.fromEntries(
  BUILT_IN_PROVIDERS.map((entry) => [
    entry.id,
    entry.dialects.map((facts) => facts.name as SimulatedDialect),
  ]),
) as unknown as Record<SimulatedProvider, SimulatedDialect[]>

/** The faults drawn at random: everything a wait must ride out (transient or harmless). */
const RANDOM_FAULTS: FaultSpec[] = [
  { kind: 'reset' },
  { kind: 'hang' },
  { kind: 'latency', delayMs: 40 },
  { kind: 'slow-body', chunks: 3, delayMs: 10 },
  { kind: 'rate-limit', retryAfter: 'ms', retryAfterMs: 80 },
  { kind: 'rate-limit', retryAfter: 'seconds', retryAfterMs: 1_000 },
  { kind: 'rate-limit', retryAfter: 'none' },
  { kind: 'server-error', status: 502, body: 'html' },
  { kind: 'server-error', status: 503, body: 'vendor', retryAfter: 'ms', retryAfterMs: 50 },
  { kind: 'vendor-error-200' },
  { kind: 'unknown-status' },
  { kind: 'progress-backwards' },
]

/**
 * Dialects in which the vendor reports a cancelled task as failed (the simulator follows them):
 * the registry's `reportsCancelled: false`.
 */
const CANCEL_AS_FAILED = new Set<SimulatedDialect>(
  BUILT_IN_PROVIDERS.flatMap((entry) =>
    entry.dialects
      .filter((facts) => !facts.reportsCancelled)
      .map((facts) => facts.name as SimulatedDialect),
  ),
)

/** Where each dialect puts a succeeded task's video (the registry's `video`). */
const VIDEO_OF = new Map<string, string>(
  BUILT_IN_PROVIDERS.flatMap((entry) => entry.dialects.map((facts) => [facts.name, facts.video])),
)

type Expected = 'succeeded' | 'failed' | 'cancelled'

interface Planned {
  task: SimulatedTask
  provider: SimulatedProvider
  dialect: SimulatedDialect
  expected: Expected
}

function resourceCounts(): Record<string, number> {
  const counts: Record<string, number> = {}
  for (const name of process.getActiveResourcesInfo()) counts[name] = (counts[name] ?? 0) + 1
  return counts
}

function percentile(sorted: number[], share: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * share))] ?? 0
}

const MiB = 1024 * 1024

/** Virtual ms per real ms on the simulator. */
const TIME_SCALE = 2

/** The simulator in its own process, driven through its control endpoint. */
interface RemoteSimulator {
  baseURL: string
  apiKey: string
  createTask(script: TaskScript): Promise<SimulatedTask>
  tasks(): Promise<SimulatedTaskInfo[]>
  stats(): Promise<SimulatorStats>
  /** TCP connections open on the simulator's side. */
  serverConnections(): Promise<number>
  /** Closes the control connections (new calls open new ones). */
  releaseConnections(): void
  /** Ends its stdin: it closes the simulator and exits. Resolves when the process is gone. */
  stop(): Promise<void>
}

async function startRemoteSimulator(options: SimulatorOptions): Promise<RemoteSimulator> {
  const script = fileURLToPath(new URL('./soak-simulator.ts', import.meta.url))
  const child: ChildProcess = spawn(
    process.execPath,
    ['--import', 'tsx', script, JSON.stringify(options)],
    { stdio: ['pipe', 'pipe', 'inherit'] },
  )
  const exited = once(child, 'close')
  const lines = createInterface({ input: child.stdout as NodeJS.ReadableStream })
  const pending: Array<(line: string) => void> = []
  lines.on('line', (line) => pending.shift()?.(line))
  const nextLine = () => new Promise<string>((resolve) => pending.push(resolve))
  const { baseURL, apiKey } = JSON.parse(await nextLine()) as { baseURL: string; apiKey: string }
  // A few keep-alive connections for the control calls, destroyed when the soak measures its
  // own handles and at the end.
  let agent = new Agent({ keepAlive: true, maxSockets: 16 })
  const call = (method: string, path: string, body?: unknown) =>
    new Promise<unknown>((resolve, reject) => {
      const text = body === undefined ? undefined : JSON.stringify(body)
      const outgoing = request(
        `${baseURL}${path}`,
        {
          method,
          agent,
          headers: {
            authorization: `Bearer ${apiKey}`,
            ...(text ? { 'content-type': 'application/json' } : {}),
          },
        },
        (response) => {
          const chunks: Buffer[] = []
          response.on('data', (chunk: Buffer) => chunks.push(chunk))
          response.on('end', () => {
            const value = JSON.parse(Buffer.concat(chunks).toString('utf8')) as unknown
            if ((response.statusCode ?? 500) >= 300) reject(new Error(JSON.stringify(value)))
            else resolve(value)
          })
        },
      )
      outgoing.on('error', reject)
      outgoing.end(text)
    })
  return {
    baseURL,
    apiKey,
    createTask: (task) => call('POST', '/__simulator/tasks', task) as Promise<SimulatedTask>,
    tasks: async () =>
      ((await call('GET', '/__simulator/tasks')) as { tasks: SimulatedTaskInfo[] }).tasks,
    stats: () => call('GET', '/__simulator/stats') as Promise<SimulatorStats>,
    async serverConnections() {
      const answer = nextLine()
      child.stdin?.write('connections\n')
      return (JSON.parse(await answer) as { connections: number }).connections
    },
    releaseConnections() {
      agent.destroy()
      agent = new Agent({ keepAlive: true, maxSockets: 16 })
    },
    async stop() {
      agent.destroy()
      child.stdin?.end()
      await exited
      lines.close()
    },
  }
}

/** A few turns of the event loop: a closed socket's handle goes on a later turn. */
async function turns(): Promise<void> {
  for (let turn = 0; turn < 3; turn++) await new Promise((resolve) => setImmediate(resolve))
}

/** Runs `work` over `items`, `limit` at a time. */
async function inBatches<T, R>(items: T[], limit: number, work: (item: T) => Promise<R>) {
  const results: R[] = new Array(items.length)
  let next = 0
  const worker = async () => {
    while (next < items.length) {
      const index = next++
      results[index] = await work(items[index] as T)
    }
  }
  await Promise.all(Array.from({ length: limit }, worker))
  return results
}

export async function runSoak(options: SoakOptions): Promise<SoakReport> {
  const problems: string[] = []
  const resourcesAtStart = resourceCounts()
  const started = performance.now()
  let peakHeap = process.memoryUsage().heapUsed
  const sampler = setInterval(() => {
    peakHeap = Math.max(peakHeap, process.memoryUsage().heapUsed)
  }, 50)
  // With --expose-gc, the heap that is live (after a full collection), once a second.
  const gc = (globalThis as { gc?: () => void }).gc
  let peakLiveHeap: number | null = null
  const liveSampler = gc
    ? setInterval(() => {
        gc()
        peakLiveHeap = Math.max(peakLiveHeap ?? 0, process.memoryUsage().heapUsed)
      }, 1_000)
    : undefined

  const sim = await startRemoteSimulator({
    timeScale: TIME_SCALE,
    seed: options.seed,
    faults: { rate: options.faultRate, seed: options.seed, kinds: RANDOM_FAULTS },
  })
  const clients = new Map<SimulatedProvider, VideoTaskClient>(
    PROVIDER_NAMES.map((provider) => [
      provider,
      createClient({
        provider: makeProvider(provider, sim.baseURL, sim.apiKey),
        intervalMs: 100,
        minIntervalMs: 50,
        maxIntervalMs: 400,
        maxRetryAfterMs: 300,
        timeoutMs: 10 * 60_000,
        headersTimeoutMs: 1_000,
        bodyTimeoutMs: 1_000,
        maxRequestsPerSecond: 1_500,
      }),
    ]),
  )

  // The plan: providers, dialects and outcomes in turn. Every task stays queued until all the
  // waits have made their first read (creating a task takes about 0.5 ms, and the clients send
  // 6,000 requests a second at most), so all of them run at once; then each finishes 0.5 to
  // 4.5 s later.
  const startAllowanceMs = Math.max(1_500, options.waits * 1.2)
  const scripts = Array.from({ length: options.waits }, (_, index) => {
    const provider = PROVIDER_NAMES[index % PROVIDER_NAMES.length] as SimulatedProvider
    const dialects = DIALECTS[provider]
    const dialect = dialects[
      Math.floor(index / PROVIDER_NAMES.length) % dialects.length
    ] as SimulatedDialect
    const outcome: TaskOutcome =
      index % 10 < 7 ? 'succeeded' : index % 10 < 9 ? 'failed' : 'cancelled'
    const script: TaskScript = {
      provider,
      dialect,
      outcome,
      queuedMs: (startAllowanceMs + ((index * 7_919) % 1_000)) * TIME_SCALE,
      runningMs: (500 + ((index * 104_729) % 3_000)) * TIME_SCALE,
    }
    return script
  })
  const created = await inBatches(scripts, 16, (script) => sim.createTask(script))
  // What this process holds before the waits (the simulator process's pipes, the samplers):
  // once the clients are closed it must hold no more, while the simulator still runs and would
  // keep any connection a client left open.
  sim.releaseConnections()
  await turns()
  const resourcesBefore = resourceCounts()
  const planned: Planned[] = created.map((task, index) => {
    const { provider, dialect, outcome } = scripts[index] as Required<TaskScript>
    const expected: Expected =
      outcome === 'cancelled' && CANCEL_AS_FAILED.has(dialect) ? 'failed' : outcome
    return { task, provider, dialect, expected }
  })
  const waitsStarted = performance.now()

  // One signal for every wait: afterwards it must have no listener left.
  const controller = new AbortController()
  const settlements = new Map<string, number>()
  const outcomes: Record<string, number> = {}
  let lateUpdates = 0
  // Waits that had read their task at least once when the first wait settled: all of them, or
  // nearly (a first read that hung is still waiting), when the waits really run at once.
  const polling = new Set<string>()
  let pollingAtFirstSettlement: number | null = null
  const settle = (id: string, kind: string) => {
    pollingAtFirstSettlement ??= polling.size
    settlements.set(id, (settlements.get(id) ?? 0) + 1)
    outcomes[kind] = (outcomes[kind] ?? 0) + 1
  }

  const waits = planned.map(({ task, provider, dialect, expected }) => {
    const client = clients.get(provider) as VideoTaskClient
    let done = false
    const check = (kind: Expected | 'other', detail: string, value?: VideoTask) => {
      settle(task.id, kind)
      done = true
      if (kind !== expected) {
        problems.push(`${task.id} (${provider}/${dialect}): expected ${expected}, got ${detail}`)
        return
      }
      if (kind === 'succeeded' && value) {
        // Where the video is, as the registry says of the dialect.
        const video = VIDEO_OF.get(dialect)
        const right =
          video === 'content-url'
            ? value.details.contentUrl === task.contentUrl
            : video === 'file-id'
              ? typeof value.details.fileId === 'string' && value.details.fileId !== ''
              : value.videoUrl === task.videoUrl
        if (!right) problems.push(`${task.id} (${provider}/${dialect}): wrong video`)
      }
    }
    return client
      .waitFor(task.id, {
        signal: controller.signal,
        onUpdate: () => {
          polling.add(task.id)
          if (done) lateUpdates++
        },
      })
      .then(
        (value) => check('succeeded', `succeeded (${value.vendorStatus})`, value),
        (error: unknown) => {
          if (error instanceof TaskFailedError) check('failed', 'TaskFailedError')
          else if (error instanceof TaskCancelledError) check('cancelled', 'TaskCancelledError')
          else
            check(
              'other',
              error instanceof Error ? `${error.name}: ${error.message}` : String(error),
            )
        },
      )
  })

  // A wait that never settles is lost: name the first few instead of hanging forever.
  let watchdog: NodeJS.Timeout | undefined
  const lost = new Promise<void>((resolve) => {
    watchdog = setTimeout(() => {
      const missing = planned.filter(({ task }) => !settlements.has(task.id))
      problems.push(
        `${missing.length} waits never settled: ${missing
          .slice(0, 5)
          .map(({ task }) => task.id)
          .join(', ')}`,
      )
      resolve()
    }, 5 * 60_000)
  })
  await Promise.race([Promise.all(waits), lost])
  clearTimeout(watchdog)
  clearInterval(liveSampler)
  const durationMs = performance.now() - waitsStarted
  const setupMs = waitsStarted - started

  await Promise.all([...clients.values()].map((client) => client.close()))
  clearInterval(sampler)
  await turns()
  const resourcesAfterClose = resourceCounts()
  for (const [name, count] of Object.entries(resourcesAfterClose)) {
    if (count > (resourcesBefore[name] ?? 0)) {
      problems.push(
        `${count - (resourcesBefore[name] ?? 0)} ${name} left after closing the clients`,
      )
    }
  }
  // undici's idle keep-alive sockets are unref'd, so they do not show above: the server's side
  // must see every connection closed (it would keep an idle one open for 5 s).
  let serverConnections = await sim.serverConnections()
  for (let attempt = 0; serverConnections > 0 && attempt < 20; attempt++) {
    await new Promise((resolve) => setTimeout(resolve, 50))
    serverConnections = await sim.serverConnections()
  }
  if (serverConnections > 0) {
    problems.push(`${serverConnections} connections still open on the server after close()`)
  }

  const readsById = new Map((await sim.tasks()).map((info) => [info.id, info.reads]))
  const reads = planned.map(({ task }) => readsById.get(task.id) ?? 0).sort((a, b) => a - b)
  const stats = await sim.stats()
  const faultsInjected = Object.values(stats.faults).reduce((sum, count) => sum + (count ?? 0), 0)
  for (const { task } of planned) {
    const count = settlements.get(task.id) ?? 0
    if (count !== 1) problems.push(`${task.id} settled ${count} times`)
  }
  if (lateUpdates > 0) problems.push(`${lateUpdates} updates after a wait settled`)
  if ((pollingAtFirstSettlement ?? 0) < options.waits * 0.9) {
    problems.push(
      `only ${pollingAtFirstSettlement} of ${options.waits} waits were polling when the first settled`,
    )
  }

  const signalListenersAfter = getEventListeners(controller.signal, 'abort').length
  if (signalListenersAfter !== 0) {
    problems.push(`${signalListenersAfter} listeners left on the shared signal`)
  }

  await sim.stop()
  await turns()
  const resourcesAtEnd = resourceCounts()
  for (const [name, count] of Object.entries(resourcesAtEnd)) {
    if (count > (resourcesAtStart[name] ?? 0)) {
      problems.push(`${count - (resourcesAtStart[name] ?? 0)} ${name} left at the end`)
    }
  }

  return {
    ok: problems.length === 0,
    problems: problems.slice(0, 50),
    waits: options.waits,
    seed: options.seed,
    faultRate: options.faultRate,
    durationMs: Math.round(durationMs),
    setupMs: Math.round(setupMs),
    outcomes,
    settledOnce: [...settlements.values()].filter((count) => count === 1).length,
    pollingAtFirstSettlement: pollingAtFirstSettlement ?? 0,
    requests: stats.totalRequests,
    faultsInjected,
    faultsByKind: stats.faults as Record<string, number>,
    readsPerWait: {
      mean: Math.round((reads.reduce((sum, value) => sum + value, 0) / reads.length) * 100) / 100,
      p50: percentile(reads, 0.5),
      p95: percentile(reads, 0.95),
      max: reads.at(-1) ?? 0,
    },
    peakRssMiB: Math.round((process.resourceUsage().maxRSS * 1024) / MiB),
    peakHeapUsedMiB: Math.round(peakHeap / MiB),
    peakLiveHeapMiB: peakLiveHeap === null ? null : Math.round(peakLiveHeap / MiB),
    resources: {
      before: resourcesBefore,
      afterClose: resourcesAfterClose,
      atStart: resourcesAtStart,
      atEnd: resourcesAtEnd,
    },
    signalListenersAfter,
    serverConnectionsAfterClose: serverConnections,
  }
}

function summary(report: SoakReport): string {
  const share = ((report.faultsInjected / report.requests) * 100).toFixed(1)
  return [
    `soak: ${report.ok ? 'OK' : 'FAILED'}: waits took ${(report.durationMs / 1000).toFixed(1)} s (setup ${(report.setupMs / 1000).toFixed(1)} s), seed ${report.seed}`,
    `  waits           ${report.waits} (${report.pollingAtFirstSettlement} polling when the first settled), settled exactly once: ${report.settledOnce}`,
    `  outcomes        ${Object.entries(report.outcomes)
      .map(([kind, count]) => `${kind} ${count}`)
      .join(', ')}`,
    `  requests        ${report.requests}, faulted ${report.faultsInjected} (${share} %)`,
    `  faults          ${Object.entries(report.faultsByKind)
      .map(([kind, count]) => `${kind} ${count}`)
      .join(', ')}`,
    `  reads per wait  mean ${report.readsPerWait.mean}, p50 ${report.readsPerWait.p50}, p95 ${report.readsPerWait.p95}, max ${report.readsPerWait.max}`,
    `  peak memory     RSS ${report.peakRssMiB} MiB, heap used ${report.peakHeapUsedMiB} MiB${report.peakLiveHeapMiB === null ? '' : `, live heap ${report.peakLiveHeapMiB} MiB`}`,
    `  handles         before the waits ${JSON.stringify(report.resources.before)}, after closing the clients ${JSON.stringify(report.resources.afterClose)}`,
    `                  at start ${JSON.stringify(report.resources.atStart)}, at the end ${JSON.stringify(report.resources.atEnd)}; signal listeners left ${report.signalListenersAfter}, connections left on the server ${report.serverConnectionsAfterClose}`,
    ...report.problems.map((problem) => `  PROBLEM: ${problem}`),
  ].join('\n')
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      waits: { type: 'string', default: '5000' },
      'fault-rate': { type: 'string', default: '0.05' },
      seed: { type: 'string', default: '20260601' },
      json: { type: 'boolean', default: false },
    },
  })
  const report = await runSoak({
    waits: Number(values.waits),
    faultRate: Number(values['fault-rate']),
    seed: Number(values.seed),
  })
  process.stderr.write(`${summary(report)}\n`)
  if (values.json) process.stdout.write(`${JSON.stringify(report)}\n`)
  if (!report.ok) process.exitCode = 1
}

if (import.meta.url === `file://${process.argv[1]}`) {
  main().catch((error: unknown) => {
    process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`)
    process.exitCode = 1
  })
}
