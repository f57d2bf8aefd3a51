import { type Job, UnrecoverableError } from 'bullmq'
import type { ScheduleOptions } from '../options/schedule-options.js'
import type { Provider } from '../providers/define-provider.js'
import type { Transport } from '../transport.js'
import type { PollState } from '../wait/poll-state.js'
import {
  compactTask,
  createQueueEngine,
  expandTask,
  type QueueEngine,
  type QueueObservation,
  type QueueOutcome,
  type StoredTask,
} from './engine.js'
import {
  type AnyQueue,
  type AnyWorker,
  checkConnection,
  checkProvider,
  defaultQueueName,
  openQueue,
  openWorker,
  outcomeKeyOf,
  type QueueConnection,
  RedelayJob,
  stateOfStored,
  storedStateOf,
  type TrackedJobData,
  taskOfJobId,
} from './shared.js'

/** What `onOutcome` receives beside the outcome. */
export interface OutcomeContext {
  /** The provider id. */
  provider: string
  /** The vendor's task id. */
  taskId: string
  /** The BullMQ job id. */
  jobId: string
  /**
   * The same on every delivery of this outcome (a re-run after a crash included): use it to
   * make the handler's effects idempotent.
   */
  key: string
}

/** Options of {@link createTaskWorker}. */
export interface TaskWorkerOptions extends Omit<ScheduleOptions, 'timeoutMs' | 'retries'> {
  /** The provider whose tasks the queue tracks. */
  provider: Provider
  /** Redis or PostgreSQL: the same as the producer's. */
  connection: QueueConnection
  /**
   * Called once a task's outcome is recorded in its job. Delivered at least once: a worker that
   * dies (or loses its lock) before this resolved and was noted in the job leaves it to another
   * worker, which calls this again with the same outcome and `key` and makes no vendor read.
   * Make its effect idempotent with `key`. A throw is retried after 5 s.
   */
  onOutcome: (outcome: QueueOutcome, context: OutcomeContext) => void | Promise<void>
  /** The BullMQ queue name. @default `video-tasks.${provider.id}` */
  name?: string | undefined
  /**
   * The cap on reads per second across EVERY worker of this queue (each must set the same).
   * @default 10
   */
  maxRequestsPerSecond?: number | undefined
  /** Jobs one worker processes at once. @default 10 */
  concurrency?: number | undefined
  /**
   * How long a job's lock lasts: a killed worker's jobs go to others after about this plus
   * `stalledIntervalMs`.
   * @default 30_000
   */
  lockDurationMs?: number | undefined
  /** How often workers look for jobs whose lock expired. @default 30_000 */
  stalledIntervalMs?: number | undefined
  /** The transport the reads go through. @default createTransport() */
  transport?: Transport | undefined
  /** The clock. @default Date.now */
  now?: (() => number) | undefined
  /** A random number in [0, 1) for jitter. @default Math.random */
  random?: (() => number) | undefined
}

/** A running worker. */
export interface TaskWorker {
  /** The underlying BullMQ worker, for events and monitoring. */
  readonly worker: AnyWorker
  /** Resolves once connected and taking jobs. */
  ready(): Promise<void>
  /**
   * Stops taking jobs and waits for the ones in hand: each is one read, bounded by the
   * transport's time limits, then re-delayed or finished. Nothing is lost either way.
   */
  close(): Promise<void>
}

/**
 * BullMQ limiter settings that keep a cap in EVERY one-second window. BullMQ's limiter counts
 * job starts in fixed windows, so two full windows back to back could put twice the cap in one
 * second. With `max: 1` any `cap + 1` starts span `cap` windows, so windows of
 * `(1000 + RATE_MARGIN_MS) / cap` ms keep the cap; with `max` above 1 a one-second span (plus
 * the margin) overlaps at most `ceil((1000 + RATE_MARGIN_MS) / duration) + 1` windows. Of these,
 * the settings that let the most through (whole milliseconds get coarse past ~100/s). The margin
 * allows for the delay between a job's start and its request leaving (an event-loop delay), so
 * the cap holds where the vendor counts.
 */
export function limiterFor(maxRequestsPerSecond: number): { max: number; duration: number } {
  const span = 1000 + RATE_MARGIN_MS
  let best = { max: 1, duration: Math.ceil(span / maxRequestsPerSecond) }
  for (let duration = 1; duration <= span; duration++) {
    const max = Math.floor(maxRequestsPerSecond / (Math.ceil(span / duration) + 1))
    if (max > 1 && max / duration > best.max / best.duration) best = { max, duration }
  }
  return best
}

// The read's signal when BullMQ gives the processor none.
const NEVER_ABORTED = new AbortController().signal

// About 5 % of the cap's throughput at 50/s.
const RATE_MARGIN_MS = 50

/**
 * Creates a worker that polls the queue's tasks: each job makes one read, runs one schedule
 * step, and is either re-delayed to the next read or finished with its outcome.
 *
 * @example
 * ```ts
 * import { openai } from 'video-tasks'
 * import { createTaskWorker } from 'video-tasks/queue'
 *
 * const worker = createTaskWorker({
 *   provider: openai({ apiKey: process.env.OPENAI_API_KEY }),
 *   connection: { redis: { host: '127.0.0.1', port: 6379 } },
 *   maxRequestsPerSecond: 50,
 *   onOutcome: async (outcome, { key }) => saveOnce(key, outcome),
 * })
 * process.on('SIGTERM', () => void worker.close())
 * ```
 */
export function createTaskWorker(options: TaskWorkerOptions): TaskWorker {
  if (typeof options !== 'object' || options === null) {
    throw new TypeError('Expected createTaskWorker() to receive an options object')
  }
  const { provider, onOutcome } = options
  checkProvider(provider)
  checkConnection(options.connection)
  if (typeof onOutcome !== 'function') {
    throw new TypeError('Expected `onOutcome` to be a function')
  }
  const cap = options.maxRequestsPerSecond ?? 10
  if (!(typeof cap === 'number' && cap > 0 && Number.isFinite(cap))) {
    throw new TypeError(`Expected \`maxRequestsPerSecond\` to be a finite number > 0, got ${cap}`)
  }
  const now = options.now ?? Date.now
  const random = options.random ?? Math.random
  const engine: QueueEngine = createQueueEngine({ transport: options.transport, now })
  const {
    provider: _provider,
    connection: _connection,
    onOutcome: _onOutcome,
    ...scheduleOptions
  } = options
  // The deadline is the producer's (in the job's state); the schedule is the worker's.
  const settings = engine.settings(provider, { ...scheduleOptions, timeoutMs: undefined })
  const name = options.name ?? defaultQueueName(provider.id)
  const lockDuration = options.lockDurationMs ?? 30_000
  // The worker's own handle on the queue: a vendor 429 pauses it for every worker.
  const queue: AnyQueue = openQueue(name, options.connection)
  const onRedis = 'redis' in options.connection

  async function deliver(job: Job<TrackedJobData>, state: PollState, outcome: QueueOutcome) {
    const jobId = job.id ?? ''
    await onOutcome(outcome, {
      provider: state.provider,
      taskId: state.taskId,
      jobId,
      key: outcomeKeyOf(jobId, state),
    })
  }

  /**
   * Re-delays the job to `at`, storing `data` on the way when given: the worker (see
   * `openWorker`) moves it, stores the data on Redis in the same call after its lock check (a
   * worker that lost its lock cannot overwrite the data either), and takes its next job.
   * PostgreSQL stores the data first, in a call of its own.
   */
  async function redelay(
    job: Job<TrackedJobData>,
    at: number,
    data?: TrackedJobData,
  ): Promise<never> {
    if (data !== undefined && !onRedis) await job.updateData(data)
    const timestamp = Date.now()
    // Whole milliseconds: BullMQ stores the delay in the job's hash, and a fraction is bytes.
    const delayMs = Math.max(0, Math.ceil(at - timestamp))
    throw RedelayJob.create(
      timestamp,
      delayMs,
      data === undefined ? undefined : JSON.stringify(data),
    )
  }

  async function processJob(job: Job<TrackedJobData>, _token?: string, signal?: AbortSignal) {
    const data = job.data
    // A job this worker cannot read is failed at once (UnrecoverableError skips BullMQ's
    // retries): retrying a corrupt job never makes it readable.
    let state: PollState
    let lastTask: StoredTask | null
    try {
      if (typeof data !== 'object' || data === null) throw new TypeError('no job data')
      // The provider and task id are the job id's (the stored state leaves them out).
      const task = taskOfJobId(job.id)
      if (task === null) throw new TypeError('not a job id of provider/task id')
      state = engine.parseState(
        stateOfStored(data.s, task.provider, task.taskId),
        provider,
        task.taskId,
      )
      const stored: unknown = data.l
      if (
        stored !== undefined &&
        (typeof stored !== 'object' || stored === null || Array.isArray(stored))
      ) {
        throw new TypeError('the last task is not an object')
      }
      lastTask = data.l ? expandTask(data.l, task.provider, task.taskId) : null
    } catch (error) {
      throw new UnrecoverableError(
        `Job ${job.id} of queue ${name} holds no stored PollState of a ${provider.id} task: ${(error as Error).message}`,
      )
    }
    // Recorded before: a re-run after a crash delivers it again and reads nothing.
    if (data.o) {
      if (data.d === 1) return
      return delivered(job, state, data.o)
    }
    if (state.deadlineAt !== null && now() >= state.deadlineAt) {
      return finish(job, state, engine.timedOut(lastTask))
    }
    // A job runs before `state.nextReadAt` only when nudged (or when a crash lost its re-delay):
    // it reads at once either way, under the same rate cap.
    // BullMQ's signal (aborted when the worker closes or the lock is lost) goes to the read as
    // is: no controller and listener of our own per job.
    const readSignal = signal ?? NEVER_ABORTED
    let read: QueueObservation
    try {
      read = await engine.readOnce(provider, state.taskId, readSignal)
    } catch (error) {
      // Shutting down mid-read: hand the job back as it was, due now.
      if (readSignal.aborted) return redelay(job, now())
      throw error
    }
    // A vendor 429 pauses the queue, so every worker of it waits out the Retry-After.
    if (read.rateLimitedForMs !== null) await queue.rateLimit(read.rateLimitedForMs)
    const step = engine.step(state, read, lastTask, settings, now(), random())
    if (step.action === 'finish') return finish(job, step.state, step.outcome)
    const next: TrackedJobData = { s: storedStateOf(step.state) }
    if (step.lastTask) next.l = compactTask(step.lastTask)
    return redelay(job, step.at, next)
  }

  async function finish(job: Job<TrackedJobData>, state: PollState, outcome: QueueOutcome) {
    // Outcome first, handler second: "delivered at least once, recorded once". The handler
    // gets the outcome as stored (a JSON round trip), so a re-run gets an equal value.
    const stored = JSON.parse(JSON.stringify(outcome)) as QueueOutcome
    await job.updateData({ s: storedStateOf(state), o: stored })
    await delivered(job, state, stored)
  }

  /** Calls `onOutcome`, then notes that it resolved (so only a crash inside it repeats it). */
  async function delivered(job: Job<TrackedJobData>, state: PollState, outcome: QueueOutcome) {
    await deliver(job, state, outcome)
    await job.updateData({ s: storedStateOf(state), o: outcome, d: 1 })
  }

  const worker = openWorker(name, processJob, options.connection, {
    concurrency: options.concurrency ?? 10,
    limiter: limiterFor(cap),
    lockDuration,
    // BullMQ renews a lock only once it is older than a quarter of this (checked every quarter),
    // so with its default (half the lock) a lock can go 3/4 of its life unrenewed: a worker
    // slowed by a busy CPU then loses jobs it is still working on, and they are delivered twice.
    // A quarter halves that exposure for one cheap batched call per eighth of the lock.
    lockRenewTime: lockDuration / 4,
    stalledInterval: options.stalledIntervalMs ?? 30_000,
    // A wait spans many reads and may outlive many crashed workers: BullMQ's stalled limit
    // (default 1) would fail it. Stalls are recovered, never counted against a wait.
    maxStalledCount: 1_000_000,
  })
  // BullMQ emits 'error' for connection trouble (it reconnects by itself); without a listener
  // Node would throw it and end the process. Users who log it listen on `worker.worker`.
  worker.on('error', () => {})

  return {
    worker,
    ready: async () => {
      await worker.waitUntilReady()
      await queue.waitUntilReady()
    },
    close: async () => {
      await worker.close()
      await queue.close()
    },
  }
}
