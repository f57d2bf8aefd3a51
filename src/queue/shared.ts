import {
  type ConnectionOptions,
  createPostgresBackend,
  type IQueueBackend,
  type Job,
  type PostgresConnectionOptions,
  Queue,
  type QueueOptions,
  type Span,
  Worker,
  type WorkerOptions,
} from 'bullmq'
import type { Provider } from '../providers/define-provider.js'
import type { PollState } from '../wait/poll-state.js'
import type { CompactTask, QueueOutcome } from './engine.js'

/**
 * Where the jobs live: Redis (through ioredis) or PostgreSQL (BullMQ 6's PostgreSQL backend,
 * through `pg`). Every producer and worker of one queue uses the same.
 *
 * @example
 * ```ts
 * const redis: QueueConnection = { redis: { host: '127.0.0.1', port: 6379 } }
 * const postgres: QueueConnection = { postgres: { connectionString: process.env.DATABASE_URL, migrate: true } }
 * ```
 */
export type QueueConnection =
  | {
      /** BullMQ's Redis connection options or an ioredis instance. */
      redis: ConnectionOptions
    }
  | {
      /**
       * A connection string, a `pg` pool config (with BullMQ's `schema`, and `migrate: true` to
       * create BullMQ's tables on connect) or a `pg.Pool`.
       */
      postgres: PostgresConnectionOptions
    }

// The fields a stored state leaves out at their usual value, with that value: most waits never
// fail a read, and before the first read there is no status.
const STATE_DEFAULTS = {
  consecutiveFailures: 0,
  consecutiveUnknown: 0,
  backoffStep: 0,
  lastStatus: null,
  samples: [],
  deadlineAt: null,
} as const satisfies Partial<PollState>

type DefaultedField = keyof typeof STATE_DEFAULTS

/**
 * A `PollState` as a job stores it: without `provider` and `taskId`, which the job id already
 * holds (see {@link jobIdOf}), without the fields at their usual value (no failures, no unknown
 * reads, no backoff, no status yet, no progress samples, no deadline), and with `nextReadAt` in
 * whole milliseconds. The job lives in Redis or PostgreSQL for the whole wait, often next to
 * 100,000 others: every byte counts. {@link stateOfStored} gives the state back.
 */
export type StoredPollState = Omit<PollState, 'provider' | 'taskId' | DefaultedField> &
  Partial<Pick<PollState, DefaultedField>>

/**
 * What a tracking job holds, as plain JSON with one-letter keys (the job lives in Redis or
 * PostgreSQL for the whole wait, often next to 100,000 others: every byte counts). The provider
 * and the task id are the job id's; the idempotency key derives from them and the start.
 */
export interface TrackedJobData {
  /** Where the wait stands: the core's `PollState` (see {@link StoredPollState}), checked with `parsePollState` when loaded. */
  s: StoredPollState
  /**
   * The last task read, for a timed-out outcome; absent before the first read. Stored without
   * `raw`, `id` and `provider` (the job id's) and without fields at their empty value (`null`,
   * `[]`): see {@link CompactTask}.
   */
  l?: CompactTask | undefined
  /** The outcome, recorded before `onOutcome` runs; absent while waiting. */
  o?: QueueOutcome | undefined
  /**
   * `1` once `onOutcome` resolved: a re-run (the worker lost its lock or died between the
   * handler and the job's completion) then completes the job without calling it again.
   */
  d?: 1 | undefined
}

/** A state as a job stores it (see {@link StoredPollState}). */
export function storedStateOf(state: PollState): StoredPollState {
  const { provider: _provider, taskId: _taskId, ...stored } = state
  // Jitter makes it fractional; a read a fraction of a millisecond later changes nothing.
  stored.nextReadAt = Math.ceil(stored.nextReadAt)
  const fields = stored as Partial<Record<DefaultedField, unknown>>
  for (const field of Object.keys(STATE_DEFAULTS) as DefaultedField[]) {
    const value = fields[field]
    if (value === STATE_DEFAULTS[field] || (Array.isArray(value) && value.length === 0)) {
      delete fields[field]
    }
  }
  return stored
}

/**
 * The state a job stored ({@link storedStateOf} reversed), still unchecked: pass it to
 * `parsePollState`. Reads the older form with every field (and `provider`, `taskId`) the same.
 */
export function stateOfStored(stored: unknown, provider: string, taskId: string): unknown {
  if (typeof stored !== 'object' || stored === null || Array.isArray(stored)) return stored
  return { ...STATE_DEFAULTS, samples: [], ...stored, provider, taskId }
}

/**
 * The provider id and task id a job id holds ({@link jobIdOf} reversed), or `null` when the id
 * is not one of a tracking job.
 */
export function taskOfJobId(
  jobId: string | undefined,
): { provider: string; taskId: string } | null {
  if (jobId === undefined) return null
  const slash = jobId.indexOf('/')
  if (slash <= 0 || slash === jobId.length - 1 || jobId.indexOf('/', slash + 1) >= 0) return null
  try {
    return {
      provider: decodeURIComponent(jobId.slice(0, slash)),
      taskId: decodeURIComponent(jobId.slice(slash + 1)),
    }
  } catch {
    // A malformed %-escape: not an id this driver made.
    return null
  }
}

/**
 * The idempotency key of a wait's outcome: the job id and the wait's start, the same on every
 * delivery of one outcome, and new when a task is tracked again after its job was removed.
 */
export function outcomeKeyOf(jobId: string, state: PollState): string {
  return `${jobId}@${state.startedAt}`
}

/** The job name every tracking job carries. */
export const JOB_NAME = 'video-task'

/**
 * The job id of a task: provider and task id, each URI-encoded and joined by `/`, so two tasks
 * never share one and BullMQ's rules hold (no `:`, never an integer).
 */
export function jobIdOf(provider: string, taskId: string): string {
  return `${encodeURIComponent(provider)}/${encodeURIComponent(taskId)}`
}

/** The default queue name of a provider: one queue per vendor and key carries one rate cap. */
export function defaultQueueName(provider: string): string {
  return `video-tasks.${provider}`
}

// BullMQ's classes are generic over the backend; the driver needs none of the backend's own
// methods, so it holds them as the base interface.
export type AnyQueue = Queue<
  TrackedJobData,
  void,
  string,
  TrackedJobData,
  void,
  string,
  IQueueBackend,
  unknown
>
export type AnyWorker = Worker<
  TrackedJobData,
  void,
  string,
  IQueueBackend,
  number | object,
  unknown
>

/** Checks the provider option: a provider object, as `createClient` takes. */
export function checkProvider(provider: unknown): asserts provider is Provider {
  if (
    typeof provider !== 'object' ||
    provider === null ||
    typeof (provider as Provider).id !== 'string' ||
    typeof (provider as Provider).buildRequest !== 'function' ||
    typeof (provider as Provider).parseResponse !== 'function'
  ) {
    throw new TypeError(
      'Expected `provider` to be a provider: a built-in factory’s (doubao(), ...) or defineProvider()’s',
    )
  }
}

/** Checks a connection option and names what is wrong. */
export function checkConnection(connection: unknown): asserts connection is QueueConnection {
  if (typeof connection !== 'object' || connection === null) {
    throw new TypeError('Expected `connection` to be { redis: ... } or { postgres: ... }')
  }
  const hasRedis = 'redis' in connection && (connection as { redis: unknown }).redis !== undefined
  const hasPostgres =
    'postgres' in connection && (connection as { postgres: unknown }).postgres !== undefined
  if (hasRedis === hasPostgres) {
    throw new TypeError('Expected `connection` to have exactly one of `redis` and `postgres`')
  }
}

/** A BullMQ queue on the chosen backend. */
export function openQueue(
  name: string,
  connection: QueueConnection,
  options: Omit<QueueOptions, 'connection'> = {},
): AnyQueue {
  if ('postgres' in connection) {
    return new Queue(
      name,
      { ...options, connection: connection.postgres },
      createPostgresBackend,
    ) as unknown as AnyQueue
  }
  return new Queue(name, { ...options, connection: connection.redis }) as unknown as AnyQueue
}

/**
 * Thrown by a tracking job's processor to re-delay its job to `timestamp + delayMs`, storing
 * `data` (the job's data as JSON) on the way when given. {@link openWorker}'s worker handles it.
 */
export class RedelayJob extends Error {
  constructor(
    /** When the delay was computed (milliseconds since the epoch). */
    readonly timestamp: number,
    /** The delay, whole milliseconds. */
    readonly delayMs: number,
    /** The job's new data as JSON, or `undefined` to keep it. */
    readonly data: string | undefined,
  ) {
    super('re-delayed')
    this.name = 'RedelayJob'
  }

  /** One without a stack trace: thrown once per job run, caught by the worker, never shown. */
  static create(timestamp: number, delayMs: number, data: string | undefined): RedelayJob {
    const limit = Error.stackTraceLimit
    Error.stackTraceLimit = 0
    try {
      return new RedelayJob(timestamp, delayMs, data)
    } finally {
      Error.stackTraceLimit = limit
    }
  }
}

type TrackingJob = Job<TrackedJobData, void, string, number | object>

/**
 * A BullMQ worker that re-delays a job and takes its next one in ONE call: BullMQ's own re-delay
 * (`job.moveToDelayed`, then `DelayedError`) makes two, the move and a separate fetch of the
 * next job, where a completed job's move fetches the next one in the same script. On Redis the
 * same script also stores the job's data after its lock check; the PostgreSQL backend does not
 * take a `data` field there (it maps only `failedReason` and `stacktrace`), so there the
 * processor stores the data first and throws `RedelayJob` without it.
 *
 * It overrides BullMQ's protected `handleFailed` for `RedelayJob` only, and does what BullMQ's
 * `handleCompleted` does with a fetched job (`updateDelays`, `nextJobFromJobData`); every other
 * error, and a closing backend, take BullMQ's own path.
 */
function trackingWorkerClass(onRedis: boolean) {
  // BullMQ's Worker is generic over its backend; the driver holds it as the base interface.
  const Base = Worker as unknown as new (...args: unknown[]) => AnyWorker
  return class TrackingWorker extends Base {
    protected override async handleFailed(
      error: Error,
      job: TrackingJob,
      token: string,
      fetchNextCallback: () => boolean = () => true,
      span?: Span,
    ): Promise<TrackingJob> {
      const backend = this.backend as IQueueBackend & { closing?: unknown }
      if (!(error instanceof RedelayJob) || backend.closing || job.id === undefined) {
        return super.handleFailed(error, job, token, fetchNextCallback, span)
      }
      const fetchNext = fetchNextCallback() && !(this.closing || this.paused)
      const result = await backend.moveToDelayed(job.id, error.timestamp, error.delayMs, token, {
        skipAttempt: true,
        fetchNext,
        ...(onRedis && error.data !== undefined ? { fieldsToUpdate: { data: error.data } } : {}),
      })
      // BullMQ types it as a job, and returns nothing when it fetched none (its own paths too).
      if (!Array.isArray(result) || result.length === 0) return undefined as unknown as TrackingJob
      const [jobData, jobId, rateLimitDelay, delayUntil] = result
      // Private in BullMQ's typings: what its handleCompleted calls with a fetched job's delays.
      ;(this as unknown as { updateDelays(limit?: number, until?: number): void }).updateDelays(
        rateLimitDelay,
        delayUntil,
      )
      return this.nextJobFromJobData(jobData, jobId, token)
    }
  }
}

/** The BullMQ internals {@link trackingWorkerClass} calls: checked before a worker opens. */
const WORKER_INTERNALS = ['handleFailed', 'nextJobFromJobData', 'updateDelays'] as const

/**
 * Refuses a BullMQ whose Worker lacks an internal the one-call re-delay relies on (tested with
 * bullmq 6.7): a clear error when the worker opens, not a job failed in the middle of a wait.
 */
export function checkWorkerInternals(prototype: object = Worker.prototype): void {
  const missing = WORKER_INTERNALS.filter(
    (name) => typeof (prototype as Record<string, unknown>)[name] !== 'function',
  )
  if (missing.length > 0) {
    throw new TypeError(
      `video-tasks/queue needs bullmq's Worker.${missing.join(', Worker.')}, which this bullmq lacks (tested with bullmq 6.7): install the range in video-tasks' peerDependencies`,
    )
  }
}

/** A BullMQ worker on the chosen backend, re-delaying with {@link RedelayJob} in one call. */
export function openWorker(
  name: string,
  processor: ConstructorParameters<typeof Worker<TrackedJobData, void>>[1],
  connection: QueueConnection,
  options: Omit<WorkerOptions, 'connection'>,
): AnyWorker {
  checkWorkerInternals()
  if ('postgres' in connection) {
    const TrackingWorker = trackingWorkerClass(false)
    return new TrackingWorker(
      name,
      processor,
      { ...options, connection: connection.postgres },
      createPostgresBackend,
    )
  }
  const TrackingWorker = trackingWorkerClass(true)
  return new TrackingWorker(name, processor, { ...options, connection: connection.redis })
}
