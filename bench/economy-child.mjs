/*
 * Child process of figure 3: request economy in virtual time. Deterministic: seeded task
 * durations, seeded progress, seeded jitter, and a virtual clock, so the same seed gives the same
 * figures on any machine.
 *
 * The tasks. Each task's total duration (submit to finish) is log-normal with a median of 90 s
 * and sigma 0.6 (so p5 ~34 s, p95 ~240 s), clamped to 20 s .. 10 min. It is queued for the first
 * 5-25 % of it (uniform), then runs, then succeeds. The wait starts at submission.
 *
 * Progress while running, per style:
 * - fine (OpenAI, check-result): integer percent of a monotone, wobbly clock:
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
 * virtual time of the request (OpenAI official video object, check-result envelope, Doubao
 * gateway envelope with "30%" progress, generic-task envelope). maxRequestsPerSecond is
 * Infinity so the 1,000 concurrent tasks do not queue behind each other: each task's figure is
 * its schedule's alone. timeoutMs is 30 min (the default 10 min would cut the longest tasks).
 *
 * Schedules compared, per style:
 * - default: the provider's defaults, untouched (jitter drawn from a seeded PRNG);
 * - fixed-5s: the same client with intervalMs = maxIntervalMs = 5000, backoffFactor 1, no
 *   jitter, not adaptive: a read at 0 s, 5 s, 10 s... (what the vendor docs recommend);
 * - oracle: one read exactly at the finish (1 read, 0 s delay), computed, not simulated.
 *
 * Usage: node bench/economy-child.mjs '<json: {tasks, seed}>'
 */
import { loadPackage } from './lib/dist.mjs'
import { mean, mulberry32, normal, quantile } from './lib/stats.mjs'

const { checkResult, createClient, doubao, genericTask, openai } = await loadPackage()

const { tasks: taskCount, seed } = JSON.parse(process.argv[2])
const START = Date.UTC(2026, 0, 1)
const BASE = 'https://vendor.example.test'

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
  /** Runs until `done()`: lets the promise chains settle, then fires the earliest timer. */
  async run(done) {
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
      if (!next) throw new Error('Virtual time stalled: waits pending but no timer')
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

/** The vendor payloads, as the vendors (and the simulator) send them. */
const DIALECTS = {
  openai: {
    provider: () => openai({ baseURL: BASE, apiKey: 'sk-bench' }),
    taskId: (request) => decodeURIComponent(request.url.split('/').pop()),
    body: (task, state) => ({
      id: task.id,
      object: 'video',
      created_at: Math.floor(START / 1000),
      status: { queued: 'queued', running: 'in_progress', succeeded: 'completed' }[state.phase],
      completed_at:
        state.phase === 'succeeded' ? Math.floor((START + task.durationMs) / 1000) : null,
      error: null,
      expires_at: null,
      model: 'sora-2',
      progress: state.progress,
      remixed_from_video_id: null,
      seconds: '8',
      size: '1280x720',
    }),
  },
  'check-result': {
    provider: () => checkResult({ baseURL: BASE, apiKey: 'sk-bench' }),
    taskId: (request) => JSON.parse(request.body).taskId,
    body: (task, state) => ({
      code: 0,
      message: 'success',
      data: {
        taskId: task.id,
        status: { queued: 'pending', running: 'running', succeeded: 'succeeded' }[state.phase],
        progress: state.progress,
        result_url: state.phase === 'succeeded' ? `${BASE}/files/${task.id}.mp4` : null,
      },
    }),
  },
  doubao: {
    provider: () => doubao({ baseURL: BASE, apiKey: 'sk-bench' }),
    taskId: (request) => decodeURIComponent(request.url.split('/').pop()),
    body: (task, state) => ({
      code: 'success',
      message: '',
      data: {
        task_id: task.id,
        action: 'textGenerate',
        status: { queued: 'QUEUED', running: 'IN_PROGRESS', succeeded: 'SUCCESS' }[state.phase],
        fail_reason: '',
        result_url: state.phase === 'succeeded' ? `${BASE}/files/${task.id}.mp4` : '',
        submit_time: Math.floor(START / 1000),
        start_time: state.phase === 'queued' ? 0 : Math.floor((START + task.queuedMs) / 1000),
        finish_time: state.phase === 'succeeded' ? Math.floor((START + task.durationMs) / 1000) : 0,
        progress: `${state.progress}%`,
      },
    }),
  },
  'generic-task': {
    provider: () => genericTask({ baseURL: BASE, apiKey: 'sk-bench' }),
    taskId: (request) => decodeURIComponent(request.url.split('/').pop()),
    body: (task, state) => ({
      code: 10000,
      message: 'Success',
      request_id: `req_${task.id}`,
      time_elapsed: '12ms',
      status: 10000,
      data: {
        task_id: task.id,
        status: { queued: 'in_queue', running: 'generating', succeeded: 'done' }[state.phase],
        video_url: state.phase === 'succeeded' ? `${BASE}/files/${task.id}.mp4` : '',
      },
    }),
  },
}

const FIXED_5S = {
  intervalMs: 5_000,
  maxIntervalMs: 5_000,
  backoffFactor: 1,
  jitter: 0,
  adaptive: false,
}

/** Waits for every task with one client on virtual time; returns reads and delays per task. */
async function simulate(population, style, dialectName, scheduleOptions) {
  const dialect = DIALECTS[dialectName]
  const clock = new VirtualClock()
  const byId = new Map(population.map((task) => [task.id, task]))
  const reads = new Map()
  const transport = {
    async send(request) {
      const task = byId.get(dialect.taskId(request))
      reads.set(task.id, (reads.get(task.id) ?? 0) + 1)
      const body = dialect.body(task, stateAt(task, clock.now() - START, style))
      if (style === 'none') {
        // No progress field at all (generic-task has none; the others' would be undefined).
        delete body.progress
        if (body.data) delete body.data.progress
      }
      return {
        status: 200,
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      }
    },
    async close() {},
  }
  const client = createClient({
    provider: dialect.provider(),
    transport,
    clock,
    random: mulberry32(seed + 1),
    maxRequestsPerSecond: Number.POSITIVE_INFINITY,
    timeoutMs: 30 * 60_000,
    ...scheduleOptions,
  })
  const delays = []
  let settled = 0
  let failures = 0
  for (const task of population) {
    client.waitFor(task.id).then(
      () => {
        delays.push(clock.now() - START - task.durationMs)
        settled++
      },
      () => {
        failures++
        settled++
      },
    )
  }
  await clock.run(() => settled === population.length)
  await client.close()
  if (failures > 0) throw new Error(`${failures} waits failed (${style}, ${dialectName})`)
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
const styles = [
  { style: 'fine', defaults: ['openai', 'check-result'] },
  { style: 'coarse', defaults: ['doubao'] },
  { style: 'none', defaults: ['generic-task'] },
]
const results = {}
for (const { style, defaults } of styles) {
  const rows = {}
  for (const dialect of defaults)
    rows[`default ${dialect}`] = await simulate(population, style, dialect, {})
  rows['fixed 5 s'] = await simulate(population, style, defaults[0], FIXED_5S)
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
  },
  () => process.exit(0),
)
