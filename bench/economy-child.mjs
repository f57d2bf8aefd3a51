/*
 * Child process of figure 3: request economy in virtual time. Deterministic: seeded task
 * durations, seeded progress, seeded jitter, and a virtual clock, so the same seed gives the same
 * figures on any machine.
 *
 * The tasks. Each task's total duration (submit to finish) is log-normal with a median of 90 s
 * and sigma 0.6 (so p5 ~34 s, p95 ~240 s), clamped to 20 s .. 10 min. It is queued for the first
 * 5-25 % of it (uniform), then runs, then succeeds. The wait starts at submission.
 *
 * The vendors. Every built-in provider of the registry (`BUILT_IN_PROVIDERS`, the package's
 * export) gets its row, in the progress style of its default simulator dialect (the registry's
 * `progress`): nothing here names a vendor. Each read is answered in the vendor's own
 * dialect by the simulator's vendor table, rendered in memory (`createStatusRenderer` of
 * `video-tasks/simulator`), at the state this file's model gives the task at that virtual time.
 *
 * Progress while running, per style:
 * - fine (OpenAI, check-result, Runway): integer percent of a monotone, wobbly clock:
 *   progress = floor(100 * w(f)), f the share of running time elapsed,
 *   w(f) = f + a sin(2 pi k f) / (2 pi k) with a ~ U(0, 0.5) and k in {1, 2} per task: linear
 *   on average, the rate wandering up to +-50 % around it, never going backwards; 0 while
 *   queued, at most 99 until the task succeeds, 100 then.
 * - coarse (Doubao gateways): 10 while queued, 20 / 30 / 50 over the thirds of the running time,
 *   100 when done (the simulator's and the gateways' steps).
 * - none (generic /task APIs): no progress field at all.
 *
 * The reads. The real client from dist/, with an injected virtual clock and an in-memory
 * transport that answers each request with the vendor's payload for the task's state at the
 * virtual time of the request (the simulator's renderer: the task the request reads by the
 * vendor's status routes, its answer in the vendor's format). maxRequestsPerSecond is
 * Infinity so the 1,000 concurrent tasks do not queue behind each other: each task's figure is
 * its schedule's alone. timeoutMs is 30 min (the default 10 min would cut the longest tasks).
 *
 * Schedules compared, per style:
 * - default: each provider's defaults, untouched (jitter drawn from a seeded PRNG);
 * - fixed: polling at a fixed interval, what the vendor docs recommend: every 5 s, or every
 *   `intervalMs` of the provider's defaults where its vendor asks for slower reads (MiniMax,
 *   Kling, Veo, Wan: 10 s; Runway: 6 s), so a native vendor is compared with a loop that obeys
 *   its vendor too. Run on the first provider of the style with that interval: intervalMs =
 *   maxIntervalMs, backoffFactor 1, no jitter, not adaptive (a read at 0 s, N s, 2N s...). Each
 *   provider's row names its baseline in `providers[id].baseline`;
 * - oracle: one read exactly at the finish (1 read, 0 s delay), computed, not simulated.
 *
 * Usage: node bench/economy-child.mjs '<json: {tasks, seed}>'
 */
import { loadPackage, loadSimulator } from './lib/dist.mjs'
import { mean, mulberry32, normal, quantile } from './lib/stats.mjs'

const { BUILT_IN_PROVIDERS, createClient, preload } = await loadPackage()
/*
 * The client's core and every adapter loaded before virtual time starts (`preload`, issue 12):
 * this figure counts reads on a clock that jumps to the next timer, and a first call's load takes
 * real time, during which that clock would run a wait's deadline out. A build without `preload`
 * loads everything on import.
 */
await preload?.(
  ...BUILT_IN_PROVIDERS.map((entry) => entry.forSimulator('http://127.0.0.1:9', 'sk')),
)
const { createStatusRenderer } = await loadSimulator()

const { tasks: taskCount, seed } = JSON.parse(process.argv[2])
const START = Date.UTC(2026, 0, 1)
const BASE = 'https://vendor.example.test'

/** How long (real time) a virtual clock waits for a timer to be set before it says stalled. */
const STALL_MS = 10_000

/** A virtual clock for the client: time moves only when `run` jumps to the next timer. */
class VirtualClock {
  time = START
  #timers = new Map()
  #nextId = 1
  now = () => this.time
  setTimeout = (callback, delayMs) => {
    const id = this.#nextId++
    this.#timers.set(id, { at: this.time + Math.max(0, delayMs), callback })
    return id
  }
  clearTimeout = (id) => {
    this.#timers.delete(id)
  }
  /**
   * Runs until `done()`: lets the promise chains settle, then fires the earliest timer. With no
   * timer set yet, it waits in real time (virtual time stands still) for up to `STALL_MS`: a
   * client's first call loads its core and the provider's adapter with `import()` (issue 12),
   * which no amount of promise settling finishes.
   */
  async run(done) {
    let idleSince
    for (;;) {
      await new Promise((resolve) => setImmediate(resolve))
      if (done()) return
      let nextId
      let next
      for (const [id, timer] of this.#timers) {
        if (!next || timer.at < next.at) {
          next = timer
          nextId = id
        }
      }
      if (!next) {
        idleSince ??= performance.now()
        if (performance.now() - idleSince > STALL_MS) {
          throw new Error(`Virtual time stalled: waits pending but no timer for ${STALL_MS} ms`)
        }
        await new Promise((resolve) => setTimeout(resolve, 1))
        continue
      }
      idleSince = undefined
      this.#timers.delete(nextId)
      this.time = Math.max(this.time, next.at)
      next.callback()
    }
  }
}

/** The seeded population of tasks (the same for every style and schedule). */
function makeTasks(count) {
  const random = mulberry32(seed)
  const list = []
  for (let index = 0; index < count; index++) {
    const durationMs = Math.min(
      600_000,
      Math.max(20_000, Math.exp(Math.log(90_000) + 0.6 * normal(random))),
    )
    const queuedMs = durationMs * (0.05 + 0.2 * random())
    list.push({
      id: `task_${index}`,
      durationMs,
      queuedMs,
      runningMs: durationMs - queuedMs,
      wobble: 0.5 * random(),
      waves: random() < 0.5 ? 1 : 2,
      phase: random() * 2 * Math.PI,
    })
  }
  return list
}

/** Phase and progress of a task `elapsed` ms after submission. */
function stateAt(task, elapsed, style) {
  if (elapsed >= task.durationMs) return { phase: 'succeeded', progress: 100 }
  if (elapsed < task.queuedMs) {
    return { phase: 'queued', progress: style === 'coarse' ? 10 : style === 'fine' ? 0 : undefined }
  }
  const f = (elapsed - task.queuedMs) / task.runningMs
  if (style === 'fine') {
    const k = task.waves
    const warped = f + (task.wobble * Math.sin(2 * Math.PI * k * f)) / (2 * Math.PI * k)
    return { phase: 'running', progress: Math.min(99, Math.max(0, Math.floor(100 * warped))) }
  }
  if (style === 'coarse')
    return { phase: 'running', progress: [20, 30, 50][Math.min(2, Math.floor(f * 3))] }
  return { phase: 'running', progress: undefined }
}

/** Fixed polling every `intervalMs`. */
const fixedEvery = (intervalMs) => ({
  intervalMs,
  maxIntervalMs: intervalMs,
  backoffFactor: 1,
  jitter: 0,
  adaptive: false,
})

/** The fixed interval a provider is compared with: 5 s, or its vendor's slower advice. */
const baselineMsOf = (defaults) => Math.max(5_000, defaults.intervalMs)

/** The registry entry's progress style (its default simulator dialect's). */
const styleOf = (entry) => entry.progress

/** The simulator's frame for a task `elapsed` ms after submission, in `style`. */
function frameAt(task, elapsed, style) {
  const state = stateAt(task, elapsed, style)
  return {
    phase: state.phase,
    progress: state.progress,
    queuedFraction: Math.min(1, elapsed / task.queuedMs),
    createdAt: START,
    startedAt: state.phase === 'queued' ? undefined : START + task.queuedMs,
    finishedAt: state.phase === 'succeeded' ? START + task.durationMs : undefined,
  }
}

/** Waits for every task with one client on virtual time; returns reads and delays per task. */
async function simulate(population, style, entry, scheduleOptions) {
  const clock = new VirtualClock()
  const renderer = createStatusRenderer({ baseURL: BASE })
  const tasks = population.map((task) => ({ task, rendered: renderer.task(entry.id) }))
  const byId = new Map(tasks.map((each) => [each.rendered.id, each]))
  const reads = new Map()
  const transport = {
    async send(request) {
      const rendered = renderer.taskOf(request)
      const each = rendered === undefined ? undefined : byId.get(rendered.id)
      if (each === undefined) throw new Error(`${entry.id}: no task read by ${request.url}`)
      reads.set(each.task.id, (reads.get(each.task.id) ?? 0) + 1)
      return renderer.render(rendered, frameAt(each.task, clock.now() - START, style))
    },
    async close() {},
  }
  const client = createClient({
    provider: entry.forSimulator(BASE, 'sk-bench'),
    transport,
    clock,
    random: mulberry32(seed + 1),
    maxRequestsPerSecond: Number.POSITIVE_INFINITY,
    timeoutMs: 30 * 60_000,
    ...scheduleOptions,
  })
  const delays = []
  let settled = 0
  const failures = []
  for (const { task, rendered } of tasks) {
    client.waitFor(rendered.id).then(
      () => {
        delays.push(clock.now() - START - task.durationMs)
        settled++
      },
      (error) => {
        failures.push(error)
        settled++
      },
    )
  }
  await clock.run(() => settled === population.length)
  await client.close()
  if (failures.length > 0) {
    throw new Error(
      `${failures.length} waits failed (${style}, ${entry.id}): ${failures[0]?.message}`,
    )
  }
  const perTask = population.map((task) => reads.get(task.id) ?? 0)
  return summarize(perTask, delays)
}

function summarize(reads, delays) {
  return {
    readsPerTask: mean(reads),
    readsP95: quantile(reads, 0.95),
    delayP50Ms: quantile(delays, 0.5),
    delayP95Ms: quantile(delays, 0.95),
    delayMaxMs: Math.max(...delays),
  }
}

const population = makeTasks(taskCount)
const durations = population.map((task) => task.durationMs)
// Every registry entry, grouped by its progress style; a style no entry has is left out.
const styles = ['fine', 'coarse', 'none']
  .map((style) => ({
    style,
    entries: BUILT_IN_PROVIDERS.filter((entry) => styleOf(entry) === style),
  }))
  .filter(({ entries }) => entries.length > 0)
const results = {}
const providers = {}
for (const { style, entries } of styles) {
  const rows = {}
  for (const entry of entries) {
    rows[`default ${entry.id}`] = await simulate(population, style, entry, {})
    const defaults = entry.forSimulator(BASE, 'sk-bench').pollDefaults
    const baselineMs = baselineMsOf(defaults)
    const baseline = `fixed ${baselineMs / 1000} s`
    rows[baseline] ??= await simulate(population, style, entry, fixedEvery(baselineMs))
    providers[entry.id] = {
      style,
      baseline,
      intervalMs: defaults.intervalMs,
      maxIntervalMs: defaults.maxIntervalMs,
    }
  }
  rows.oracle = summarize(
    population.map(() => 1),
    population.map(() => 0),
  )
  results[style] = rows
}

process.send(
  {
    type: 'result',
    tasks: taskCount,
    seed,
    durations: {
      p5Ms: quantile(durations, 0.05),
      p50Ms: quantile(durations, 0.5),
      p95Ms: quantile(durations, 0.95),
      meanMs: mean(durations),
    },
    styles: results,
    providers,
  },
  () => process.exit(0),
)
