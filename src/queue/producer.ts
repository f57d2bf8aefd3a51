import type { ScheduleOptions } from '../options/schedule-options.js'
import { assertTaskId, type Provider } from '../providers/define-provider.js'
import { isTaskRef, parseTaskRef, type TaskIdOrRef } from '../task-ref.js'
import { createQueueEngine, type QueueEngine } from './engine.js'
import {
  type AnyQueue,
  checkConnection,
  checkProvider,
  defaultQueueName,
  JOB_NAME,
  jobIdOf,
  openQueue,
  type QueueConnection,
  storedStateOf,
  type TrackedJobData,
} from './shared.js'

/** Options of {@link createTaskQueue}. */
export interface TaskQueueOptions {
  /** The provider whose tasks this queue tracks (one queue per vendor and key). */
  provider: Provider
  /** Redis or PostgreSQL: the same for every producer and worker of the queue. */
  connection: QueueConnection
  /**
   * The BullMQ queue name.
   * @default `video-tasks.${provider.id}`
   */
  name?: string | undefined
  /**
   * How long a finished job is kept, so enqueueing a task again shortly after it finished does
   * not track it twice.
   * @default 3_600_000 (1 hour)
   */
  keepFinishedMs?: number | undefined
  /**
   * How long a wait may take, from enqueue, by default (`Infinity` for no limit).
   * @default 600_000 (10 minutes)
   */
  timeoutMs?: number | undefined
  /** The clock. @default Date.now */
  now?: (() => number) | undefined
}

/** Options of one {@link TaskQueue.enqueue}. */
export interface EnqueueOptions {
  /** How long this wait may take, from now. @default the queue's `timeoutMs` */
  timeoutMs?: number | undefined
}

/** What {@link TaskQueue.enqueue} returns. */
export interface EnqueuedTask {
  /** The BullMQ job id (derived from provider and task id). */
  jobId: string
  /** The vendor's task id. */
  taskId: string
}

/**
 * A client that can create tasks: `client.submit(request)` resolving with a `TaskRef` (or a
 * task, or a task id). Typed loosely so any client version with `submit` fits.
 */
export interface SubmittingClient {
  /** Creates a task. */
  submit?: ((request: never, ...rest: never[]) => Promise<unknown>) | undefined
}

/** The producer side: enqueue tasks to track. */
export interface TaskQueue {
  /** The BullMQ queue name. */
  readonly name: string
  /**
   * Tracks a task, by id or by `TaskRef` (checked with `parseTaskRef`; its provider must be the
   * queue's): one job per task. Enqueueing a task that is tracked, or finished within
   * `keepFinishedMs`, does nothing.
   */
  enqueue(task: TaskIdOrRef, options?: EnqueueOptions): Promise<EnqueuedTask>
  /**
   * Creates a task with `client.submit(request)` and tracks it: store the returned `TaskRef`
   * (in `ref`) if you need it. Throws a TypeError when the client has no `submit`. A crash
   * between the two leaves the created task untracked: enqueue the stored ref again.
   */
  submitAndEnqueue(
    client: SubmittingClient,
    request: unknown,
    options?: EnqueueOptions,
  ): Promise<EnqueuedTask & { ref: unknown }>
  /**
   * Moves the task's delayed job to now, so a worker reads it at once (a webhook said it
   * changed, say). Resolves `true` when a delayed job was moved, `false` when the task is not
   * tracked or its job is already due, running or finished. Still under the rate cap.
   */
  nudge(task: TaskIdOrRef): Promise<boolean>
  /** The underlying BullMQ queue, for monitoring. */
  readonly queue: AnyQueue
  /** Closes the connection. */
  close(): Promise<void>
}

/** Job options every tracking job carries. */
export function trackingJobOptions(jobId: string, keepFinishedMs: number) {
  const age = Math.max(1, Math.ceil(keepFinishedMs / 1000))
  return {
    jobId,
    removeOnComplete: { age },
    removeOnFail: { age },
    // A throw from the processor is an infrastructure hiccup or the user's onOutcome failing:
    // both are retried (at-least-once delivery), never a lost wait.
    attempts: 1_000_000,
    backoff: { type: 'fixed', delay: 5_000 },
  }
}

/**
 * Creates the producer of a task queue.
 *
 * @example
 * ```ts
 * import { openai } from 'video-tasks'
 * import { createTaskQueue } from 'video-tasks/queue'
 *
 * const tasks = createTaskQueue({
 *   provider: openai({ apiKey: process.env.OPENAI_API_KEY }),
 *   connection: { redis: { host: '127.0.0.1', port: 6379 } },
 * })
 * await tasks.enqueue('video_123')
 * ```
 */
export function createTaskQueue(options: TaskQueueOptions): TaskQueue {
  if (typeof options !== 'object' || options === null) {
    throw new TypeError('Expected createTaskQueue() to receive an options object')
  }
  const { provider } = options
  checkProvider(provider)
  checkConnection(options.connection)
  const engine: QueueEngine = createQueueEngine()
  const now = options.now ?? Date.now
  const keepFinishedMs = options.keepFinishedMs ?? 3_600_000
  if (!(keepFinishedMs >= 0 && Number.isFinite(keepFinishedMs))) {
    throw new TypeError(
      `Expected \`keepFinishedMs\` to be a finite number >= 0, got ${keepFinishedMs}`,
    )
  }
  const defaults: ScheduleOptions = { timeoutMs: options.timeoutMs }
  // Validates the timeout now, not at the first enqueue.
  engine.settings(provider, defaults)
  const name = options.name ?? defaultQueueName(provider.id)
  const queue = openQueue(name, options.connection)

  function taskIdOf(task: TaskIdOrRef): string {
    if (typeof task === 'string') {
      assertTaskId(task)
      return task
    }
    const ref = parseTaskRef(task)
    if (ref.provider !== provider.id) {
      throw new TypeError(
        `Expected a TaskRef of provider ${provider.id}, got one of ${ref.provider.slice(0, 100)}`,
      )
    }
    return ref.taskId
  }

  async function enqueue(
    task: TaskIdOrRef,
    enqueueOptions: EnqueueOptions = {},
  ): Promise<EnqueuedTask> {
    const taskId = taskIdOf(task)
    if (typeof enqueueOptions !== 'object' || enqueueOptions === null) {
      throw new TypeError('Expected the enqueue options to be an object')
    }
    const settings = engine.settings(provider, {
      timeoutMs: enqueueOptions.timeoutMs ?? options.timeoutMs,
    })
    const jobId = jobIdOf(provider.id, taskId)
    const data: TrackedJobData = {
      s: storedStateOf(engine.start(provider, taskId, now(), settings)),
    }
    // BullMQ ignores an add whose jobId exists (waiting, delayed, active, or finished and
    // kept): that is what makes enqueueing idempotent.
    await queue.add(JOB_NAME, data, trackingJobOptions(jobId, keepFinishedMs))
    return { jobId, taskId }
  }

  return {
    name,
    queue,
    enqueue,
    async submitAndEnqueue(client, request, enqueueOptions) {
      if (typeof client?.submit !== 'function') {
        throw new TypeError(
          'Expected `client` to have a submit() method (a video-tasks client with submit)',
        )
      }
      const ref = await client.submit(request as never)
      const task = isTaskRef(ref)
        ? ref
        : typeof ref === 'string'
          ? ref
          : (ref as { id?: unknown } | null)?.id
      if (typeof task !== 'string' && !isTaskRef(task)) {
        throw new TypeError('Expected `client.submit()` to resolve with a TaskRef, a task or an id')
      }
      return { ...(await enqueue(task, enqueueOptions)), ref }
    },
    async nudge(task) {
      const taskId = taskIdOf(task)
      const job = await queue.getJob(jobIdOf(provider.id, taskId))
      if (!job || !(await job.isDelayed())) return false
      try {
        await job.promote()
        return true
      } catch {
        // It became due, or was taken, between the check and the move: nothing to nudge.
        return false
      }
    },
    close: () => queue.close(),
  }
}
